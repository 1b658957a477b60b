import { useCallback, useMemo, useState } from 'react';
import type { QueueEntry } from '../../domain/pathway/queue.ts';
import { normalizeError, type FhirError } from '../../fhir/errors.ts';
import {
  loadQueuePage,
  queueSearch,
  type QueueFilter,
  type QueuePage,
} from '../../fhir/programmeQueue.ts';
import type { FhirTransport } from '../../fhir/transport.ts';
import { useLoad, type Loaded } from './useLoad.ts';

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

/** The older pages read after one first page (dropped when the first page is read again). */
interface OlderPages {
  readonly after: QueuePage;
  readonly pages: readonly QueuePage[];
  readonly more: 'idle' | 'loading' | FhirError;
}

/** The queue shown: the first page and the older pages read after that very page. */
function queueState(first: Loaded<QueuePage>, older: OlderPages | undefined): QueueState {
  if (first.status !== 'ok') {
    return first;
  }
  const own = older?.after === first.value ? older : undefined;
  const pages = [first.value, ...(own?.pages ?? [])];
  return {
    status: 'ok',
    entries: pages.flatMap((p) => p.entries),
    malformed: pages.reduce((n, p) => n + p.malformed, 0),
    next: pages.at(-1)?.next,
    more: own?.more ?? 'idle',
  };
}

/**
 * The queue as the staff member pages through it: the first page of the filter, then older pages
 * on request. `reload` reads the first page again (after a decision, or to see colleagues' work),
 * dropping the older pages shown.
 */
export function useReferralQueue(transport: FhirTransport, programme: string) {
  const [filter, setFilter] = useState<QueueFilter>('awaiting');
  const load = useCallback(
    (signal: AbortSignal) => loadQueuePage(transport, queueSearch(programme, filter), signal),
    [transport, programme, filter],
  );
  const first = useLoad(load);
  const [older, setOlder] = useState<OlderPages>();
  const state = useMemo(() => queueState(first.state, older), [first.state, older]);
  const { reload, retry } = first;

  /** Another part of the queue: its first page, loading until it arrives. */
  const changeFilter = useCallback(
    (next: QueueFilter) => {
      setFilter(next);
      retry();
    },
    [retry],
  );

  const loadMore = useCallback(() => {
    if (first.state.status !== 'ok' || state.status !== 'ok') {
      return;
    }
    const url = state.next;
    if (url === undefined || state.more === 'loading') {
      return;
    }
    const after = first.state.value;
    setOlder({ after, pages: older?.after === after ? older.pages : [], more: 'loading' });
    const settle = (change: (o: OlderPages) => OlderPages) => {
      setOlder((o) => (o?.after === after ? change(o) : o));
    };
    loadQueuePage(transport, url).then(
      (page) => {
        settle((o) => ({ after, pages: [...o.pages, page], more: 'idle' }));
      },
      (error: unknown) => {
        settle((o) => ({ ...o, more: normalizeError(error) }));
      },
    );
  }, [first.state, state, older, transport]);

  return { filter, changeFilter, state, reload, loadMore };
}
