/**
 * The opioid view, computed in a worker (opioidView.worker.ts) so a long medication history never
 * holds the main thread; where no Worker exists (tests in jsdom) or the worker fails, computed here.
 * Either way the MME engine stays out of the initial JavaScript (the worker's bundle, or a dynamic
 * import).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { OpioidView } from './opioidView.ts';
import { loaded } from '../sections/sectionProps.ts';
import { olderLoading, type SummaryState } from '../useSummary.ts';

export interface OpioidViewInput {
  /** MedicationStatements and MedicationRequests as read. */
  readonly records: readonly unknown[];
  /** Their `_include`d Medications. */
  readonly included: readonly unknown[];
  /** The chart's Conditions; undefined when they could not be read. */
  readonly conditions: readonly unknown[] | undefined;
  /** The clinic's "today", as an ISO instant. */
  readonly asOf: string;
}

export interface OpioidViewRequest {
  readonly id: number;
  readonly input: OpioidViewInput;
}

const settled = (entry: SummaryState[keyof SummaryState]): boolean =>
  entry.status !== 'loading' && entry.status !== 'refreshing' && !olderLoading(entry);

/**
 * What the view is computed from, once every medication record (and the Conditions) is in:
 * undefined before, so nothing is computed from part of a history.
 */
export function useOpioidViewInput(state: SummaryState, asOf: Date): OpioidViewInput | undefined {
  const statements = loaded(state, 'medicationStatements');
  const requests = loaded(state, 'medicationRequests');
  const conditions = loaded(state, 'conditions');
  const ready =
    settled(state.medicationStatements) &&
    settled(state.medicationRequests) &&
    settled(state.conditions);
  return useMemo(
    () =>
      ready
        ? {
            records: [...(statements?.matches ?? []), ...(requests?.matches ?? [])],
            included: [
              ...(statements?.included.values() ?? []),
              ...(requests?.included.values() ?? []),
            ],
            conditions: conditions?.matches,
            asOf: asOf.toISOString(),
          }
        : undefined,
    [ready, statements, requests, conditions, asOf],
  );
}

function startWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') {
    return undefined;
  }
  try {
    return new Worker(new URL('./opioidView.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    // A browser or policy that refuses module workers: the view is computed on the main thread.
    return undefined;
  }
}

async function computeHere(input: OpioidViewInput): Promise<OpioidView> {
  const { opioidView } = await import('./opioidView.ts');
  return opioidView(input.records, input.included, input.conditions, new Date(input.asOf));
}

/** The view for `input` (undefined until it is computed, and while `input` is undefined). */
export function useOpioidView(input: OpioidViewInput | undefined): OpioidView | undefined {
  const [result, setResult] = useState<{ input: OpioidViewInput; view: OpioidView }>();
  const worker = useRef<Worker | undefined>(undefined);
  const latest = useRef(0);

  // Started with the app, so the worker's script loads while the chart's requests are out.
  useEffect(() => {
    const started = startWorker();
    worker.current = started;
    return () => {
      started?.terminate();
      worker.current = undefined;
    };
  }, []);

  useEffect(() => {
    if (input === undefined) {
      return;
    }
    const id = ++latest.current;
    const done = (view: OpioidView) => {
      if (id === latest.current) {
        setResult({ input, view });
      }
    };
    const fallback = () => {
      void computeHere(input).then(done);
    };
    const running = worker.current;
    if (running === undefined) {
      fallback();
      return;
    }
    const onMessage = (event: MessageEvent<{ id: number; view: OpioidView }>) => {
      if (event.data.id === id) {
        done(event.data.view);
      }
    };
    const onError = () => {
      worker.current = undefined;
      fallback();
    };
    running.addEventListener('message', onMessage);
    running.addEventListener('error', onError);
    running.postMessage({ id, input } satisfies OpioidViewRequest);
    return () => {
      running.removeEventListener('message', onMessage);
      running.removeEventListener('error', onError);
    };
  }, [input]);

  return result !== undefined && result.input === input ? result.view : undefined;
}
