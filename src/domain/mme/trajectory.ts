/**
 * How the daily MME total has changed, in words a guideline uses: a trajectory (decreasing,
 * stable, increasing, stopped) with its rate in percent per month over stated windows, never a
 * verdict such as "tapering" (CDC 2022 Recommendation 5 and its text; clinical.md "Dose changes").
 * A reduction faster than the guideline's usual taper (10% a month), or a stop within a window,
 * is marked so the clinician checks withdrawal and the plan; nothing here tells anyone to reduce.
 */
import { addMonths, isoDate } from '../fhir-primitives/dates.ts';
import type { MmePoint } from './timeline.ts';
import { clean } from '../fhir-primitives/json.ts';

/**
 * The table of dose-change rules. *verify* with a clinician.
 * - `usualTaperPercentPerMonth`: CDC 2022 (MMWR Recomm Rep 2022;71(RR-3), p17): "Tapers of
 *   approximately 10% per month or slower are likely to be better tolerated than more rapid
 *   tapers when patients have been taking opioids for longer durations (e.g., ≥1 year)". A
 *   reduction of exactly 10% a month is not faster.
 * - `windowsMonths`: the windows the rate is stated over (calendar months back from asOf), a
 *   project choice: the guideline states taper rates per month; three months shows a sustained
 *   change.
 * - `markAfterShortUse`: whether a reduction faster than the usual taper is marked when the dose
 *   started within the longest window (taken for less than that, as far as the record shows).
 *   clinical.md marks every reduction faster than 10% a month, and also says faster tapers (e.g.
 *   10% a week) can suit shorter use; whether the mark fits a course of weeks is a clinician's
 *   judgement, so the mark stays (the rule as written) and the screen shows how long the dose was
 *   taken and the guideline's words on shorter use beside it.
 */
export const DOSE_CHANGE_RULES: {
  readonly usualTaperPercentPerMonth: number;
  readonly windowsMonths: readonly number[];
  readonly markAfterShortUse: boolean;
} = {
  usualTaperPercentPerMonth: 10,
  windowsMonths: [1, 3],
  markAfterShortUse: true,
};

/**
 * - `decreasing` / `increasing` / `stable`: the total on asOf against the total on the window's
 *   first day (any difference counts: no threshold is invented for "stable");
 * - `stopped`: some dose on the first day, none on asOf;
 * - `started`: none on the first day, some on asOf (no percentage);
 * - `none`: no dose on either day.
 */
export type WindowDirection =
  'decreasing' | 'stable' | 'increasing' | 'stopped' | 'started' | 'none';

export interface DoseChangeWindow {
  readonly months: number;
  /** The window's first day (ISO date), the same calendar day `months` months before asOf. */
  readonly since: string;
  readonly from: number;
  readonly to: number;
  readonly direction: WindowDirection;
  /** (to − from) ÷ from × 100 ÷ months; null when `from` is 0. */
  readonly percentPerMonth: number | null;
  /** A reduction faster than `usualTaperPercentPerMonth` (a stop is −100% over the window). */
  readonly fasterThanUsualTaper: boolean;
}

interface DoseRun {
  readonly windows: readonly DoseChangeWindow[];
  readonly fasterThanUsualTaper: boolean;
  /**
   * Days in a row with a dose up to asOf (up to lastDay for a stop), counted within the series: how
   * long the dose was taken, the fact the guideline's taper rates depend on.
   */
  readonly daysTaken: number;
  /** True when the run reaches the series' first day (taken for at least daysTaken). */
  readonly daysTakenAtLeast: boolean;
  /** No dose on the longest window's first day: the dose started within it (shorter use). */
  readonly startedWithinWindows: boolean;
}

export type DoseTrajectory =
  | { readonly kind: 'no-opioids' }
  | ({ readonly kind: 'decreasing' | 'stable' | 'increasing' } & DoseRun)
  | ({
      readonly kind: 'stopped';
      /** The last day with a dose (ISO date) and its total. */
      readonly lastDay: string;
      readonly lastMmePerDay: number;
    } & DoseRun);

function windowOf(months: number, from: number, to: number, since: number): DoseChangeWindow {
  const percentPerMonth = from === 0 ? null : clean((((to - from) / from) * 100) / months);
  const direction: WindowDirection =
    from === 0
      ? to === 0
        ? 'none'
        : 'started'
      : to === 0
        ? 'stopped'
        : to > from
          ? 'increasing'
          : to < from
            ? 'decreasing'
            : 'stable';
  return {
    months,
    since: isoDate(since),
    from,
    to,
    direction,
    percentPerMonth,
    fasterThanUsualTaper:
      percentPerMonth !== null &&
      percentPerMonth < -DOSE_CHANGE_RULES.usualTaperPercentPerMonth - 1e-9,
  };
}

/**
 * The window the headline and its rate follow: the longest one with a dose on its first day (a
 * rate needs a starting dose; clinical.md describes the trajectory "with its rate in percent per
 * month"). Undefined when the dose started within every window.
 */
export function headlineWindow(windows: readonly DoseChangeWindow[]): DoseChangeWindow | undefined {
  return windows.findLast((w) => w.from > 0);
}

/** The first index of the run of dosed days that ends at `last`. */
function runStart(series: readonly MmePoint[], last: number): number {
  let start = last;
  while (start > 0 && (series[start - 1]?.mmePerDay ?? 0) > 0) {
    start -= 1;
  }
  return start;
}

/**
 * The trajectory of a daily series (one point per day, consecutive, the last on asOf). The headline
 * kind is `stopped` when asOf has no dose but an earlier day of the series has one; otherwise the
 * direction over the headline window (headlineWindow): a dose started three months ago and cut
 * this month is decreasing, not increasing; one started within every window is increasing.
 */
export function doseTrajectory(series: readonly MmePoint[], firstDay: number): DoseTrajectory {
  const asOf = firstDay + series.length - 1;
  const at = (day: number): number => series[day - firstDay]?.mmePerDay ?? 0;
  const current = at(asOf);
  let lastIndex = -1;
  series.forEach((point, i) => {
    if (point.mmePerDay > 0) {
      lastIndex = i;
    }
  });
  if (lastIndex < 0) {
    return { kind: 'no-opioids' };
  }
  const windows = DOSE_CHANGE_RULES.windowsMonths.map((months) => {
    const since = Math.max(addMonths(asOf, -months), firstDay);
    return windowOf(months, at(since), current, since);
  });
  // Begun within the windows only when the longest window's first day had no dose: a gap or a stop
  // seen from a shorter window is not a start (two years of use stopped six weeks ago is not
  // "shorter use").
  const startedWithin = (windows.at(-1)?.from ?? 0) === 0;
  const fasterThanUsualTaper =
    (DOSE_CHANGE_RULES.markAfterShortUse || !startedWithin) &&
    windows.some((w) => w.fasterThanUsualTaper);
  const start = runStart(series, lastIndex);
  const run = {
    windows,
    fasterThanUsualTaper,
    daysTaken: lastIndex - start + 1,
    daysTakenAtLeast: start === 0,
    startedWithinWindows: startedWithin,
  };
  if (current === 0) {
    const last = series[lastIndex];
    return {
      kind: 'stopped',
      ...run,
      lastDay: last?.date ?? '',
      lastMmePerDay: last?.mmePerDay ?? 0,
    };
  }
  const direction = headlineWindow(windows)?.direction;
  const kind = direction === 'decreasing' || direction === 'stable' ? direction : 'increasing';
  return { kind, ...run };
}
