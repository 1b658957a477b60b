/**
 * THE definition of a PEG change and its verdicts (OPTIMUM's 1-point MCID, IMMPACT's 30%), from
 * the unrounded means: the app's PEG section, the first screen, `clbp pathway` and the outcome
 * tables all call these, never re-derive them on rounded scores.
 */
import {
  PEG_MAX,
  PEG_MODERATE_IMPROVEMENT_PERCENT,
  PEG_MCID_POINTS,
  PEG_MIN,
  pegMean,
  roundScore,
} from './peg.ts';
import type { PegAdministration } from './peg.ts';

export type PercentChange =
  | { kind: 'percent'; value: number }
  /** A 0 baseline has no relative change (and no room to improve). */
  | { kind: 'undefined'; reason: 'zero-baseline' };

/** Which way the mean moved: the PEG measures interference, so a rise is a worsening. */
export type PegDirection = 'better' | 'worse' | 'unchanged';

export type PegChange =
  | {
      kind: 'change';
      direction: PegDirection;
      /** current − baseline from the exact means, rounded to 2 decimals; negative = improvement. */
      points: number;
      /** (current − baseline) / baseline × 100, exact means, 2 decimals; negative = improvement. */
      percent: PercentChange;
      /** Drop ≥ PEG_MCID_POINTS (OPTIMUM MCID). */
      reachesMcid: boolean;
      /** Drop ≥ PEG_MODERATE_IMPROVEMENT_PERCENT % of baseline (IMMPACT); false for a 0 baseline. */
      reaches30Percent: boolean;
    }
  | { kind: 'invalid'; reason: string };

/** What a change is computed from: the stored score, and the exact mean or items when known. */
export type PegScored = Pick<PegAdministration, 'score' | 'mean' | 'items'>;

/**
 * Slack for binary floating point in the verdicts: means of integer items are thirds, which a
 * double cannot hold exactly (20/3 − 14/3 may come out a hair under 2). Real differences between
 * PEG scores are far larger (≥ 1/30 on the thirds grid, ≥ 0.01 between 2-decimal scores).
 */
const EPSILON = 1e-9;

function isScore(value: number): boolean {
  return Number.isFinite(value) && value >= PEG_MIN && value <= PEG_MAX;
}

/**
 * True when the mean dropped by at least the OPTIMUM MCID (1 point). Pass exact means
 * (`pegMean`), not 2-decimal scores.
 */
export function reachesMcid(baselineMean: number, currentMean: number): boolean {
  return baselineMean - currentMean >= PEG_MCID_POINTS - EPSILON;
}

/**
 * True when the mean dropped by at least 30% of baseline (IMMPACT). A 0 baseline cannot drop,
 * so the answer is false (not an error). Pass exact means (`pegMean`): 7/7/6 → 5/5/4 is exactly
 * 30% (20/3 → 14/3), while the stored 6.67 → 4.67 is 29.99%.
 */
export function reaches30Percent(baselineMean: number, currentMean: number): boolean {
  if (baselineMean <= 0) {
    return false;
  }
  return (
    baselineMean - currentMean >= (PEG_MODERATE_IMPROVEMENT_PERCENT / 100) * baselineMean - EPSILON
  );
}

/**
 * Change of the PEG from a baseline administration to a current one, with the MCID and 30%
 * verdicts, all computed from the unrounded means (`pegMean`); only the reported points and
 * percent are rounded (2 decimals). 7/7/6 → 6/5/5 is −1.33 points, −20%.
 */
export function changeFromBaseline(baseline: PegScored, current: PegScored): PegChange {
  const from = pegMean(baseline);
  const to = pegMean(current);
  if (!isScore(from) || !isScore(to)) {
    return { kind: 'invalid', reason: `PEG scores must be 0-10 (got ${from} → ${to})` };
  }
  const points = roundScore(to - from);
  return {
    kind: 'change',
    direction: points < 0 ? 'better' : points > 0 ? 'worse' : 'unchanged',
    points,
    percent:
      from === 0
        ? { kind: 'undefined', reason: 'zero-baseline' }
        : { kind: 'percent', value: roundScore(((to - from) / from) * 100) },
    reachesMcid: reachesMcid(from, to),
    reaches30Percent: reaches30Percent(from, to),
  };
}
