/**
 * Choosing the baseline and follow-up PEG of one patient (pure). Inputs are the patient's PEG
 * administrations as calendar days and scores, de-duplicated and sorted by time.
 */
import type { FollowUpTimePoint } from '../pathway/followUp.ts';
import { timePointWindow as scheduleWindow } from '../pathway/followUp.ts';
import { BASELINE_LOOKBACK_DAYS } from './analysisPlan.ts';
import { dayIndex, isoDate } from '../fhir-primitives/dates.ts';

export interface DatedScore {
  /** Calendar day number (fhir-primitives/dates.ts). */
  readonly day: number;
  /** PEG score 0–10. */
  readonly score: number;
}

/** The first PEG on record. */
export function firstPeg(pegs: readonly DatedScore[]): DatedScore | undefined {
  return pegs[0];
}

/**
 * The PEG a referral was made on: the latest PEG from `BASELINE_LOOKBACK_DAYS` before the
 * referral's day up to and including that day. A PEG after the referral never counts as baseline.
 */
export function pegAtReferral(
  pegs: readonly DatedScore[],
  referralDay: number,
): DatedScore | undefined {
  let found: DatedScore | undefined;
  for (const peg of pegs) {
    if (peg.day > referralDay) {
      break;
    }
    if (peg.day >= referralDay - BASELINE_LOOKBACK_DAYS) {
      found = peg;
    }
  }
  return found;
}

export interface DayWindow {
  readonly due: number;
  readonly from: number;
  readonly to: number;
}

/**
 * Due day and inclusive window of a time point for a baseline day: the follow-up schedule's own
 * window (pathway/followUp.ts `timePointWindow`, calendar arithmetic: 6 months after 31 January is
 * 31 July; one month before that, 30 June), as day numbers.
 */
export function timePointWindow(baselineDay: number, timePoint: FollowUpTimePoint): DayWindow {
  const key = `${timePoint.id}|${String(baselineDay)}`;
  const cached = windowCache.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const days = scheduleWindow(isoDate(baselineDay), timePoint);
  const window = {
    due: dayIndex(days.due) ?? baselineDay,
    from: dayIndex(days.start) ?? baselineDay,
    to: dayIndex(days.end) ?? baselineDay,
  };
  windowCache.set(key, window);
  return window;
}

/** Many patients share a baseline day; bounded by the days a data set spans. */
const windowCache = new Map<string, DayWindow>();

/**
 * The follow-up PEG for a time point: within its window (inclusive), the one nearest the due
 * day; on a tie, the earlier one.
 */
export function followUpAt(pegs: readonly DatedScore[], window: DayWindow): DatedScore | undefined {
  let best: DatedScore | undefined;
  let bestDistance = Infinity;
  for (const peg of pegs) {
    if (peg.day < window.from || peg.day > window.to) {
      continue;
    }
    const distance = Math.abs(peg.day - window.due);
    if (distance < bestDistance) {
      best = peg;
      bestDistance = distance;
    }
  }
  return best;
}
