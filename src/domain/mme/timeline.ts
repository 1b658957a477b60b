/**
 * Daily total MME over a window, as a difference array over day indices: each counted segment
 * (reconcile.ts: one prescription once, overlapping days of one product at one dose merged first)
 * adds its MME/day at its first day and removes it after its last, so the cost is
 * O(medications + days), not O(medications × days).
 */
import { dayIndex, isoDate } from '../fhir-primitives/dates.ts';
import { forEachCountedSegment } from './reconcile.ts';
import type { MedicationMmeResult } from './result.ts';
import { clean } from '../fhir-primitives/json.ts';

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
 * results add nothing; each prescription counts once (see reconcileMme and countedSegments). An invalid or reversed window gives an empty series.
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
  forEachCountedSegment(results, asOf, (start, end, mmePerDay) => {
    const first = Math.max(start, from);
    const last = Math.min(end, to);
    if (first <= last) {
      diff[first - from] = (diff[first - from] ?? 0) + mmePerDay;
      diff[last - from + 1] = (diff[last - from + 1] ?? 0) - mmePerDay;
    }
  });
  const series: MmePoint[] = new Array<MmePoint>(days);
  let running = 0;
  for (let i = 0; i < days; i += 1) {
    running += diff[i] ?? 0;
    series[i] = { date: isoDate(from + i), mmePerDay: Math.max(clean(running), 0) };
  }
  return series;
}
