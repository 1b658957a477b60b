/**
 * The pathway of a patient as the EHR simulator lists it: everything the app would read, taken from
 * the sandbox's FHIR store (so a referral placed in the app shows here too), through the same
 * chart and pathway functions as the app and `clbp pathway`.
 */
import { parseSearchRequest } from '@medplum/core';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from 'fhir/r4';
import { evaluatePathway } from '../../domain/pathway/pathway.ts';
import { nextActionText, statusLine } from '../../domain/pathway/status.ts';
import { normalizeReference } from '../../domain/fhir-primitives/references.ts';
import { CHART_TYPES, chartFromResources } from '../../fhir/pathwayChart.ts';

/** Above the largest sandbox chart (heavy-history: about 3,000 resources). */
const MAX_PER_TYPE = 10_000;

async function search(repo: MemoryRepository, query: string): Promise<Resource[]> {
  // medplum's resource types are its own; the sandbox stores R4 resources.
  const found: readonly unknown[] = await repo.searchResources(parseSearchRequest(query));
  return found as Resource[];
}

/** Every resource of one patient the pathway reads, with the Medications and Questionnaires. */
async function patientResources(repo: MemoryRepository, patientId: string): Promise<Resource[]> {
  const id = encodeURIComponent(patientId);
  const own = (
    await Promise.all([
      search(repo, `Patient?_id=${id}`),
      ...CHART_TYPES.map((type) =>
        search(repo, `${type}?patient=${id}&_count=${String(MAX_PER_TYPE)}`),
      ),
    ])
  ).flat();
  const medicationIds = new Set(
    own.flatMap((r) => {
      const reference = (r as { medicationReference?: { reference?: string } }).medicationReference
        ?.reference;
      return reference === undefined
        ? []
        : [normalizeReference(reference).replace(/^Medication\//, '')];
    }),
  );
  const medications =
    medicationIds.size === 0
      ? []
      : await search(
          repo,
          `Medication?_id=${[...medicationIds].map(encodeURIComponent).join(',')}`,
        );
  const questionnaires = await search(repo, 'Questionnaire?_count=1000');
  return [...own, ...medications, ...questionnaires];
}

export interface PatientStatus {
  readonly status: string;
  readonly nextAction: string;
}

/** The status line and next action the app shows for the patient on `asOf`. */
export async function patientStatus(
  repo: MemoryRepository,
  patientId: string,
  asOf: Date,
): Promise<PatientStatus> {
  const pathway = evaluatePathway(
    chartFromResources(await patientResources(repo, patientId)),
    asOf,
  );
  return { status: statusLine(pathway), nextAction: nextActionText(pathway.nextAction) };
}
