import { useCallback, useEffect, useRef, useState } from 'react';
import type { QueueEntry } from '../../domain/pathway/queue.ts';
import { normalizeError, type FhirError } from '../../fhir/errors.ts';
import { loadQueuePage, queueSearch, type QueueFilter } from '../../fhir/programmeQueue.ts';
import type { FhirTransport } from '../../fhir/transport.ts';

export type QueueState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly error: FhirError }
  | {
      readonly status: 'ok';
      readonly entries: readonly QueueEntry[];
      readonly malformed: number;
      readonly next: string | undefined;
      /** Loading the next page, or its failure. */
      readonly more: 'idle' | 'loading' | FhirError;
    };

/**
 * The queue as the staff member pages through it: the first page of the filter, then older pages
 * on request. `reload` reads the pages shown again (after a decision, or to see colleagues' work).
 */
export function useReferralQueue(transport: FhirTransport, programme: string) {
  const [filter, setFilter] = useState<QueueFilter>('awaiting');
  const [state, setState] = useState<QueueState>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const current = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    const run = ++current.current;
    loadQueuePage(transport, queueSearch(programme, filter), controller.signal).then(
      (page) => {
        if (run === current.current) {
          setState({ status: 'ok', ...page, more: 'idle' });
        }
      },
      (error: unknown) => {
        if (run === current.current && !controller.signal.aborted) {
          setState({ status: 'error', error: normalizeError(error) });
        }
      },
    );
    return () => {
      controller.abort();
    };
  }, [transport, programme, filter, generation]);

  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
  }, []);

  /** Another part of the queue: its first page, loading until it arrives. */
  const changeFilter = useCallback((next: QueueFilter) => {
    setFilter(next);
    setState({ status: 'loading' });
  }, []);

  const loadMore = useCallback(() => {
    if (state.status !== 'ok' || state.next === undefined || state.more === 'loading') {
      return;
    }
    const run = current.current;
    const url = state.next;
    setState({ ...state, more: 'loading' });
    loadQueuePage(transport, url).then(
      (page) => {
        if (run === current.current) {
          setState((s) =>
            s.status === 'ok'
              ? {
                  status: 'ok',
                  entries: [...s.entries, ...page.entries],
                  malformed: s.malformed + page.malformed,
                  next: page.next,
                  more: 'idle',
                }
              : s,
          );
        }
      },
      (error: unknown) => {
        if (run === current.current) {
          setState((s) => (s.status === 'ok' ? { ...s, more: normalizeError(error) } : s));
        }
      },
    );
  }, [state, transport]);

  return { filter, changeFilter, state, reload, loadMore };
}
