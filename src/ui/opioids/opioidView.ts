/**
 * The opioid section's view model, pure (no React): MME per record, the two-year series, the
 * summary with its trajectory, the active records left out of the total, and the risk prompts.
 * The component renders it; tests call it with an overview built from plain resources.
 */
import { format } from 'date-fns/format';
import { subDays } from 'date-fns/subDays';
import {
  mmeTimeline,
  type MedicationMmeResult,
  type MmePoint,
  type MmeSummary,
  type OpioidRiskContext,
} from '../../domain/mme/mme.ts';
import { METHADONE_RXCUI } from '../../domain/mme/oudTreatment.ts';
import { MME_CHART_DAYS } from '../../domain/mme/referenceLevels.ts';
import {
  mmeOverview,
  type MedicationRecords,
  type MmeOverview,
} from '../../domain/pathway/mmeOverview.ts';

/** The clinic's calendar day (local), the day MME totals are for. */
export const isoDay = (d: Date): string => format(d, 'yyyy-MM-dd');

export interface OpioidView {
  readonly results: readonly MedicationMmeResult[];
  readonly series: readonly MmePoint[];
  readonly summary: MmeSummary;
  readonly risk: OpioidRiskContext;
  /** Opioid records (not other medications), newest first: active in 12 months / earlier. */
  readonly recent: readonly MedicationMmeResult[];
  readonly earlier: readonly MedicationMmeResult[];
  readonly otherRecords: number;
}

/**
 * The section's view of the pathway's MME overview (domain/pathway/mmeOverview.ts: the one
 * computation of the records, the summary and the risk prompts): the two-year series and the
 * records split for display.
 */
export function opioidView(overview: MmeOverview, asOf: Date): OpioidView {
  const { results, summary, risk } = overview;
  const day = isoDay(asOf);
  const series = mmeTimeline(results, {
    from: isoDay(subDays(asOf, MME_CHART_DAYS)),
    to: day,
    asOf: day,
  });
  const relevant = results
    .filter((r) => r.reason !== 'not-an-opioid')
    .sort((a, b) => (b.interval.start ?? '').localeCompare(a.interval.start ?? ''));
  // A long history stays one click away: the clinician sees what the patient takes now first.
  const yearAgo = isoDay(subDays(asOf, 365));
  const recent = relevant.filter((r) => r.interval.end === null || r.interval.end >= yearAgo);
  const earlier = relevant.filter((r) => !recent.includes(r));
  return {
    results,
    series,
    summary,
    risk,
    recent,
    earlier,
    otherRecords: results.length - relevant.length,
  };
}

/** Methadone rows carry the CDC caution that MME is not for converting between opioids. */
export function isMethadone(result: MedicationMmeResult): boolean {
  return result.ingredients.some((i) => i.rxcui === METHADONE_RXCUI);
}

/** What the worker computes: the pathway's MME overview and the section's view of it. */
export interface OpioidComputation {
  readonly overview: MmeOverview;
  readonly view: OpioidView;
}

/**
 * The one MME computation of the chart (mmeOverview) and the section's view of it.
 * `conditions`: the chart's Conditions (an opioid use disorder makes methadone and buprenorphine
 * treatment, not pain MME); undefined when they could not be read.
 */
export function computeOpioids(
  records: MedicationRecords,
  conditions: MedicationConditions,
  asOf: Date,
): OpioidComputation {
  const overview = mmeOverview(records, conditions, isoDay(asOf));
  return { overview, view: opioidView(overview, asOf) };
}

type MedicationConditions = Parameters<typeof mmeOverview>[1];
