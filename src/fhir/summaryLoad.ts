/**
 * The summary's loading at launch, in at most two sequential round trips for a long chart:
 *
 * 1. six searches at once (summary.ts: Conditions with the Patient, PEG Observations,
 *    QuestionnaireResponses with their Questionnaires, MedicationStatements, MedicationRequests,
 *    referrals), the newest-first ones asking for their first page only;
 * 2. as each first page arrives, the rest of that search (oldest first, in the largest pages), and
 *    whatever an include did not bring (the Patient of a patient without Conditions). The rest of
 *    a history whose newest page is already shown (the PEGs) waits until the medication searches,
 *    which the first screen needs whole (OPIOID_SOURCES), are complete: on a heavy chart their
 *    older pages would otherwise share the server and the connection with those.
 *
 * Each request's answers are handed to `emit` as they come: the first page (its `incomplete` says
 * older records are still coming; not emitted when its dates were not newest first), then the
 * whole search, or the first page again with the error that stopped the rest. Nothing waits for the screen to render; the transport keeps at most six
 * requests in flight. Pure I/O: the React hook (ui/useSummary.ts) only keeps the state.
 */
import { normalizeError } from './errors.ts';
import type { SearchResult } from './search.ts';
import {
  OPIOID_SOURCES,
  patientOf,
  questionnairesOf,
  SUMMARY_REQUESTS,
  type SummaryData,
  type SummaryKey,
} from './summary.ts';
import type { FhirTransport } from './transport.ts';

export type SummaryEvent =
  | { [K in SummaryKey]: { readonly key: K; readonly data: SummaryData[K] } }[SummaryKey]
  | { readonly key: SummaryKey; readonly error: unknown };

export interface SummaryLoad {
  /** Settles when every request has its first answer (data or error). */
  readonly firstAnswers: Promise<void>;
  /** Settles when every request is complete (or failed). */
  readonly done: Promise<void>;
}

/** Requests whose data another request brings along when both are granted. */
const BROUGHT_BY: Partial<Record<SummaryKey, SummaryKey>> = {
  patient: 'conditions',
  pegQuestionnaires: 'questionnaireResponses',
};

type SearchKey = Exclude<SummaryKey, 'patient'>;

const EMPTY: SearchResult<never> = { matches: [], included: new Map(), malformed: 0, pages: 0 };

/** Starts the launch's requests; see the module comment. Never rejects: failures are events. */
export function loadSummary(
  transport: FhirTransport,
  patientId: string,
  enabled: ReadonlySet<SummaryKey>,
  emit: (event: SummaryEvent) => void,
  signal?: AbortSignal,
): SummaryLoad {
  const options = { enabled, ...(signal === undefined ? {} : { signal }) };
  const firsts: Promise<void>[] = [];
  const rests: Promise<void>[] = [];
  /** The medication searches, whole: their first pages, then their rests. */
  const wholeFirst = new Set<SummaryKey>(OPIOID_SOURCES);
  const wholeFirsts: Promise<void>[] = [];
  const wholeRests: Promise<void>[] = [];
  const wholeSettled = (): Promise<unknown> =>
    Promise.all(wholeFirsts).then(() => Promise.all(wholeRests));
  const broughtAlong = (key: SummaryKey): boolean => {
    const carrier = BROUGHT_BY[key];
    return carrier !== undefined && enabled.has(carrier);
  };

  const readPatient = (): Promise<void> =>
    SUMMARY_REQUESTS.patient.run(transport, patientId, options).then(
      (data) => {
        emit({ key: 'patient', data });
      },
      (error: unknown) => {
        emit({ key: 'patient', error });
      },
    );

  /** What a request's answer brings for the requests it carries. */
  const carried = (key: SearchKey, data: SearchResult<unknown> | undefined) => {
    if (key === 'conditions' && enabled.has('patient')) {
      const patient =
        data === undefined ? undefined : patientOf(data as SummaryData['conditions'], patientId);
      if (patient === undefined) {
        rests.push(readPatient());
      } else {
        emit({ key: 'patient', data: patient });
      }
    }
    if (key === 'questionnaireResponses' && enabled.has('pegQuestionnaires')) {
      // Without responses no Questionnaire is needed to read them: the responses' own state says
      // why they are missing.
      const responses = (data ?? EMPTY) as SummaryData['questionnaireResponses'];
      emit({ key: 'pegQuestionnaires', data: questionnairesOf(responses) });
    }
  };

  const answer = (key: SearchKey, data: SearchResult<unknown>): void => {
    emit({ key, data } as SummaryEvent);
    carried(key, data);
  };

  const start = async (key: SearchKey): Promise<void> => {
    const request = SUMMARY_REQUESTS[key] as (typeof SUMMARY_REQUESTS)['conditions'];
    let first: SearchResult<unknown>;
    let rest: ((signal?: AbortSignal) => Promise<SearchResult<unknown>>) | undefined;
    try {
      if (request.first) {
        const page = await request.first(transport, patientId, options);
        first = page.data;
        rest = page.rest;
      } else {
        first = await request.run(transport, patientId, options);
      }
    } catch (error) {
      emit({ key, error });
      carried(key, undefined);
      return;
    }
    // A first page not in date order (a server that ignored `_sort`) says nothing about what is
    // newest: the request stays loading until it is whole.
    const shown = rest === undefined || first.incomplete?.completeAfter !== undefined;
    if (shown) {
      answer(key, first);
    }
    const more = rest;
    if (more !== undefined) {
      const readRest = () =>
        more(signal).then(
          (whole) => {
            answer(key, whole);
          },
          (error: unknown) => {
            if (!shown) {
              emit({ key, error });
              carried(key, undefined);
              return;
            }
            const incomplete = {
              completeAfter: first.incomplete?.completeAfter,
              error: normalizeError(error, request.label),
            };
            answer(key, { ...first, incomplete });
          },
        );
      if (wholeFirst.has(key)) {
        const whole = readRest();
        wholeRests.push(whole);
        rests.push(whole);
      } else {
        // A first page not shown (not newest first) holds its section: its rest goes at once.
        rests.push(shown ? wholeSettled().then(readRest) : readRest());
      }
    }
  };

  // The medication searches go out first: when a chart needs their older pages, those are on the
  // way to the first screen, so their first pages should be the first the server answers.
  const keys = Object.keys(SUMMARY_REQUESTS) as SummaryKey[];
  for (const key of [...OPIOID_SOURCES, ...keys.filter((k) => !wholeFirst.has(k))]) {
    if (!enabled.has(key) || broughtAlong(key)) {
      continue;
    }
    const first = key === 'patient' ? readPatient() : start(key);
    firsts.push(first);
    if (wholeFirst.has(key)) {
      wholeFirsts.push(first);
    }
  }
  const firstAnswers = Promise.all(firsts).then(() => undefined);
  const done = firstAnswers.then(async () => {
    // Rests and fallback reads start while first answers arrive; wait until all are in.
    for (let settled = 0; settled < rests.length;) {
      const now = rests.length;
      await Promise.all(rests.slice(settled));
      settled = now;
    }
  });
  return { firstAnswers, done };
}
