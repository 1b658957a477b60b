/**
 * The pathway with its opioid picture, for `clbp pathway`, the EHR simulator and tests (the app
 * passes the MME engine itself once its chunk has loaded: evaluate.ts). It reads the chart as it
 * stood on `asOf` (asOf.ts): a record dated after that day does not change the answer.
 */
import type { EligibilityConfig } from '../screening/eligibilityConfig.ts';
import { evaluatePathwayWith, type Pathway } from './evaluate.ts';
import type { PathwayChart } from './chart.ts';
import { mmeOverview } from './mmeOverview.ts';
import { chartAsOf } from './asOf.ts';
import { localDayOf } from '../fhir-primitives/dates.ts';

export type { Pathway, PegOverview } from './evaluate.ts';
export type { NextAction, PathwayState, PathwayStateKind } from './state.ts';

/**
 * The pathway of one patient as it stood on `asOf` (records dated after its day left out), with the
 * MME overview when the medications were read.
 */
export function evaluatePathway(
  chart: PathwayChart,
  asOf: Date,
  config?: EligibilityConfig,
): Pathway {
  return evaluatePathwayWith(mmeOverview, chartAsOf(chart, localDayOf(asOf)), asOf, config);
}
