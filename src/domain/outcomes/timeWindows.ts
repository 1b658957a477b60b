/**
 * Choosing the baseline and follow-up PEG of one patient (pure). Inputs are the patient's PEG
 * administrations as calendar days and scores, de-duplicated and sorted by time.
 */
import type { TimePoint } from './analysisPlan.ts';
import { BASELINE_LOOKBACK_DAYS } from './analysisPlan.ts';

export interface DatedScore {
  /** Calendar day number (see calendar.ts). */
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

/**
 * The follow-up PEG for a time point: within [fromDay, toDay] days after baseline (inclusive),
 * the one nearest the target day; on a tie, the earlier one.
 */
export function followUpAt(
  pegs: readonly DatedScore[],
  baselineDay: number,
  timePoint: TimePoint,
): DatedScore | undefined {
  let best: DatedScore | undefined;
  let bestDistance = Infinity;
  for (const peg of pegs) {
    const offset = peg.day - baselineDay;
    if (offset < timePoint.fromDay || offset > timePoint.toDay) {
      continue;
    }
    const distance = Math.abs(offset - timePoint.targetDay);
    if (distance < bestDistance) {
      best = peg;
      bestDistance = distance;
    }
  }
  return best;
}
