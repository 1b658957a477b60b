/**
 * Everything the summary page needs, in as few round trips as a long chart allows: right after the
 * token six searches go out together (a browser queues a seventh behind the first six), each with
 * the references it needs `_include`d (never a read per row):
 *
 * - Conditions, with the Patient;
 * - PEG Observations, QuestionnaireResponses (with the Questionnaires they answer),
 *   MedicationStatements and MedicationRequests (with their Medications): newest first, the
 *   first page sized to what the sections show first, the older history read next
 *   (historySearch.ts);
 * - programme referrals, with their Tasks.
 *
 * What an include did not bring (a server that does not include canonicals, a Patient without
 * Conditions, Medications the older pages reference) is read afterwards in one request per type.
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
import { guardFor, isResource, type ResourceOf } from './guards.ts';
import { searchNewestFirst, type NewestFirst } from './historySearch.ts';
import { PEG_QUESTIONNAIRE, SCREENING_QUESTIONNAIRE } from './questionnaires.ts';
import { grants } from './scopes.ts';
import {
  INCLUDE_PAGE_SIZE,
  readResource,
  searchAll,
  searchPath,
  type SearchResult,
} from './search.ts';
import type { FhirTransport } from './transport.ts';

/**
 * The searches a screen needs whole before it shows them: the opioid totals count every
 * medication record, so the opioid section (and the first screen) waits for their older pages.
 * Their older pages are read before the older pages of the histories shown newest first (the
 * PEGs), so on a heavy chart those do not compete with them (summaryLoad.ts).
 */
export const OPIOID_SOURCES = ['medicationStatements', 'medicationRequests'] as const;

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
  /**
   * The Questionnaires the patient's responses answer (other vendors' PEG forms among them),
   * `_include`d with the responses or read by canonical URL.
   */
  readonly pegQuestionnaires: SearchResult<WithId<Questionnaire>>;
  /** With their `_include`d Medications. */
  readonly medicationStatements: SearchResult<WithId<MedicationStatement>>;
  readonly medicationRequests: SearchResult<WithId<MedicationRequest>>;
  /**
   * Referrals to the programme, with their Tasks and their group-session Encounters
   * (Encounter.basedOn) `_revinclude`d.
   */
  readonly referrals: SearchResult<WithId<ServiceRequest>>;
}

export type SummaryKey = keyof SummaryData;

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** The requests the grant allows: includes of types not granted are not asked for. */
  readonly enabled?: ReadonlySet<SummaryKey>;
}

/** The first page of a request, and how to read the rest when there is more. */
export interface FirstAnswer<D> {
  readonly data: D;
  readonly rest?: (signal?: AbortSignal) => Promise<D>;
}

export interface SummaryRequest<D> {
  /** Shown when the request fails, e.g. "MedicationStatement search". */
  readonly label: string;
  /** The resource type asked for, to check the grant before asking. */
  readonly resourceType: FhirResource['resourceType'];
  /** A search's 404 means the EHR does not offer the type; a read's means the record is missing. */
  readonly kind: 'read' | 'search';
  /** Reads everything (a retry, a reload after a save). */
  run(transport: FhirTransport, patientId: string, options?: RunOptions): Promise<D>;
  /** Newest-first searches: the first page now, the older history after. */
  first?(
    transport: FhirTransport,
    patientId: string,
    options?: RunOptions,
  ): Promise<FirstAnswer<D>>;
}

