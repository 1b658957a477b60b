/**
 * The rules of programme eligibility that a clinic or a clinician may need to change, in ONE
 * place: the thresholds and freshness windows (EligibilityConfig, which config.json may override)
 * and how each red flag is handled (RED_FLAG_RULES). Defaults follow the project's clinical
 * reference (clinical.md, "Screening"; OPTIMUM-style criteria, NCT04129450: "verify against the
 * trial protocol before use as hard rules"). Every entry marked *verify* is listed in the README.
 */
import type { RedFlagKey } from './screening.ts';

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
  /**
   * How long a screening answer holds, in calendar months (an answer authored on or after the
   * same day this many months before asOf counts). clinical.md, "How long answers hold": the Task
   * Force frequency question covers the past 6 months, so an older screening is out of date by
   * its own definition. Applies to every screening answer, red flags and pregnancy included.
   */
  readonly screeningMaxAgeMonths: number;
  /**
   * How old the PEG used for eligibility may be, in days (a PEG on or after asOf minus this many
   * days counts). clinical.md: "use one from the last 30 days (project default, *verify*)"; the
   * PEG asks about the past week.
   */
  readonly pegMaxAgeDays: number;
  /**
   * Whether the screening asks the pregnancy question when the chart's sex is male (US Core
   * birth sex, else Patient.gender). Default no: the question cannot apply, and not asking it
   * makes the criterion "not applicable" rather than unanswered. A clinic whose records do not
   * reflect sex reliably can switch it on (config.json).
   */
  readonly askPregnancyWhenMale: boolean;
}

export const DEFAULT_ELIGIBILITY_CONFIG: EligibilityConfig = {
  minAgeYears: 18,
  minPeg: 3,
  chronicMonths: 3,
  screeningMaxAgeMonths: 6,
  pegMaxAgeDays: 30,
  askPregnancyWhenMale: false,
};

/** Red flags read from the chart (code tables in src/domain/codes/redFlagConditions.ts). */
export type ChartRedFlag =
  | 'cancer-history'
  | 'immunosuppression'
  | 'immunosuppressive-drugs'
  | 'iv-drug-use'
  | 'vertebral-fracture'
  | 'spinal-infection'
  | 'cauda-equina-syndrome';

/** A red flag: a screening question (RedFlagKey) or a chart code list (ChartRedFlag). */
export type RedFlagId = RedFlagKey | ChartRedFlag;

/**
 * - `emergency`: same-day emergency evaluation, shown the moment it is answered and written to the
 *   chart at once (clinical.md "Urgency": cauda equina; Chou et al., Ann Intern Med
 *   2007;147:478-91; NICE NG59);
 * - `urgent`: urgent clinician evaluation (clinical.md: "Progressive neurological deficit is
 *   urgent too");
 * - `evaluate`: clinician evaluation before any referral (clinical.md "Red flags").
 */
export type RedFlagUrgency = 'emergency' | 'urgent' | 'evaluate';

export interface RedFlagRule {
  readonly urgency: RedFlagUrgency;
  /**
   * Whether a clinician may record "evaluated; does not preclude the programme" for it in the app
   * (clinical.md "Clearing a red flag"). Cauda equina cannot be cleared from the screening screen:
   * it needs the emergency pathway (issue 10). *verify*
   */
  readonly clearable: boolean;
}

const EMERGENCY: RedFlagRule = { urgency: 'emergency', clearable: false };
const EVALUATE: RedFlagRule = { urgency: 'evaluate', clearable: true };

/**
 * How each red flag is handled. *verify* with a clinician: the progressive deficit being clearable
 * after its urgent evaluation, and a cauda equina syndrome code on the chart (a diagnosis already
 * made, so not an alarm, but not clearable here either: the problem list says it is current).
 */
export const RED_FLAG_RULES: Readonly<Record<RedFlagId, RedFlagRule>> = {
  urinaryRetentionOrIncontinence: EMERGENCY,
  saddleAnaesthesia: EMERGENCY,
  faecalIncontinence: EMERGENCY,
  bilateralOrProgressiveLegWeakness: EMERGENCY,
  progressiveNeurologicalDeficit: { urgency: 'urgent', clearable: true },
  cancerOrWeightLoss: EVALUATE,
  feverIvDrugUseOrImmunosuppression: EVALUATE,
  trauma: EVALUATE,
  'cancer-history': EVALUATE,
  immunosuppression: EVALUATE,
  'immunosuppressive-drugs': EVALUATE,
  'iv-drug-use': EVALUATE,
  'vertebral-fracture': EVALUATE,
  'spinal-infection': EVALUATE,
  'cauda-equina-syndrome': { urgency: 'evaluate', clearable: false },
};
