/**
 * The pathway with its opioid picture, for `clbp pathway`, the EHR simulator and tests (the app
 * passes the MME engine itself once its chunk has loaded: evaluate.ts).
 */
import type { EligibilityConfig } from '../screening/eligibilityConfig.ts';
import { evaluatePathwayWith, type Pathway } from './evaluate.ts';
import type { PathwayChart } from './chart.ts';
import { mmeOverview } from './mmeOverview.ts';

export type { Pathway, PegOverview } from './evaluate.ts';
export type { NextAction, PathwayState, PathwayStateKind } from './state.ts';

/** The pathway of one patient on `asOf`, with the MME overview when the medications were read. */
export function evaluatePathway(
  chart: PathwayChart,
  asOf: Date,
  config?: EligibilityConfig,
): Pathway {
  return evaluatePathwayWith(mmeOverview, chart, asOf, config);
}
