/**
 * Everything the summary page needs, requested at once right after the token: one search per
 * resource type, each following its own pages, none waiting for another. References are resolved
 * from `_include` / `_revinclude`, never by per-row reads.
 */
import type {
  Condition,
  FhirResource,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
  ServiceRequest,
} from 'fhir/r4';
import { MINDFULNESS_GMV_CODE, PATHWAY_CODE_SYSTEM } from '../domain/codes/canonical.ts';
import { PREGNANCY_STATUS_LOINC } from '../domain/codes/pregnancy.ts';
import { PEG_ITEMS, PEG_SCORE_LOINC } from '../domain/peg/peg.ts';
import { LOINC_SYSTEM } from '../domain/fhir-primitives/codings.ts';
import { guardFor, type ResourceOf } from './guards.ts';
import { grants } from './scopes.ts';
import { readResource, searchAll, searchPath, type SearchResult } from './search.ts';
import type { FhirTransport } from './transport.ts';

/** A resource as read from a server: it always has an id. */
export type WithId<T> = T & { id: string };

export interface SummaryData {
  readonly patient: WithId<Patient>;
  readonly conditions: SearchResult<WithId<Condition>>;
  /**
   * PEG score (91147-9) and item Observations, and US Core pregnancy status Observations
   * (82810-3): one search, so the summary still sends one request per resource type.
   */
  readonly pegObservations: SearchResult<WithId<Observation>>;
  readonly questionnaireResponses: SearchResult<WithId<QuestionnaireResponse>>;
  /** Questionnaires whose items carry a PEG LOINC code (other vendors' PEG forms). */
  readonly pegQuestionnaires: SearchResult<WithId<Questionnaire>>;
  /** With their `_include`d Medications. */
  readonly medicationStatements: SearchResult<WithId<MedicationStatement>>;
  readonly medicationRequests: SearchResult<WithId<MedicationRequest>>;
  /** Referrals to the programme, with their Tasks `_revinclude`d. */
  readonly referrals: SearchResult<WithId<ServiceRequest>>;
}

export type SummaryKey = keyof SummaryData;

export interface SummaryRequest<D> {
  /** Shown when the request fails, e.g. "MedicationStatement search". */
  readonly label: string;
  /** The resource type asked for, to check the grant before asking. */
  readonly resourceType: FhirResource['resourceType'];
  /** A search's 404 means the EHR does not offer the type; a read's means the record is missing. */
  readonly kind: 'read' | 'search';
  run(transport: FhirTransport, patientId: string, signal?: AbortSignal): Promise<D>;
}

/** Every MedicationRequest.intent of FHIR R4 (required binding, request-intent). */
export const MEDICATION_REQUEST_INTENTS = [
  'proposal',
  'plan',
  'order',
  'original-order',
  'reflex-order',
  'filler-order',
  'instance-order',
  'option',
] as const;

const PEG_OBSERVATION_CODES = [
  PEG_SCORE_LOINC,
  ...PEG_ITEMS.map((i) => i.loinc),
  PREGNANCY_STATUS_LOINC,
]
  .map((code) => `${LOINC_SYSTEM}|${code}`)
  .join(',');

function search<T extends FhirResource['resourceType']>(
  type: T,
  params: (patientId: string) => [string, string][],
): SummaryRequest<SearchResult<WithId<ResourceOf<T>>>> {
  const label = `${type} search`;
  const guard = guardFor(type);
  return {
    label,
    resourceType: type,
    kind: 'search',
    run: (transport, patientId, signal) =>
      searchAll(transport, searchPath(type, params(patientId)), {
        label,
        guard,
        resourceType: type,
        ...(signal === undefined ? {} : { signal }),
      }),
  };
}

export const SUMMARY_REQUESTS: { readonly [K in SummaryKey]: SummaryRequest<SummaryData[K]> } = {
  patient: {
    label: 'Patient read',
    resourceType: 'Patient',
    kind: 'read',
    run: (transport, patientId, signal) =>
      readResource(transport, `Patient/${encodeURIComponent(patientId)}`, {
        label: 'Patient read',
        guard: guardFor('Patient'),
        ...(signal === undefined ? {} : { signal }),
      }),
  },
  conditions: search('Condition', (p) => [['patient', p]]),
  pegObservations: search('Observation', (p) => [
    ['patient', p],
    ['code', PEG_OBSERVATION_CODES],
  ]),
  questionnaireResponses: search('QuestionnaireResponse', (p) => [['patient', p]]),
  pegQuestionnaires: search('Questionnaire', () => [
    ['code', PEG_ITEMS.map((i) => `${LOINC_SYSTEM}|${i.loinc}`).join(',')],
  ]),
  medicationStatements: search('MedicationStatement', (p) => [
    ['patient', p],
    ['_include', 'MedicationStatement:medication'],
  ]),
  // US Core guarantees MedicationRequest searches only with `intent` (and lists
  // `_include=MedicationRequest:medication`); every intent is asked for, so proposals and plans are
  // shown (and not counted) rather than silently missing.
  medicationRequests: search('MedicationRequest', (p) => [
    ['patient', p],
    ['intent', MEDICATION_REQUEST_INTENTS.join(',')],
    ['_include', 'MedicationRequest:medication'],
  ]),
  referrals: search('ServiceRequest', (p) => [
    ['patient', p],
    ['code', `${PATHWAY_CODE_SYSTEM}|${MINDFULNESS_GMV_CODE}`],
    ['_revinclude', 'Task:focus'],
  ]),
};

export const SUMMARY_KEYS = Object.keys(SUMMARY_REQUESTS) as SummaryKey[];

/** The requests the granted scopes allow (an empty grant means the EHR did not say: ask for all). */
export function enabledRequests(grantedScope: string): Set<SummaryKey> {
  if (grantedScope.trim() === '') {
    return new Set(SUMMARY_KEYS);
  }
  return new Set(
    SUMMARY_KEYS.filter((key) => {
      const type = SUMMARY_REQUESTS[key].resourceType;
      return grants(grantedScope, type, key === 'patient' ? 'r' : 'rs');
    }),
  );
}
