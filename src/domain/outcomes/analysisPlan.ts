/**
 * The outcome analysis plan: time points, windows and response criteria. Printed with every
 * table so a reader knows exactly which PEG counted.
 *
 * Time points and windows are the app's follow-up schedule (FOLLOW_UP_TIME_POINTS in
 * pathway/followUp.ts, used here directly: OPTIMUM's week 8,
 * month 6 and month 12 from baseline; windows ±2 weeks and ±1 month, a project decision), so the
 * research table and the clinician's "follow-up done" agree on which PEG counts.
 */
import { BASELINE_LOOKBACK_DAYS as PATHWAY_BASELINE_LOOKBACK_DAYS } from '../pathway/baseline.ts';
import { PEG_MODERATE_IMPROVEMENT_PERCENT, PEG_MCID_POINTS } from '../peg/peg.ts';

/**
 * Baseline for a referred patient: the latest PEG on the referral's calendar day or up to this
 * many days before it (the pathway's one baseline window, pathway/baseline.ts).
 */
export const BASELINE_LOOKBACK_DAYS = PATHWAY_BASELINE_LOOKBACK_DAYS;

/**
 * Response criteria, from the PEG module's single table (clinical.md): a drop of ≥ 1 PEG point is
 * OPTIMUM's MCID; a ≥ 30% drop is IMMPACT's "moderately important" change (defined for pain
 * intensity, extrapolated to the PEG).
 */
export const MCID_POINTS = PEG_MCID_POINTS;
export const MODERATE_IMPROVEMENT_FRACTION = PEG_MODERATE_IMPROVEMENT_PERCENT / 100;

/** Two-sided confidence level of every interval in the table. */
export const CONFIDENCE_LEVEL = 0.95;
