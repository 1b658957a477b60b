/**
 * The thresholds of programme eligibility, in ONE table a clinic can change. Defaults follow
 * the project's clinical reference (OPTIMUM-style criteria, NCT04129450; "verify against the
 * trial protocol before use as hard rules").
 */
export interface EligibilityConfig {
  /** Minimum age in whole years on the evaluation date. clinical.md: "adult ≥ 18". */
  readonly minAgeYears: number;
  /**
   * Minimum PEG mean score (latest administration). clinical.md: "PEG ≥ 3 (moderate
   * interference)"; OPTIMUM enrolled adults with at least moderate pain interference.
   */
  readonly minPeg: number;
  /**
   * Months a low back pain Condition must have been present (onset, else recorded date) for the
   * chart to stand in for Task Force question 1. clinical.md: CLBP = ongoing ≥ 3 months
   * (Deyo 2014). The Task Force answer categories themselves are fixed by the instrument.
   */
  readonly chronicMonths: number;
}

/**
 * No PEG staleness rule: neither OPTIMUM nor the clinical reference gives a maximum age for the
 * qualifying PEG, so none is invented; the PEG date is shown with the verdict instead.
 */
export const DEFAULT_ELIGIBILITY_CONFIG: EligibilityConfig = {
  minAgeYears: 18,
  minPeg: 3,
  chronicMonths: 3,
};
