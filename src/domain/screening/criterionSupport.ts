/** What every eligibility criterion receives, and the helpers they share to build findings. */
import type { CurrentScreening, DatedAnswer } from './currentScreening.ts';
import type {
  CriterionId,
  CriterionStatus,
  EligibilityInput,
  Evidence,
  Finding,
} from './eligibility.ts';
import type { EligibilityConfig, RedFlagId } from './eligibilityConfig.ts';

export interface CriterionContext {
  readonly input: EligibilityInput;
  readonly config: EligibilityConfig;
  /** The screening answers that hold at asOf, and the newest ones that no longer do. */
  readonly screening: CurrentScreening;
}

export const finding = (
  criterion: CriterionId,
  status: CriterionStatus,
  message: string,
  evidence: readonly Evidence[] = [],
  options: { readonly urgent?: boolean; readonly redFlag?: RedFlagId } = {},
): Finding => ({
  criterion,
  status,
  message,
  evidence,
  urgent: options.urgent ?? false,
  ...(options.redFlag === undefined ? {} : { redFlag: options.redFlag }),
});

/** A screening answer as evidence (none when unanswered). */
export function answerEvidence(
  linkId: string,
  answer: DatedAnswer<string | boolean> | undefined,
  outOfDate = false,
): Evidence[] {
  return answer === undefined
    ? []
    : [
        {
          kind: 'screening-answer',
          linkId,
          answer: answer.value,
          response: answer.response,
          authored: answer.authored,
          outOfDate,
        },
      ];
}

/** "2025-08-01" from a dateTime, or "an unknown date". */
export function dayText(date: string | undefined): string {
  return date === undefined || date.length < 10 ? (date ?? 'an unknown date') : date.slice(0, 10);
}
