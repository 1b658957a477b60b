/**
 * The opioid section's view model, pure (no React): MME per record, the two-year series, the
 * summary with its trajectory, the active records left out of the total, and the risk prompts.
 * The component renders it; tests call it with an overview built from plain resources.
 */
import { localDayOf } from '../../domain/fhir-primitives/dates.ts';
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

export interface OpioidView {
  readonly results: readonly MedicationMmeResult[];
  readonly series: readonly MmePoint[];
  readonly summary: MmeSummary;
  readonly risk: OpioidRiskContext;
  /**
   * Opioid records (not other medications) as table rows, newest first: active in 12 months /
   * earlier; repeated refills of one product at one dose are one row (medicationRows).
   */
  readonly recent: readonly MedicationRow[];
  readonly earlier: readonly MedicationRow[];
  readonly otherRecords: number;
}

/**
 * The section's view of the pathway's MME overview (domain/pathway/mmeOverview.ts: the one
 * computation of the records, the summary and the risk prompts): the two-year series and the
 * records split for display.
 */
function opioidView(overview: MmeOverview, asOf: Date): OpioidView {
  const { results, summary, risk } = overview;
  const day = localDayOf(asOf);
  const series = mmeTimeline(results, {
    from: localDayOf(subDays(asOf, MME_CHART_DAYS)),
    to: day,
    asOf: day,
  });
  const relevant = results
    .filter((r) => r.reason !== 'not-an-opioid')
    .sort((a, b) => (b.interval.start ?? '').localeCompare(a.interval.start ?? ''));
  // A long history stays one click away: the clinician sees what the patient takes now first.
  const yearAgo = localDayOf(subDays(asOf, 365));
  const recent = relevant.filter((r) => r.interval.end === null || r.interval.end >= yearAgo);
  const earlier = relevant.filter((r) => !recent.includes(r));
  return {
    results,
    series,
    summary,
    risk,
    recent: medicationRows(recent),
    earlier: medicationRows(earlier),
    otherRecords: results.length - relevant.length,
  };
}

/**
 * One table row: a record, or a run of refills of one product at one dose (same record type,
 * product, status in the total, MME/day and explanation) that follow each other.
 */
export interface MedicationRow {
  /** The newest record of the run: what the row says, beside the run's dates. */
  readonly result: MedicationMmeResult;
  /** Every record of the run, newest first (one for a single record). */
  readonly records: readonly MedicationMmeResult[];
  readonly start: string | null;
  /** Null while the newest record is open-ended. */
  readonly end: string | null;
  /** Methadone carries the CDC caution that MME is not for converting between opioids. */
  readonly methadone: boolean;
}

const sameRow = (a: MedicationMmeResult, b: MedicationMmeResult): boolean =>
  a.resourceType === b.resourceType &&
  a.label === b.label &&
  a.kind === b.kind &&
  a.reason === b.reason &&
  a.mmePerDay === b.mmePerDay &&
  a.explanation === b.explanation;

const DAY_MS = 86_400_000;
const dayNumber = (day: string): number => Date.parse(`${day.slice(0, 10)}T00:00:00Z`) / DAY_MS;

/**
 * Whether `next` continues the run ending with `previous`: it starts no later than one of
 * `previous`'s own lengths after it ended (a refill may come a little late; a whole missed supply
 * is a break the table shows as a new row). Open or undated records never join a run.
 */
function continues(previous: MedicationMmeResult, next: MedicationMmeResult): boolean {
  const { start, end } = previous.interval;
  const nextStart = next.interval.start;
  if (start === null || end === null || nextStart === null) {
    return false;
  }
  const length = dayNumber(end) - dayNumber(start) + 1;
  return (
    dayNumber(nextStart) >= dayNumber(start) && dayNumber(nextStart) <= dayNumber(end) + length
  );
}

/**
 * The table's rows for `results` (newest first): monthly refills of one product at one dose are
 * one row with their date range. A change of dose or product, or a gap of a whole supply, starts
 * a new row; a record of another product in between does not.
 */
export function medicationRows(results: readonly MedicationMmeResult[]): MedicationRow[] {
  interface Run {
    readonly oldest: MedicationMmeResult;
    newest: MedicationMmeResult;
    readonly records: MedicationMmeResult[];
  }
  const runs: Run[] = [];
  const open = new Map<string, Run>();
  for (const result of [...results].reverse()) {
    const product = `${result.resourceType}|${result.label}`;
    const run = open.get(product);
    if (run !== undefined && sameRow(run.newest, result) && continues(run.newest, result)) {
      run.newest = result;
      run.records.unshift(result);
    } else {
      const started: Run = { oldest: result, newest: result, records: [result] };
      runs.push(started);
      open.set(product, started);
    }
  }
  return runs
    .map((run): MedicationRow => ({
      result: run.newest,
      records: run.records,
      start: run.oldest.interval.start,
      end: run.newest.interval.end,
      methadone: isMethadone(run.newest),
    }))
    .sort((x, y) => (y.start ?? '').localeCompare(x.start ?? ''));
}

function isMethadone(result: MedicationMmeResult): boolean {
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
  const overview = mmeOverview(records, conditions, localDayOf(asOf));
  return { overview, view: opioidView(overview, asOf) };
}

type MedicationConditions = Parameters<typeof mmeOverview>[1];
