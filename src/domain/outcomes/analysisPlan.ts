/**
 * The outcome analysis plan: time points, windows and response criteria. Printed with every
 * table so a reader knows exactly which PEG counted.
 *
 * Time points are OPTIMUM's (clinical.md: primary outcome at month 6, secondary at week 8 and
 * month 12; NCT04129450). The windows around them and the baseline look-back are this project's
 * analysis choices (not from the trial): wide enough for real-world visit scatter, and not
 * overlapping, so one PEG can never serve two time points.
 */

export type TimePointId = 'week8' | 'month6' | 'month12';

export interface TimePoint {
  readonly id: TimePointId;
  readonly label: string;
  /** Target day after baseline. */
  readonly targetDay: number;
  /** Inclusive window, in whole calendar days after baseline. */
  readonly fromDay: number;
  readonly toDay: number;
}

/** OPTIMUM's follow-up time points (clinical.md); windows are the project's analysis choice. */
export const TIME_POINTS: readonly TimePoint[] = [
  { id: 'week8', label: 'Week 8', targetDay: 56, fromDay: 28, toDay: 84 },
  { id: 'month6', label: 'Month 6', targetDay: 183, fromDay: 138, toDay: 228 },
  { id: 'month12', label: 'Month 12', targetDay: 365, fromDay: 305, toDay: 425 },
];

/**
 * Baseline for a referred patient: the latest PEG on the referral's calendar day or up to this
 * many days before it (the PEG the referral was made on). Project analysis choice.
 */
export const BASELINE_LOOKBACK_DAYS = 30;

/**
 * Response criteria (clinical.md): a drop of ≥ 1 PEG point is OPTIMUM's MCID; a ≥ 30% drop is
 * IMMPACT's "moderately important" change (defined for pain intensity, extrapolated to the PEG).
 */
export const MCID_POINTS = 1;
export const MODERATE_IMPROVEMENT_FRACTION = 0.3;

/** Tolerance for comparing change scores that are means of thirds (e.g. −1.0000000001). */
export const SCORE_EPSILON = 1e-9;

/** Two-sided confidence level of every interval in the table. */
export const CONFIDENCE_LEVEL = 0.95;
