/**
 * What a clinician reads off the MME series at `asOf`: the current total, the highest in the past
 * 12 months, the change over 90 days and over 12 months, a taper verdict, and the active records
 * whose dose could not be computed. Pure: `asOf` is a parameter. The 50 and 90 MME/day reference
 * lines are the UI's business, never a trigger here.
 */
import { isActiveOn } from './activity.ts';
import { addMonths, dayIndex, isoDate } from '../fhir-primitives/dates.ts';
import { reconcileMme } from './reconcile.ts';
import type { MedicationMmeResult, UnknownReason } from './result.ts';
import type { MmePoint } from './timeline.ts';
import { mmeTimeline } from './timeline.ts';
import { clean } from '../fhir-primitives/json.ts';

/**
 * A taper is a sustained decrease of at least 10% per month, or a stop (source: the CLBP Pathway
 * product issue, requirement 4 "taper verdict").
 */
export const TAPER_MIN_MONTHLY_DECREASE = 0.1;

/**
 * Project interpretation of "sustained" (not a clinical guideline; change it here): the mean
 * MME/day of each of the last TAPER_MONTHS consecutive windows of TAPER_WINDOW_DAYS days ending at
 * asOf is compared with the window just before them (the baseline). Tapering when
 * - the latest window's mean ≤ (1 − TAPER_MIN_MONTHLY_DECREASE)^TAPER_MONTHS × the baseline mean
 *   (at least the compounded 10% a month overall: ≤ 72.9% of the baseline), and
 * - no window's mean is above the window before it (the decrease is never reversed).
 * Means, not single days, so a step down two months ago still reads as a taper.
 */
export const TAPER_MONTHS = 3;
export const TAPER_WINDOW_DAYS = 30;

export interface MmeChange {
  /** The earlier day compared (ISO date). */
  readonly since: string;
  readonly from: number;
  readonly to: number;
  readonly difference: number;
  /** Relative change in percent, or null when `from` is 0. */
  readonly percent: number | null;
}

/** One 30-day window of the taper verdict: inclusive ISO dates and its mean MME/day. */
export interface TaperWindow {
  readonly from: string;
  readonly to: string;
  readonly meanMmePerDay: number;
}

/** `windows`: the baseline window first, then the TAPER_MONTHS windows ending at asOf. */
export type TaperVerdict =
  | { readonly kind: 'no-opioids' }
  | { readonly kind: 'stopped'; readonly lastDay: string; readonly lastMmePerDay: number }
  | { readonly kind: 'tapering'; readonly windows: readonly TaperWindow[] }
  | { readonly kind: 'not-tapering'; readonly windows: readonly TaperWindow[] };

/** An `unknown` result active on asOf: not in the total, so the view must say so. */
export interface NotComputedRecord {
  readonly id: string;
  readonly resourceType: string;
  readonly label: string;
  readonly reason: UnknownReason;
}

export interface MmeSummary {
  readonly asOf: string;
  readonly current: number;
  /** Highest daily total in the 12 months up to asOf, and its first day (null when none). */
  readonly highest: { readonly mmePerDay: number; readonly date: string | null };
  readonly change90d: MmeChange;
  readonly change12m: MmeChange;
  readonly taper: TaperVerdict;
  /** Records active on asOf whose MME is unknown, so left out of `current` (see activeNotComputed). */
  readonly notComputed: { readonly count: number; readonly records: readonly NotComputedRecord[] };
}

/**
 * The `unknown` results (after reconcileMme) whose interval covers `asOf` (ISO date): records the
 * total leaves out because their dose could not be computed, for "N active opioid record(s) could
 * not be computed and are not in the total". Excluded results (buprenorphine, statuses,
 * duplicates …) are not listed. Drug reasons (`unknown-rxcui`, `unparseable-name`,
 * `unresolved-reference`, `no-medication`) mean the drug itself was not identified.
 */
export function activeNotComputed(
  results: readonly MedicationMmeResult[],
  asOf: string,
): NotComputedRecord[] {
  return reconcileMme(results).flatMap((r) =>
    r.kind === 'unknown' && isActiveOn(r.interval, asOf)
      ? [{ id: r.id, resourceType: r.resourceType, label: r.label, reason: r.reason }]
      : [],
  );
}

