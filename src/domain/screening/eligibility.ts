import type { Condition } from 'fhir/r4';
import type { ConditionEvidence } from './chartEvidence.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from './eligibilityConfig.ts';
import type { EligibilityConfig } from './eligibilityConfig.ts';
import {
  adult,
  chronicLowBackPain,
  noActiveReferral,
  noMetastaticCancer,
  notPregnant,
  painInterference,
  redFlags,
  telehealth,
} from './eligibilityCriteria.ts';
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
    }
  | {
      readonly kind: 'peg';
      readonly date: string;
      readonly score: number;
      readonly sources: readonly string[];
    }
  | { readonly kind: 'referral'; readonly reference: string };

export interface Finding {
  readonly criterion: CriterionId;
  readonly status: CriterionStatus;
  /** Plain-language explanation for the clinician. */
  readonly message: string;
  readonly evidence: readonly Evidence[];
  /** A cauda equina sign: evaluation is urgent. */
  readonly urgent: boolean;
}

export interface EligibilityInput {
  readonly asOf: Date;
  /** Patient.birthDate (YYYY, YYYY-MM or YYYY-MM-DD). */
  readonly birthDate?: string | undefined;
  readonly conditions: readonly Condition[];
  readonly screening?: ScreeningAnswers | undefined;
  readonly latestPeg?: Pick<PegAdministration, 'date' | 'score' | 'sources'> | undefined;
  /** An active referral of this patient to the programme ('ServiceRequest/id'). */
  readonly activeReferral?: { readonly reference: string } | undefined;
}

export interface EligibilityResult {
  readonly verdict: EligibilityVerdict;
  readonly urgent: boolean;
  /** Every criterion's finding(s), met or not, in criterion order. */
  readonly findings: readonly Finding[];
  /** The findings that stand between the patient and a referral (status ≠ met). */
  readonly reasons: readonly Finding[];
}

/**
 * Programme eligibility (OPTIMUM-style criteria of the clinical reference), every finding traced to
 * its evidence. Verdict: a red flag → needs-evaluation (it must be acted on whatever else holds);
 * else any exclusion → not-eligible; else anything to evaluate → needs-evaluation; else anything
 * unanswered → needs-screening; else eligible. Pure: `asOf` is the evaluation date.
 */
export function evaluateEligibility(
  input: EligibilityInput,
  config: EligibilityConfig = DEFAULT_ELIGIBILITY_CONFIG,
): EligibilityResult {
  const findings = [
    adult(input, config),
    chronicLowBackPain(input, config),
    painInterference(input, config),
    ...redFlags(input),
    notPregnant(input),
    noMetastaticCancer(input),
    telehealth(input),
    noActiveReferral(input),
  ];
  const has = (status: CriterionStatus): boolean => findings.some((f) => f.status === status);
  const redFlag = findings.some((f) => f.criterion === 'no-red-flags' && f.status === 'evaluate');
  const verdict: EligibilityVerdict = redFlag
    ? 'needs-evaluation'
    : has('not-met')
      ? 'not-eligible'
      : has('evaluate')
        ? 'needs-evaluation'
        : has('unknown')
          ? 'needs-screening'
          : 'eligible';
  return {
    verdict,
    urgent: findings.some((f) => f.urgent),
    findings,
    reasons: findings.filter((f) => f.status !== 'met'),
  };
}
