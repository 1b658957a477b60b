/**
 * What a clinician reads off the MME series at `asOf`: the current total, the highest in the past
 * 12 months, the change over 90 days and over 12 months, and a taper verdict. Pure: `asOf` is a
 * parameter. The 50 and 90 MME/day reference lines are the UI's business, never a trigger here.
 */
import { addMonths, dayIndex, isoDate } from './calendar.ts';
import type { MedicationMmeResult } from './mme.ts';
import type { MmePoint } from './timeline.ts';
import { mmeTimeline } from './timeline.ts';
import { clean } from './shape.ts';

/**
 * A taper is a sustained decrease of at least 10% per month (source: the CLBP Pathway product
 * issue, requirement 4), or a stop.
 */
export const TAPER_MIN_MONTHLY_DECREASE = 0.1;

/**
 * "Sustained" is read as every month-on-month step over the last 3 months, the 90-day window the
 * issue uses for change (project interpretation, not a clinical guideline; change it here).
 */
export const TAPER_SUSTAINED_MONTHS = 3;

export interface MmeChange {
  /** The earlier day compared (ISO date). */
  readonly since: string;
  readonly from: number;
  readonly to: number;
  readonly difference: number;
  /** Relative change in percent, or null when `from` is 0. */
  readonly percent: number | null;
}

export type TaperVerdict =
  | { readonly kind: 'no-opioids' }
  | { readonly kind: 'stopped'; readonly lastDay: string; readonly lastMmePerDay: number }
  | { readonly kind: 'tapering'; readonly monthly: readonly MmePoint[] }
  | { readonly kind: 'not-tapering'; readonly monthly: readonly MmePoint[] };

export interface MmeSummary {
  readonly asOf: string;
  readonly current: number;
  /** Highest daily total in the 12 months up to asOf, and its first day (null when none). */
  readonly highest: { readonly mmePerDay: number; readonly date: string | null };
  readonly change90d: MmeChange;
  readonly change12m: MmeChange;
  readonly taper: TaperVerdict;
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
  const monthly: MmePoint[] = [];
  for (let k = TAPER_SUSTAINED_MONTHS; k >= 0; k -= 1) {
    const point = series[addMonths(asOf, -k) - first];
    monthly.push(point ?? { date: isoDate(addMonths(asOf, -k)), mmePerDay: 0 });
  }
  const sustained = monthly.every((point, i) => {
    const before = monthly[i - 1];
    return (
      before === undefined ||
      (before.mmePerDay > 0 &&
        point.mmePerDay <= before.mmePerDay * (1 - TAPER_MIN_MONTHLY_DECREASE) + 1e-9)
    );
  });
  return { kind: sustained ? 'tapering' : 'not-tapering', monthly };
}

/**
 * Summary of the MME series at `asOf` (ISO date). An invalid asOf gives zeros and 'no-opioids'.
 * "Over 90 days" compares asOf with the day 90 days earlier; "over 12 months" with the same
 * calendar day a year earlier.
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
    };
  }
  const first = addMonths(asOf, -12);
  const series = mmeTimeline(results, {
    from: isoDate(first),
    to: isoDate(asOf),
    asOf: isoDate(asOf),
  });
  const current = series[series.length - 1]?.mmePerDay ?? 0;
  let highest: { mmePerDay: number; date: string | null } = { mmePerDay: 0, date: null };
  for (const point of series) {
    if (point.mmePerDay > highest.mmePerDay) {
      highest = { mmePerDay: point.mmePerDay, date: point.date };
    }
  }
  return {
    asOf: isoDate(asOf),
    current,
    highest,
    change90d: change(series, asOf - 90 - first, current),
    change12m: change(series, 0, current),
    taper: verdict(series, first, asOf),
  };
}
