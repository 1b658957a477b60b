import { startTransition, useCallback, useEffect, useReducer, useRef } from 'react';
import { isNotOffered, normalizeError, type FhirError } from '../fhir/errors.ts';
import type { Session } from '../fhir/session.ts';
import {
  SUMMARY_KEYS,
  SUMMARY_REQUESTS,
  type SummaryData,
  type SummaryKey,
} from '../fhir/summary.ts';
import { loadSummary, type SummaryEvent } from '../fhir/summaryLoad.ts';
import type { SearchResult } from '../fhir/search.ts';
import { isRecord } from '../domain/fhir-primitives/json.ts';

export type RequestState<D> =
  | { readonly status: 'loading' }
  | { readonly status: 'ok'; readonly data: D }
  /** Fetching again after a save; the data shown meanwhile is the previous answer. */
  | { readonly status: 'refreshing'; readonly data: D }
  | { readonly status: 'error'; readonly error: FhirError }
  /** Not requested: the grant lacks the scope (the section says which). */
  | { readonly status: 'off' }
  /** The EHR does not offer this resource type (e.g. 404 for MedicationStatement on US Core 4+). */
  | { readonly status: 'unsupported'; readonly error: FhirError };

export type SummaryState = { readonly [K in SummaryKey]: RequestState<SummaryData[K]> };

type Action = { [K in SummaryKey]: { key: K; state: RequestState<SummaryData[K]> } }[SummaryKey];

function reducer(state: SummaryState, action: Action): SummaryState {
  const current = state[action.key];
  if (
    action.state.status === 'loading' &&
    (current.status === 'ok' || current.status === 'refreshing')
  ) {
    // Keep showing what was there (a form the user is looking at stays mounted) while it reloads.
    return { ...state, [action.key]: { status: 'refreshing', data: current.data } };
  }
  return { ...state, [action.key]: action.state };
}

function initial(enabled: ReadonlySet<SummaryKey>): SummaryState {
  const entries = SUMMARY_KEYS.map((k) => [
    k,
    enabled.has(k) ? { status: 'loading' } : { status: 'off' },
  ]);
  return Object.fromEntries(entries) as SummaryState;
}

/** What a loaded search still lacks: older records still being read, or the error reading them. */
export function incompleteOf(entry: RequestState<unknown>): SearchResult<unknown>['incomplete'] {
  const data = entry.status === 'ok' || entry.status === 'refreshing' ? entry.data : undefined;
  return isRecord(data) && isRecord(data['incomplete'])
    ? (data['incomplete'] as SearchResult<unknown>['incomplete'])
    : undefined;
}

/** Whether a loaded search's older records are still being read. */
export function olderLoading(entry: RequestState<unknown>): boolean {
  const incomplete = incompleteOf(entry);
  return incomplete !== undefined && incomplete.error === undefined;
}

/** Whether older records are still being read for any request. */
export function historyLoading(state: SummaryState): boolean {
  return Object.values(state).some(olderLoading);
}

/**
 * Loads the summary (fhir/summaryLoad.ts: every request at once, older history right after) and
 * tracks each request's state, so a failed search only affects the sections that need it.
 * `retry(key)` reads one request again, whole.
 */
export function useSummary(
  session: Session,
  enabled: ReadonlySet<SummaryKey>,
): { state: SummaryState; retry: (key: SummaryKey) => void } {
  const [state, dispatch] = useReducer(reducer, enabled, initial);
  const controller = useRef<AbortController | null>(null);
  // The latest run of each request: an older answer arriving after a newer one is dropped.
  const generation = useRef(new Map<SummaryKey, number>());

  const settle = useCallback(
    (key: SummaryKey, outcome: SummaryEvent | { key: SummaryKey; error: unknown }) => {
      const request = SUMMARY_REQUESTS[key];
      let action: Action;
      if ('data' in outcome) {
        action = { key, state: { status: 'ok', data: outcome.data } } as Action;
      } else {
        const failure = normalizeError(outcome.error, request.label);
        const status = request.kind === 'search' && isNotOffered(failure) ? 'unsupported' : 'error';
        action = { key, state: { status, error: failure } };
      }
      // A transition: React DOM would render a long chart in slices, yielding between components;
      // preact/compat, the runtime the app ships on, renders it at once (bench:launch finds no
      // task over 50 ms at heavy-30k), so this only marks the update as not urgent.
      startTransition(() => {
        dispatch(action);
      });
    },
    [],
  );

  const retry = useCallback(
    (key: SummaryKey) => {
      const signal = controller.current?.signal;
      if (signal === undefined) {
        return;
      }
      const attempt = (generation.current.get(key) ?? 0) + 1;
      generation.current.set(key, attempt);
      const current = () => !signal.aborted && generation.current.get(key) === attempt;
      dispatch({ key, state: { status: 'loading' } });
      SUMMARY_REQUESTS[key].run(session.transport, session.patientId, { signal, enabled }).then(
        (data) => {
          if (current()) {
            settle(key, { key, data } as SummaryEvent);
          }
        },
        (error: unknown) => {
          if (current()) {
            settle(key, { key, error });
          }
        },
      );
    },
    [session, enabled, settle],
  );

  useEffect(() => {
    const abort = new AbortController();
    controller.current = abort;
    for (const key of SUMMARY_KEYS) {
      generation.current.set(key, (generation.current.get(key) ?? 0) + 1);
    }
    const launched = new Map(generation.current);
    loadSummary(
      session.transport,
      session.patientId,
      enabled,
      (event) => {
        if (
          !abort.signal.aborted &&
          generation.current.get(event.key) === launched.get(event.key)
        ) {
          settle(event.key, event);
        }
      },
      abort.signal,
    );
    return () => {
      abort.abort();
    };
  }, [session, enabled, settle]);

  return { state, retry };
}
