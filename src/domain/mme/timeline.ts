/**
 * Daily total MME over a window, as a difference array over day indices: each counted medication
 * adds its MME/day at its first day and removes it after its last, so the cost is
 * O(medications + days), not O(medications × days).
 */
import { dayIndex, isoDate } from './calendar.ts';
import type { MedicationMmeResult } from './mme.ts';
import { clean } from './shape.ts';

export interface MmePoint {
  readonly date: string;
  readonly mmePerDay: number;
}

export interface TimelineWindow {
  /** First day of the series (ISO date). */
  readonly from: string;
  /** Last day of the series (ISO date, inclusive). */
  readonly to: string;
  /** The day open-ended intervals end on (the clinician's "today"). */
  readonly asOf: string;
}

/**
 * Total MME/day of the counted results on each day from `from` to `to` inclusive. Intervals with an
 * unknown start count from the window's first day; open ends stop at `asOf`. Excluded and unknown
 * results add nothing. An invalid or reversed window gives an empty series.
 */
export function mmeTimeline(
  results: readonly MedicationMmeResult[],
  window: TimelineWindow,
): MmePoint[] {
  const from = dayIndex(window.from);
  const to = dayIndex(window.to);
  const asOf = dayIndex(window.asOf);
  if (from === undefined || to === undefined || asOf === undefined || to < from) {
    return [];
  }
  const days = to - from + 1;
  const diff = new Float64Array(days + 1);
  for (const result of results) {
    if (result.kind !== 'counted') {
      continue;
    }
    const start = result.interval.start === null ? from : dayIndex(result.interval.start);
    const end = result.interval.end === null ? asOf : dayIndex(result.interval.end);
    if (start === undefined || end === undefined) {
      continue;
    }
    const first = Math.max(start, from);
    const last = Math.min(end, to);
    if (first > last) {
      continue;
    }
    diff[first - from] = (diff[first - from] ?? 0) + result.mmePerDay;
    diff[last - from + 1] = (diff[last - from + 1] ?? 0) - result.mmePerDay;
  }
  const series: MmePoint[] = new Array<MmePoint>(days);
  let running = 0;
  for (let i = 0; i < days; i += 1) {
    running += diff[i] ?? 0;
    series[i] = { date: isoDate(from + i), mmePerDay: Math.max(clean(running), 0) };
  }
  return series;
}
