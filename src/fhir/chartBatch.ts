/**
 * Many patients' pathway charts from one batch of searches: the summary's own searches
 * (summary.ts, the same parameters and includes) asked for a list of patients at once
 * (`patient=a,b,c`, FHIR's OR on a reference parameter), then split by patient. The programme
 * workspace shows a page of patients this way with about seven requests, never one per row; each
 * chart then goes through the one pathway function, as the clinician's screen does.
 */
import type { Patient, Resource } from 'fhir/r4';
import type { PathwayChart } from '../domain/pathway/chart.ts';
import { normalizeError, type FhirError } from './errors.ts';
import { guardFor } from './guards.ts';
import { chartFromSummary, patientOf } from './pathwayChart.ts';
import { grants } from './scopes.ts';
import { searchAll, searchPath, type SearchResult } from './search.ts';
import { enabledRequests, SUMMARY_REQUESTS, type SummaryKey, type WithId } from './summary.ts';
import type { FhirTransport } from './transport.ts';

/** Patients per batch: the value bound of one search parameter on the sandbox and most servers. */
export const CHART_BATCH_SIZE = 100;

/** The summary searches a batch asks (the patient read becomes one `_id` search). */
const BATCH_KEYS = [
  'conditions',
  'pegObservations',
  'questionnaireResponses',
  'medicationStatements',
  'medicationRequests',
  'referrals',
] as const satisfies readonly SummaryKey[];

type BatchKey = (typeof BATCH_KEYS)[number];

export interface ChartBatch {
  /** Each asked patient's chart (a part is undefined when its search failed or was not granted). */
  readonly charts: ReadonlyMap<string, PathwayChart>;
  /** The searches that failed, with the error the screen shows. */
  readonly failed: readonly { readonly key: SummaryKey | 'patients'; readonly error: FhirError }[];
}

type AnyResult = SearchResult<WithId<Resource>>;

const isQuestionnaire = guardFor('Questionnaire');

function emptyResult(): { matches: WithId<Resource>[]; included: Map<string, WithId<Resource>> } {
  return { matches: [], included: new Map() };
}

/** One search's result split by patient; resources of no patient (Medications, Questionnaires) go to all. */
function splitByPatient(result: AnyResult, ids: readonly string[]): Map<string, AnyResult> {
  const parts = new Map(ids.map((id) => [id, emptyResult()]));
  for (const match of result.matches) {
    const owner = patientOf(match);
    if (owner !== undefined) {
      parts.get(owner)?.matches.push(match);
    }
  }
  for (const [key, resource] of result.included) {
    const owner = patientOf(resource);
    for (const [id, part] of parts) {
      if (owner === undefined || owner === id) {
        part.included.set(key, resource);
      }
    }
  }
  return new Map(
    [...parts].map(([id, part]) => [
      id,
      { matches: part.matches, included: part.included, malformed: 0, pages: result.pages },
    ]),
  );
}

/**
 * One patient's part of the batch's answers, shaped as the launch's summary: each search's
 * records, the Questionnaires included with the responses, the Patient.
 */
function summaryOf(
  id: string,
  byKey: ReadonlyMap<BatchKey, Map<string, AnyResult>>,
  patient: WithId<Patient> | undefined,
): Record<string, unknown> {
  const read: Record<string, unknown> = {};
  for (const [key, parts] of byKey) {
    read[key] = parts.get(id);
  }
  const responses = byKey.get('questionnaireResponses')?.get(id);
  if (responses !== undefined) {
    // The Questionnaires the responses answer, as included with them (questionnairesOf).
    read['pegQuestionnaires'] = {
      matches: [...responses.included.values()].filter(isQuestionnaire),
      included: new Map(),
      malformed: 0,
      pages: 0,
    };
  }
  read['patient'] = patient;
  return read;
}

/**
 * The pathway charts of `patientIds` (at most CHART_BATCH_SIZE) with the searches the grant
 * allows, all in parallel. A failed search leaves its part unread in every chart and is reported.
 */
export async function loadChartBatch(
  transport: FhirTransport,
  patientIds: readonly string[],
  grantedScope: string,
  signal?: AbortSignal,
): Promise<ChartBatch> {
  const ids = [...new Set(patientIds)].slice(0, CHART_BATCH_SIZE);
  if (ids.length === 0) {
    return { charts: new Map(), failed: [] };
  }
  const enabled = enabledRequests(grantedScope);
  const list = ids.join(',');
  const options = { enabled, ...(signal === undefined ? {} : { signal }) };
  const keys = BATCH_KEYS.filter((key) => enabled.has(key));
  const [patients, ...results] = await Promise.allSettled([
    searchAll(transport, searchPath('Patient', [['_id', list]]), {
      label: 'Patient search',
      guard: guardFor('Patient'),
      resourceType: 'Patient',
      ...(signal === undefined ? {} : { signal }),
    }),
    ...keys.map((key) => SUMMARY_REQUESTS[key].run(transport, list, options)),
  ]);
  const failed: { key: SummaryKey | 'patients'; error: FhirError }[] = [];
  const byKey = new Map<BatchKey, Map<string, AnyResult>>();
  results.forEach((settled, i) => {
    const key = keys[i];
    if (key === undefined) {
      return;
    }
    if (settled.status === 'rejected') {
      failed.push({ key, error: normalizeError(settled.reason) });
    } else {
      byKey.set(key, splitByPatient(settled.value, ids));
    }
  });
  const patientById = new Map<string, WithId<Patient>>();
  if (patients.status === 'fulfilled') {
    for (const patient of patients.value.matches) {
      patientById.set(patient.id, patient);
    }
  } else {
    failed.push({ key: 'patients', error: normalizeError(patients.reason) });
  }
  const sessionsGranted = grantedScope.trim() === '' || grants(grantedScope, 'Encounter', 'rs');
  const charts = new Map<string, PathwayChart>();
  for (const id of ids) {
    charts.set(id, chartFromSummary(summaryOf(id, byKey, patientById.get(id)), sessionsGranted));
  }
  return { charts, failed };
}
