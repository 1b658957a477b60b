import type { Condition } from 'fhir/r4';
import { findMatch } from '../codes/codeMatch.ts';
import type { CodeRule } from '../codes/codeMatch.ts';
import type { ConditionList } from '../codes/conditionLists.ts';
import { LOW_BACK_PAIN_CODES } from '../codes/lowBackPain.ts';
import { addMonths, lastDayIndex, localDayIndex } from '../fhir-primitives/dates.ts';

/** A Condition that matched a code list, as traceable evidence. */
export interface ConditionEvidence {
  readonly kind: 'condition';
  readonly conditionId: string | undefined;
  readonly list: ConditionList;
  readonly system: string;
  readonly code: string;
  /** The table's display for the matched rule (the Condition's own display is never used). */
  readonly display: string;
  readonly clinicalStatus: string | undefined;
  readonly onset: string | undefined;
  /** When it was put on the chart (recordedDate, else onset), for display. */
  readonly recorded: string | undefined;
}

/** clinicalStatus codes that mean the problem is current (FHIR R4 condition-clinical). */
const CURRENT_STATUSES: readonly string[] = ['active', 'recurrence', 'relapse'];
/** verificationStatus codes that mean the Condition must be ignored. */
const DISCARDED_VERIFICATION: readonly string[] = ['refuted', 'entered-in-error'];

function statusCode(concept: Condition['clinicalStatus']): string | undefined {
  return concept?.coding?.find((coding) => coding.code !== undefined)?.code;
}

/** False for refuted or entered-in-error Conditions, which are never evidence. */
function isRecorded(condition: Condition): boolean {
  const verification = statusCode(condition.verificationStatus);
  return verification === undefined || !DISCARDED_VERIFICATION.includes(verification);
}

/**
 * True when the Condition is current. A missing clinicalStatus counts as current: R4 requires it
 * for problem-list Conditions, and treating an unknown status as current only ever prompts review.
 */
function isCurrent(condition: Condition): boolean {
  const clinical = statusCode(condition.clinicalStatus);
  return isRecorded(condition) && (clinical === undefined || CURRENT_STATUSES.includes(clinical));
}

function onsetOf(condition: Condition): string | undefined {
  return condition.onsetDateTime ?? condition.onsetPeriod?.start ?? condition.recordedDate;
}

/**
 * Conditions matching a code table. `currentOnly` keeps active/recurrence/relapse ones; otherwise
 * any recorded Condition counts (e.g. a resolved cancer is still a history of cancer).
 */
export function conditionsMatching(
  conditions: readonly Condition[],
  table: readonly { readonly rule: CodeRule }[],
  list: ConditionList,
  currentOnly: boolean,
): ConditionEvidence[] {
  return conditions.flatMap((condition) => {
    if (currentOnly ? !isCurrent(condition) : !isRecorded(condition)) {
      return [];
    }
    const match = findMatch(table, condition.code?.coding);
    if (match?.coding.system === undefined || match.coding.code === undefined) {
      return [];
    }
    return [
      {
        kind: 'condition' as const,
        conditionId: condition.id,
        list,
        system: match.coding.system,
        code: match.coding.code,
        display: match.entry.rule.display,
        clinicalStatus: statusCode(condition.clinicalStatus),
        onset: onsetOf(condition),
        recorded: condition.recordedDate ?? onsetOf(condition),
      },
    ];
  });
}

/** True when `value` is at least `months` calendar months before the local day of `asOf`. */
function atLeastMonthsBefore(value: string, months: number, asOf: Date): boolean {
  const day = lastDayIndex(value);
  return day !== undefined && addMonths(day, months) <= localDayIndex(asOf);
}

export interface LowBackPainChart {
  /** Current low back pain Conditions. */
  readonly lowBackPain: ConditionEvidence[];
  /** The subset that shows chronicity (chronic code, chronic-pain code alongside, or old onset). */
  readonly chronic: ConditionEvidence[];
}

/**
 * Chart evidence for CLBP: current low back pain Conditions, and which of them show that the
 * problem has lasted: a chronic code (278860009, 134407002), a current G89.29/G89.4 alongside,
 * or an onset (else recorded date) at least `chronicMonths` before `asOf`.
 */
export function lowBackPainChart(
  conditions: readonly Condition[],
  chronicMonths: number,
  asOf: Date,
): LowBackPainChart {
  const lowBackPain = conditionsMatching(
    conditions,
    LOW_BACK_PAIN_CODES.filter((entry) => entry.lowBackPain),
    'low-back-pain',
    true,
  );
  const chronicPain = conditionsMatching(
    conditions,
    LOW_BACK_PAIN_CODES.filter((entry) => !entry.lowBackPain && entry.chronic),
    'chronic-pain',
    true,
  );
  const chronicCodes = LOW_BACK_PAIN_CODES.filter((entry) => entry.lowBackPain && entry.chronic);
  const chronic = lowBackPain.filter(
    (evidence) =>
      findMatch(chronicCodes, [evidence]) !== undefined ||
      (evidence.onset !== undefined && atLeastMonthsBefore(evidence.onset, chronicMonths, asOf)),
  );
  if (chronic.length > 0 || lowBackPain.length === 0 || chronicPain.length === 0) {
    return { lowBackPain, chronic };
  }
  // A chronic-pain code says nothing about the site; with a low back pain code it shows chronicity.
  return { lowBackPain, chronic: [...lowBackPain, ...chronicPain] };
}
