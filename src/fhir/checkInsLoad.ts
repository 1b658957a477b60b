/**
 * What the patient's own mode reads, in parallel and only what its scopes allow (scopes.ts
 * PATIENT_SELF_NEEDS): the Patient (the greeting), the PEG requests addressed to the patient, the
 * PEG Observations (the history and the schedule's "done"), and the programme referral with its
 * Tasks and group sessions (the schedule where no request was made). Nothing else of the chart.
 */
import type { Encounter, Patient, Task } from 'fhir/r4';
import type { PatientRecords } from '../domain/pathway/checkIns.ts';
import { LOINC_SYSTEM } from '../domain/fhir-primitives/codings.ts';
import { COMPLETE_QUESTIONNAIRE } from '../domain/pathway/pegRequest.ts';
import { PEG_ITEMS, PEG_SCORE_LOINC } from '../domain/peg/peg.ts';
import { guardFor } from './guards.ts';
import { grants } from './scopes.ts';
import { readResource, searchAll, searchPath } from './search.ts';
import type { FhirTransport } from './transport.ts';
import { SUMMARY_REQUESTS } from './summary.ts';

/** The domain's records of the page, and the Patient for the greeting. */
export interface CheckInsData extends PatientRecords {
  /** Undefined when the Patient could not be read (the page greets without a name). */
  readonly patient: Patient | undefined;
}

const PEG_CODES = [PEG_SCORE_LOINC, ...PEG_ITEMS.map((i) => i.loinc)]
  .map((code) => `${LOINC_SYSTEM}|${code}`)
  .join(',');

/** Loads the patient's check-ins and PEG history; rejects with a FhirError the page explains. */
export async function loadCheckIns(
  transport: FhirTransport,
  patientId: string,
  grantedScope: string,
): Promise<CheckInsData> {
  // An empty grant means the EHR did not say what it granted: ask for everything.
  const may = (type: string, access: string) =>
    grantedScope.trim() === '' || grants(grantedScope, type, access);
  const [patient, requests, observations, referrals] = await Promise.all([
    may('Patient', 'r')
      ? readResource(transport, `Patient/${encodeURIComponent(patientId)}`, {
          label: 'Reading your record',
          guard: guardFor('Patient'),
        }).catch(() => undefined)
      : undefined,
    searchAll(
      transport,
      searchPath('Task', [
        ['patient', patientId],
        ['code', `${COMPLETE_QUESTIONNAIRE.system}|${COMPLETE_QUESTIONNAIRE.code}`],
      ]),
      { label: 'Reading your check-in requests', guard: guardFor('Task'), resourceType: 'Task' },
    ),
    searchAll(
      transport,
      searchPath('Observation', [
        ['patient', patientId],
        ['code', PEG_CODES],
      ]),
      {
        label: 'Reading your earlier answers',
        guard: guardFor('Observation'),
        resourceType: 'Observation',
      },
    ),
    may('ServiceRequest', 's')
      ? SUMMARY_REQUESTS.referrals.run(transport, patientId)
      : Promise.resolve(undefined),
  ]);
  const included = [...(referrals?.included.values() ?? [])];
  return {
    patient,
    requests: requests.matches,
    pegObservations: observations.matches,
    referrals:
      referrals === undefined
        ? undefined
        : {
            requests: referrals.matches,
            tasks: included.filter((r): r is Task & { id: string } => r.resourceType === 'Task'),
            sessions: included.filter(
              (r): r is Encounter & { id: string } => r.resourceType === 'Encounter',
            ),
          },
  };
}
