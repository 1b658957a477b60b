/**
 * The programme's cohorts: one search for the Groups the programme manages with their session
 * Appointments `_revinclude`d (Appointment.supportingInformation → the Group), read through the
 * one cohort definition (domain/pathway/cohort.ts).
 */
import type { Appointment } from 'fhir/r4';
import { PATHWAY_CODE_SYSTEM } from '../domain/codes/canonical.ts';
import { COHORT_CODE, isCohort, readCohort, type Cohort } from '../domain/pathway/cohort.ts';
import { guardFor } from './guards.ts';
import { searchAll, searchPath } from './search.ts';
import type { FhirTransport } from './transport.ts';

const isGroup = guardFor('Group');

/** The search: `Group?managing-entity=…&code=…|mindfulness-gmv-cohort&_revinclude=Appointment:supporting-info`. */
function cohortSearch(programme: string): string {
  return searchPath('Group', [
    ['managing-entity', programme],
    ['code', `${PATHWAY_CODE_SYSTEM}|${COHORT_CODE}`],
    ['_revinclude', 'Appointment:supporting-info'],
  ]);
}

/** Every cohort of the programme, the newest first session first. */
export async function loadCohorts(
  transport: FhirTransport,
  programme: string,
  signal?: AbortSignal,
): Promise<Cohort[]> {
  const found = await searchAll(transport, cohortSearch(programme), {
    label: 'Cohort search',
    guard: isGroup,
    resourceType: 'Group',
    ...(signal === undefined ? {} : { signal }),
  });
  const appointments = [...found.included.values()].filter(
    (r): r is Appointment & { id: string } => r.resourceType === 'Appointment',
  );
  return found.matches
    .filter((group) => isCohort(group))
    .map((group) => readCohort(group, appointments))
    .sort((a, b) => (b.start ?? '').localeCompare(a.start ?? ''));
}