/** Every MedicationRequest.intent of FHIR R4 (required binding, request-intent). */
const MEDICATION_REQUEST_INTENTS = [
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

type Params = (patientId: string) => [string, string][];

interface SearchSpec<T extends FhirResource['resourceType']> {
  readonly params: Params;
  /** Includes, asked for only when `includes(enabled)` allows (the type they bring is granted). */
  readonly includes?: (enabled: ReadonlySet<SummaryKey> | undefined) => [string, string][];
  readonly order?: Omit<NewestFirst<WithId<ResourceOf<T>>>, 'dateOf'> & {
    readonly dateOf: (resource: ResourceOf<T>) => string | undefined;
  };
  /** Reads what the includes should have brought and did not. */
  readonly complete?: (
    transport: FhirTransport,
    result: SearchResult<WithId<ResourceOf<T>>>,
    signal: AbortSignal | undefined,
  ) => Promise<SearchResult<WithId<ResourceOf<T>>>>;
}

function search<T extends FhirResource['resourceType']>(
  type: T,
  spec: SearchSpec<T>,
): SummaryRequest<SearchResult<WithId<ResourceOf<T>>>> {
  const label = `${type} search`;
  const guard = guardFor(type);
  const options = (signal: AbortSignal | undefined) => ({
    label,
    guard,
    resourceType: type,
    ...(signal === undefined ? {} : { signal }),
  });
  const complete = (
    transport: FhirTransport,
    result: SearchResult<WithId<ResourceOf<T>>>,
    signal: AbortSignal | undefined,
  ) => spec.complete?.(transport, result, signal) ?? Promise.resolve(result);
  const includes = (o: RunOptions | undefined) => spec.includes?.(o?.enabled) ?? [];
  const run: SummaryRequest<SearchResult<WithId<ResourceOf<T>>>>['run'] = async (
    transport,
    patientId,
    o,
  ) =>
    complete(
      transport,
      await searchAll(
        transport,
        searchPath(type, [...spec.params(patientId), ...includes(o)]),
        options(o?.signal),
      ),
      o?.signal,
    );
  const { order } = spec;
  if (order === undefined) {
    return { label, resourceType: type, kind: 'search', run };
  }
  return {
    label,
    resourceType: type,
    kind: 'search',
    run,
    first: async (transport, patientId, o) => {
      const page = await searchNewestFirst(transport, {
        ...options(o?.signal),
        resourceType: type,
        params: spec.params(patientId),
        includes: includes(o),
        order,
      });
      const { rest } = page;
      return {
        data: await complete(transport, page.result, o?.signal),
        ...(rest === undefined
          ? {}
          : {
              rest: async (signal?: AbortSignal) => complete(transport, await rest(signal), signal),
            }),
      };
    },
  };
}

/** Reads, one request per type, the literal references the matches make that are not in hand. */
function withReferenced(referencesOf: (resource: FhirResource) => readonly (string | undefined)[]) {
  return async <T extends FhirResource>(
    transport: FhirTransport,
    result: SearchResult<WithId<T>>,
    signal: AbortSignal | undefined,
  ): Promise<SearchResult<WithId<T>>> => {
    const missing = new Map<string, Set<string>>();
    for (const match of result.matches) {
      for (const reference of referencesOf(match)) {
        const [type, id] = reference?.split('/') ?? [];
        if (type && id && !result.included.has(`${type}/${id}`)) {
          missing.set(type, (missing.get(type) ?? new Set()).add(id));
        }
      }
    }
    return addIncluded(
      transport,
      result,
      signal,
      [...missing].map(([type, ids]) => [type, '_id', ids]),
    );
  };
}

/** The Questionnaires the responses answer that no include brought and the app does not carry. */
async function withQuestionnaires<T extends FhirResource>(
  transport: FhirTransport,
  result: SearchResult<WithId<T>>,
  signal: AbortSignal | undefined,
): Promise<SearchResult<WithId<T>>> {
  const included = [...result.included.values()].filter(
    (r): r is WithId<Questionnaire> => r.resourceType === 'Questionnaire',
  );
  const known = new Set(
    [PEG_QUESTIONNAIRE, SCREENING_QUESTIONNAIRE, ...included].flatMap((q) =>
      q.url === undefined ? [] : [q.url],
    ),
  );
  const urls = new Set<string>();
  for (const match of result.matches) {
    const canonical =
      match.resourceType === 'QuestionnaireResponse' ? match.questionnaire : undefined;
    const url = canonical?.split('|')[0];
    if (url !== undefined && url !== '' && !known.has(url)) {
      urls.add(url);
    }
  }
  return addIncluded(
    transport,
    result,
    signal,
    urls.size > 0 ? [['Questionnaire', 'url', urls]] : [],
  );
}

/** Searches `Type?param=v1,v2…` (at most 100 values a request) and adds the finds as included. */
async function addIncluded<T>(
  transport: FhirTransport,
  result: SearchResult<T>,
  signal: AbortSignal | undefined,
  wanted: readonly (readonly [string, string, ReadonlySet<string>])[],
): Promise<SearchResult<T>> {
  if (wanted.length === 0) {
    return result;
  }
  const included = new Map(result.included);
  const reads = wanted.flatMap(([type, param, values]) => {
    const all = [...values];
    return Array.from({ length: Math.ceil(all.length / 100) }, (_, i) =>
      searchAll(
        transport,
        searchPath(type, [[param, all.slice(i * 100, i * 100 + 100).join(',')]]),
        {
          label: `${type} search`,
          guard: isResource,
          ...(signal === undefined ? {} : { signal }),
        },
      ),
    );
  });
  for (const found of await Promise.all(reads)) {
    for (const resource of found.matches) {
      included.set(`${resource.resourceType}/${resource.id}`, resource);
    }
  }
  return { ...result, included };
}

const medicationOf = (r: FhirResource): (string | undefined)[] =>
  r.resourceType === 'MedicationStatement' || r.resourceType === 'MedicationRequest'
    ? [r.medicationReference?.reference]
    : [];

export const SUMMARY_REQUESTS: { readonly [K in SummaryKey]: SummaryRequest<SummaryData[K]> } = {
  patient: {
    label: 'Patient read',
    resourceType: 'Patient',
    kind: 'read',
    run: (transport, patientId, o) =>
      readResource(transport, `Patient/${encodeURIComponent(patientId)}`, {
        label: 'Patient read',
        guard: guardFor('Patient'),
        ...(o?.signal === undefined ? {} : { signal: o.signal }),
      }),
  },
  // The Patient comes with them (one request fewer at launch); see patientOf.
  conditions: search('Condition', {
    params: (p) => [['patient', p]],
    includes: (enabled) =>
      enabled === undefined || enabled.has('patient') ? [['_include', 'Condition:patient']] : [],
  }),
  pegObservations: search('Observation', {
    params: (p) => [
      ['patient', p],
      ['code', PEG_OBSERVATION_CODES],
    ],
    // 100 holds the last 12 PEGs in any shape (three item Observations each at most) with room.
    order: {
      sortParam: 'date',
      firstPage: 100,
      dateOf: (o) => o.effectiveDateTime ?? o.effectiveInstant ?? o.effectivePeriod?.start,
    },
  }),
  questionnaireResponses: search('QuestionnaireResponse', {
    params: (p) => [['patient', p]],
    includes: (enabled) =>
      enabled === undefined || enabled.has('pegQuestionnaires')
        ? [['_include', 'QuestionnaireResponse:questionnaire']]
        : [],
    order: { sortParam: 'authored', firstPage: INCLUDE_PAGE_SIZE, dateOf: (r) => r.authored },
    complete: withQuestionnaires,
  }),
  // The Questionnaires the responses answer come with them (questionnairesOf); read on their own
  // only for a retry: the responses' canonicals, by URL.
  pegQuestionnaires: {
    label: 'Questionnaire search',
    resourceType: 'Questionnaire',
    kind: 'search',
    run: async (transport, patientId, o) =>
      questionnairesOf(await SUMMARY_REQUESTS.questionnaireResponses.run(transport, patientId, o)),
  },
  medicationStatements: search('MedicationStatement', {
    params: (p) => [['patient', p]],
    includes: () => [['_include', 'MedicationStatement:medication']],
    order: {
      sortParam: 'effective',
      firstPage: INCLUDE_PAGE_SIZE,
      dateOf: (r) => r.effectiveDateTime ?? r.effectivePeriod?.start,
    },
    complete: withReferenced(medicationOf),
  }),
  // US Core guarantees MedicationRequest searches only with `intent` (and lists
  // `_include=MedicationRequest:medication`); every intent is asked for, so proposals and plans are
  // shown (and not counted) rather than silently missing.
  medicationRequests: search('MedicationRequest', {
    params: (p) => [
      ['patient', p],
      ['intent', MEDICATION_REQUEST_INTENTS.join(',')],
    ],
    includes: () => [['_include', 'MedicationRequest:medication']],
    order: { sortParam: 'authoredon', firstPage: INCLUDE_PAGE_SIZE, dateOf: (r) => r.authoredOn },
    complete: withReferenced(medicationOf),
  }),
  referrals: search('ServiceRequest', {
    params: (p) => [
      ['patient', p],
      ['code', `${PATHWAY_CODE_SYSTEM}|${MINDFULNESS_GMV_CODE}`],
      ['_revinclude', 'Task:focus'],
      // The group sessions attended (Encounter.basedOn the referral): the programme start.
      ['_revinclude', 'Encounter:based-on'],
    ],
  }),
};

/** The launch Patient as the Condition search included it, if it did. */
export function patientOf(
  conditions: SummaryData['conditions'],
  patientId: string,
): WithId<Patient> | undefined {
  const found = conditions.included.get(`Patient/${patientId}`);
  return found?.resourceType === 'Patient' ? (found as WithId<Patient>) : undefined;
}

/** The Questionnaires the responses answer, as included with them (or read by canonical URL). */
export function questionnairesOf(
  responses: SummaryData['questionnaireResponses'],
): SummaryData['pegQuestionnaires'] {
  const matches = [...responses.included.values()].filter(
    (r): r is WithId<Questionnaire> => r.resourceType === 'Questionnaire',
  );
  // Complete for the responses in hand: the responses' own `incomplete` says what is still coming.
  return { matches, included: new Map(), malformed: 0, pages: 0 };
}

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
