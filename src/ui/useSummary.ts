import { useCallback, useEffect, useReducer, useRef } from 'react';
import { isNotOffered, normalizeError, type FhirError } from '../fhir/errors.ts';
import type { Session } from '../fhir/session.ts';
import {
  SUMMARY_KEYS,
  SUMMARY_REQUESTS,
  type SummaryData,
  type SummaryKey,
} from '../fhir/summary.ts';

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

/**
 * Starts every summary request at once (none waits for another) and tracks each one's state, so a
 * failed search only affects the sections that need it. `retry(key)` repeats one request.
 */
export function useSummary(
  session: Session,
  enabled: ReadonlySet<SummaryKey>,
): { state: SummaryState; retry: (key: SummaryKey) => void } {
  const [state, dispatch] = useReducer(reducer, enabled, initial);
  const controller = useRef<AbortController | null>(null);
  // The latest run of each request: an older answer arriving after a newer one is dropped.
  const generation = useRef(new Map<SummaryKey, number>());

  const run = useCallback(
    (key: SummaryKey, signal: AbortSignal) => {
      const request = SUMMARY_REQUESTS[key];
      const attempt = (generation.current.get(key) ?? 0) + 1;
      generation.current.set(key, attempt);
      const current = () => !signal.aborted && generation.current.get(key) === attempt;
      dispatch({ key, state: { status: 'loading' } });
      request.run(session.transport, session.patientId, signal).then(
        (data) => {
          if (current()) {
            dispatch({ key, state: { status: 'ok', data } } as Action);
          }
        },
        (error: unknown) => {
          if (current()) {
            const failure = normalizeError(error, request.label);
            dispatch({
              key,
              state: {
                status:
                  request.kind === 'search' && isNotOffered(failure) ? 'unsupported' : 'error',
                error: failure,
              },
            });
          }
        },
      );
    },
    [session],
  );

  useEffect(() => {
    const abort = new AbortController();
    controller.current = abort;
    for (const key of SUMMARY_KEYS) {
      if (enabled.has(key)) {
        run(key, abort.signal);
      }
    }
    return () => {
      abort.abort();
    };
  }, [run, enabled]);

  const retry = useCallback(
    (key: SummaryKey) => {
      if (controller.current) {
        run(key, controller.current.signal);
      }
    },
    [run],
  );
  return { state, retry };
}
