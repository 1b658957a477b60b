import type { Condition, Observation } from 'fhir/r4';
import type { ConditionEvidence } from './chartEvidence.ts';
import type { RedFlagClearance } from './clearance.ts';
import { currentScreening } from './currentScreening.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from './eligibilityConfig.ts';
import type { EligibilityConfig, RedFlagId, RedFlagUrgency } from './eligibilityConfig.ts';
import {
  adult,
  chronicLowBackPain,
  noActiveReferral,
  noMetastaticCancer,
  painInterference,
  telehealth,
} from './eligibilityCriteria.ts';
import { notPregnant } from './pregnancyCriterion.ts';
import { redFlagCriterion } from './redFlagCriterion.ts';
import type { PegAdministration } from '../peg/peg.ts';
import type { ScreeningAnswers } from './screening.ts';

export type EligibilityVerdict =
  'eligible' | 'not-eligible' | 'needs-evaluation' | 'needs-screening';

export type CriterionId =
  | 'adult'
  | 'chronic-low-back-pain'
  | 'pain-interference'
  | 'no-red-flags'
  | 'not-pregnant'
  | 'no-metastatic-cancer'
  | 'telehealth'
  | 'no-active-referral';

/** met: satisfied; not-met: excludes; evaluate: a clinician must look; unknown: ask/record it. */
export type CriterionStatus = 'met' | 'not-met' | 'evaluate' | 'unknown';

export type Evidence =
  | { readonly kind: 'birth-date'; readonly birthDate: string }
  | ConditionEvidence
  | {
      readonly kind: 'screening-answer';
      readonly linkId: string;
      readonly answer: string | boolean;
      readonly response: string | undefined;
      readonly authored: string | undefined;
      /** Older than the screening window: shown with its date, "out of date — ask again". */
      readonly outOfDate: boolean;
    }
  | {
      readonly kind: 'peg';
      readonly date: string;
      readonly score: number;
      readonly sources: readonly string[];
      readonly outOfDate: boolean;
    }
  | {
      readonly kind: 'pregnancy-observation';
      readonly reference: string | undefined;
      readonly value: string;
      readonly date: string | undefined;
      readonly outOfDate: boolean;
    }
  | { readonly kind: 'clearance'; readonly clearance: RedFlagClearance }
  | { readonly kind: 'referral'; readonly reference: string };

export interface Finding {
  readonly criterion: CriterionId;
  readonly status: CriterionStatus;
  /** Plain-language explanation for the clinician. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /** A red flag that needs emergency or urgent evaluation (not cleared, not out of date). */
  readonly urgent: boolean;
  /** The red flag this finding is about, if any. */
  readonly redFlag?: RedFlagId | undefined;
}

/**
 * One red flag found in the screening answers or on the chart, as the clearance form and the
 * pathway status need it.
 * - `needs-evaluation`: a current red flag no clearance covers;
 * - `cleared`: a clinician recorded "evaluated; does not preclude the programme" (`clearance`);
 * - `out-of-date`: a "yes" older than the screening window: ask again.
 */
export interface RedFlagFinding {
  readonly id: RedFlagId;
  readonly label: string;
  readonly origin: 'screening' | 'chart';
  readonly urgency: RedFlagUrgency;
  readonly clearable: boolean;
  readonly status: 'needs-evaluation' | 'cleared' | 'out-of-date';
  /** The answers or Conditions it rests on (each names its record). */
  readonly evidence: readonly Evidence[];
  readonly clearance: RedFlagClearance | undefined;
}

export interface EligibilityInput {
  readonly asOf: Date;
  /** Patient.birthDate (YYYY, YYYY-MM or YYYY-MM-DD). */
  readonly birthDate?: string | undefined;
  /** The chart's sex (prefill.ts chartSex): the pregnancy question is not asked when male. */
  readonly sex?: string | undefined;
  readonly conditions: readonly Condition[];
  /** Every screening on record (readScreeningResponse), any age: the newest answer wins. */
  readonly screenings: readonly ScreeningAnswers[];
  /** Observations that may hold a pregnancy status (LOINC 82810-3); others are ignored. */
  readonly observations?: readonly Observation[] | undefined;
  /** Clinicians' red-flag clearances on record (readClearanceResponse). */
  readonly clearances?: readonly RedFlagClearance[] | undefined;
  readonly latestPeg?: Pick<PegAdministration, 'date' | 'score' | 'sources'> | undefined;
  /** An active referral of this patient to the programme ('ServiceRequest/id'). */
  readonly activeReferral?: { readonly reference: string } | undefined;
}

export interface EligibilityResult {
  readonly verdict: EligibilityVerdict;
  /** An uncleared, current red flag needs emergency or urgent evaluation. */
  readonly urgent: boolean;
  /** The most pressing urgency among the red flags that need evaluation, or null. */
  readonly urgency: RedFlagUrgency | null;
  /** Every criterion's finding(s), met or not, in criterion order. */
  readonly findings: readonly Finding[];
  /** The findings that stand between the patient and a referral (status ≠ met). */
  readonly reasons: readonly Finding[];
  /** Every red flag found, cleared or not. */
  readonly redFlags: readonly RedFlagFinding[];
  /** The first day a screening answer may date from and still hold ('YYYY-MM-DD'). */
  readonly screeningSince: string;
}

const URGENCY_ORDER: readonly RedFlagUrgency[] = ['emergency', 'urgent', 'evaluate'];

/**
 * Programme eligibility (OPTIMUM-style criteria of the clinical reference), every finding traced to
 * its evidence. Verdict: a red flag needing evaluation → needs-evaluation (it must be acted on
 * whatever else holds); else any exclusion → not-eligible; else anything to evaluate →
 * needs-evaluation; else anything unanswered or out of date → needs-screening; else eligible.
 * Pure: `asOf` is the evaluation date; answers and the PEG hold for the windows of `config`.
 */
export function evaluateEligibility(
  input: EligibilityInput,
  config: EligibilityConfig = DEFAULT_ELIGIBILITY_CONFIG,
): EligibilityResult {
  const screening = currentScreening(input.screenings, input.asOf, config.screeningMaxAgeMonths);
  const context = { input, config, screening };
  const redFlags = redFlagCriterion(context);
  const findings = [
    adult(context),
    chronicLowBackPain(context),
    painInterference(context),
    ...redFlags.findings,
    notPregnant(context),
    noMetastaticCancer(context),
    telehealth(context),
    noActiveReferral(context),
  ];
  const has = (status: CriterionStatus): boolean => findings.some((f) => f.status === status);
  const redFlag = redFlags.flags.some((f) => f.status === 'needs-evaluation');
  const verdict: EligibilityVerdict = redFlag
    ? 'needs-evaluation'
    : has('not-met')
      ? 'not-eligible'
      : has('evaluate')
        ? 'needs-evaluation'
        : has('unknown')
          ? 'needs-screening'
          : 'eligible';
  const pending = redFlags.flags.filter((f) => f.status === 'needs-evaluation');
  const urgency = URGENCY_ORDER.find((u) => pending.some((f) => f.urgency === u)) ?? null;
  return {
    verdict,
    urgent: findings.some((f) => f.urgent),
    urgency,
    findings,
    reasons: findings.filter((f) => f.status !== 'met'),
    redFlags: redFlags.flags,
    screeningSince: screening.since,
  };
}
