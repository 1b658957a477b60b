/**
 * The opioids (the pathway's MME overview and the section's view), computed in a worker (opioidView.worker.ts) so a long medication history never
 * holds the main thread; where no Worker exists (tests in jsdom) or the worker fails, computed here.
 * Either way the MME engine stays out of the initial JavaScript (the worker's bundle, or a dynamic
 * import).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Condition, Medication, Resource } from 'fhir/r4';
import type { MedicationRecords } from '../../domain/pathway/mmeOverview.ts';
import type { OpioidComputation } from './opioidView.ts';
import { loaded } from '../sections/sectionProps.ts';
import { olderLoading, type SummaryState } from '../useSummary.ts';

export interface OpioidViewInput {
  /** MedicationStatements and MedicationRequests as read, with their `_include`d Medications. */
  readonly records: MedicationRecords;
  /** The chart's Conditions; undefined when they could not be read. */
  readonly conditions: readonly Condition[] | undefined;
  /** The clinic's "today", as an ISO instant. */
  readonly asOf: string;
}

export interface OpioidViewRequest {
  readonly id: number;
  readonly input: OpioidViewInput;
}

const isMedication = <T extends Resource>(r: T): r is T & Medication =>
  r.resourceType === 'Medication';

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
            records: {
              statements: statements?.matches ?? [],
              requests: requests?.matches ?? [],
              medications: [
                ...(statements?.included.values() ?? []),
                ...(requests?.included.values() ?? []),
              ].filter(isMedication),
            },
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

async function computeHere(input: OpioidViewInput): Promise<OpioidComputation> {
  const { computeOpioids } = await import('./opioidView.ts');
  return computeOpioids(input.records, input.conditions, new Date(input.asOf));
}

/** The computation for `input` (undefined until it is computed, and while `input` is undefined). */
export function useOpioidView(input: OpioidViewInput | undefined): OpioidComputation | undefined {
  const [result, setResult] = useState<{ input: OpioidViewInput; computed: OpioidComputation }>();
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
    const done = (computed: OpioidComputation) => {
      if (id === latest.current) {
        setResult({ input, computed });
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
    const onMessage = (event: MessageEvent<{ id: number; computed: OpioidComputation }>) => {
      if (event.data.id === id) {
        done(event.data.computed);
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

  return result !== undefined && result.input === input ? result.computed : undefined;
}