function change(series: readonly MmePoint[], index: number, current: number): MmeChange {
  const point = series[Math.max(index, 0)];
  const from = point?.mmePerDay ?? 0;
  return {
    since: point?.date ?? '',
    from,
    to: current,
    difference: clean(current - from),
    percent: from === 0 ? null : clean(((current - from) / from) * 100),
  };
}

/** Mean MME/day of the windows (baseline first) ending at the series' last day. */
function taperWindows(series: readonly MmePoint[], first: number, asOf: number): TaperWindow[] {
  const windows: TaperWindow[] = [];
  for (let k = TAPER_MONTHS; k >= 0; k -= 1) {
    const to = asOf - k * TAPER_WINDOW_DAYS;
    const from = to - TAPER_WINDOW_DAYS + 1;
    let sum = 0;
    for (let day = from; day <= to; day += 1) {
      sum += series[day - first]?.mmePerDay ?? 0;
    }
    windows.push({
      from: isoDate(from),
      to: isoDate(to),
      meanMmePerDay: clean(sum / TAPER_WINDOW_DAYS),
    });
  }
  return windows;
}

function verdict(series: readonly MmePoint[], first: number, asOf: number): TaperVerdict {
  const current = series[series.length - 1]?.mmePerDay ?? 0;
  let last: MmePoint | undefined;
  for (const point of series) {
    if (point.mmePerDay > 0) {
      last = point;
    }
  }
  if (last === undefined) {
    return { kind: 'no-opioids' };
  }
  if (current === 0) {
    return { kind: 'stopped', lastDay: last.date, lastMmePerDay: last.mmePerDay };
  }
  const windows = taperWindows(series, first, asOf);
  const baseline = windows[0]?.meanMmePerDay ?? 0;
  const latest = windows[windows.length - 1]?.meanMmePerDay ?? 0;
  const enough = latest <= baseline * (1 - TAPER_MIN_MONTHLY_DECREASE) ** TAPER_MONTHS + 1e-9;
  const neverRose = windows.every((w, i) => {
    const before = windows[i - 1];
    return before === undefined || w.meanMmePerDay <= before.meanMmePerDay + 1e-9;
  });
  return { kind: baseline > 0 && enough && neverRose ? 'tapering' : 'not-tapering', windows };
}

/**
 * Summary of the MME series at `asOf` (ISO date). An invalid asOf gives zeros and 'no-opioids'.
 * "Over 90 days" compares asOf with the day 90 days earlier; "over 12 months" with the same
 * calendar day a year earlier. The taper verdict is defined at TAPER_MONTHS.
 */
export function summariseMme(
  results: readonly MedicationMmeResult[],
  options: { readonly asOf: string },
): MmeSummary {
  const asOf = dayIndex(options.asOf);
  if (asOf === undefined) {
    const none: MmeChange = { since: '', from: 0, to: 0, difference: 0, percent: null };
    return {
      asOf: options.asOf,
      current: 0,
      highest: { mmePerDay: 0, date: null },
      change90d: none,
      change12m: none,
      taper: { kind: 'no-opioids' },
      notComputed: { count: 0, records: [] },
    };
  }
  const linked = reconcileMme(results);
  // The taper windows reach 120 days back; the 12-month series covers them.
  const first = Math.min(addMonths(asOf, -12), asOf - (TAPER_MONTHS + 1) * TAPER_WINDOW_DAYS + 1);
  const series = mmeTimeline(linked, {
    from: isoDate(first),
    to: isoDate(asOf),
    asOf: isoDate(asOf),
  });
  const yearAgo = addMonths(asOf, -12) - first;
  const current = series[series.length - 1]?.mmePerDay ?? 0;
  let highest: { mmePerDay: number; date: string | null } = { mmePerDay: 0, date: null };
  for (const point of series.slice(yearAgo)) {
    if (point.mmePerDay > highest.mmePerDay) {
      highest = { mmePerDay: point.mmePerDay, date: point.date };
    }
  }
  const notComputed = activeNotComputed(linked, isoDate(asOf));
  return {
    asOf: isoDate(asOf),
    current,
    highest,
    change90d: change(series, asOf - 90 - first, current),
    change12m: change(series, yearAgo, current),
    taper: verdict(series.slice(yearAgo), addMonths(asOf, -12), asOf),
    notComputed: { count: notComputed.length, records: notComputed },
  };
}
