import { useEffect, useRef, useState } from 'react';
import { evaluatePathwayWith, type Pathway } from '../../domain/pathway/evaluate.ts';
import type { MmeOverviewOf } from '../../domain/pathway/mmeOverview.ts';
import { CHART_BATCH_SIZE, loadChartBatch, type ChartBatch } from '../../fhir/chartBatch.ts';
import { normalizeError, type FhirError } from '../../fhir/errors.ts';
import type { PathwayChart } from '../../domain/pathway/chart.ts';
import type { StaffSession } from '../../fhir/session.ts';

/** The MME engine and its RxNorm table are the app's largest code: loaded on first use only. */
let mmeEngine: Promise<MmeOverviewOf> | undefined;
function loadMmeEngine(): Promise<MmeOverviewOf> {
  mmeEngine ??= import('../../domain/pathway/mmeOverview.ts').then((m) => m.mmeOverview);
  return mmeEngine;
}

export interface PatientPathways {
  /** Each patient's pathway by id, once their batch has arrived (MME filled in when computed). */
  readonly pathways: ReadonlyMap<string, Pathway>;
  /** The charts they were evaluated from (the session Encounters for the attendance grid). */
  readonly charts: ReadonlyMap<string, PathwayChart>;
  /** Searches of the batches that failed (their part shows as not read). */
  readonly failed: ChartBatch['failed'];
  readonly loading: boolean;
  /** Failure of a whole batch (nothing could be read for those patients). */
  readonly error: FhirError | undefined;
}

/** The charts of these patients, read in batches of the clinician's own searches. */
function readCharts(
  session: StaffSession,
  ids: readonly string[],
  signal: AbortSignal,
): Promise<ChartBatch[]> {
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += CHART_BATCH_SIZE) {
    batches.push(ids.slice(i, i + CHART_BATCH_SIZE));
  }
  return Promise.all(
    batches.map((batch) => loadChartBatch(session.transport, batch, session.grantedScope, signal)),
  );
}

/** Each chart's pathway, by the one pathway function (with the MME overview once it is loaded). */
function pathwaysOf(
  charts: ReadonlyMap<string, PathwayChart>,
  mmeOf: MmeOverviewOf | undefined,
  asOf: Date,
): Map<string, Pathway> {
  return new Map([...charts].map(([id, chart]) => [id, evaluatePathwayWith(mmeOf, chart, asOf)]));
}

/**
 * The pathway of every patient in `patientIds` (ids, not references), read in batches of the
 * clinician's own searches (chartBatch.ts) and evaluated by the one pathway function; the MME
 * overview is added once the engine's chunk has loaded. `generation` reloads everything (after a
 * write that changes what the pathway says).
 */
export function usePatientPathways(
  session: StaffSession,
  patientIds: readonly string[],
  asOf: Date,
  generation = 0,
): PatientPathways {
  const [state, setState] = useState<PatientPathways>({
    pathways: new Map(),
    charts: new Map(),
    failed: [],
    loading: false,
    error: undefined,
  });
  const charts = useRef(new Map<string, PathwayChart>());
  const loadedGeneration = useRef(generation);
  const key = patientIds.join(',');

  useEffect(() => {
    if (loadedGeneration.current !== generation) {
      charts.current.clear();
      loadedGeneration.current = generation;
    }
    const missing = key === '' ? [] : key.split(',').filter((id) => !charts.current.has(id));
    if (missing.length === 0) {
      return undefined;
    }
    const controller = new AbortController();
    const live = () => !controller.signal.aborted;
    setState((s) => ({ ...s, loading: true }));
    void (async () => {
      try {
        const read = await readCharts(session, missing, controller.signal);
        if (!live()) {
          return;
        }
        for (const batch of read) {
          for (const [id, chart] of batch.charts) {
            charts.current.set(id, chart);
          }
        }
        const failed = read.flatMap((b) => b.failed);
        const shown = new Map(charts.current);
        const evaluate = (mmeOf: MmeOverviewOf | undefined) => pathwaysOf(shown, mmeOf, asOf);
        setState({
          pathways: evaluate(undefined),
          charts: shown,
          failed,
          loading: false,
          error: undefined,
        });
        const mmeOf = await loadMmeEngine();
        if (live()) {
          setState({
            pathways: evaluate(mmeOf),
            charts: shown,
            failed,
            loading: false,
            error: undefined,
          });
        }
      } catch (error) {
        if (live()) {
          setState((s) => ({ ...s, loading: false, error: normalizeError(error) }));
        }
      }
    })();
    return () => {
      controller.abort();
    };
  }, [key, session, asOf, generation]);

  return state;
}
