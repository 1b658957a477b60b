/**
 * The export manifest (what a finished job's status URL answers) and the resource types the
 * research analysis asks for.
 * @see https://hl7.org/fhir/uv/bulkdata/STU2/export.html#response---complete-status
 */
import type { ManifestFile } from './events.ts';
import { FhirError } from '../errors.ts';

function manifestProblem(message: string): FhirError {
  return new FhirError({ kind: 'malformed', request: 'the export manifest', message });
}

export interface Manifest {
  readonly transactionTime: string;
  readonly requiresAccessToken: boolean;
  readonly output: readonly ManifestFile[];
  readonly error: readonly ManifestFile[];
}

function parseFiles(value: unknown, field: string): ManifestFile[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw manifestProblem(`the export manifest's ${field} is not an array`);
  }
  return value.map((item: unknown) => {
    const f = item as Partial<Record<string, unknown>>;
    if (typeof f['type'] !== 'string' || typeof f['url'] !== 'string') {
      throw manifestProblem(`an entry of the export manifest's ${field} lacks type or url`);
    }
    return {
      type: f['type'],
      url: f['url'],
      ...(typeof f['count'] === 'number' ? { count: f['count'] } : {}),
    };
  });
}

export function parseManifest(body: unknown): Manifest {
  if (typeof body !== 'object' || body === null) {
    throw manifestProblem('the export job answered 200 without a JSON manifest');
  }
  const m = body as Record<string, unknown>;
  return {
    transactionTime: typeof m['transactionTime'] === 'string' ? m['transactionTime'] : '',
    requiresAccessToken: m['requiresAccessToken'] === true,
    output: parseFiles(m['output'], 'output'),
    error: parseFiles(m['error'], 'error'),
  };
}

/**
 * What the research analysis (`clbp outcomes`) reads: patients, low back pain Conditions, PEG
 * responses and Observations, opioid statements/orders and their Medications, the referral
 * ServiceRequests and Tasks, the Questionnaires the responses answer, and Groups (arms).
 */
export const ANALYSIS_TYPES: readonly string[] = [
  'Patient',
  'Condition',
  'Observation',
  'QuestionnaireResponse',
  'Questionnaire',
  'MedicationStatement',
  'MedicationRequest',
  'Medication',
  'ServiceRequest',
  'Task',
  // The programme's group sessions (Encounter.basedOn the referral): `clbp pathway` counts them.
  'Encounter',
  'Group',
];

/** SMART v2 read+search system scopes for the types. */
export function systemScopes(types: readonly string[]): string {
  return types.map((t) => `system/${t}.rs`).join(' ');
}
