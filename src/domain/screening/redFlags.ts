/**
 * The red flags of the CLBP pathway in one catalogue: the screening questions (screening.ts
 * RED_FLAGS) and the chart code lists (src/domain/codes/redFlagConditions.ts), each with its
 * plain-language label and its rule (eligibilityConfig.ts RED_FLAG_RULES). Red flags prompt a
 * clinician's evaluation; they do not diagnose (clinical.md "Red flags").
 */
import type { Condition } from 'fhir/r4';
import { CONDITION_LIST_LABELS } from '../codes/conditionLists.ts';
import type { RedFlagCode } from '../codes/redFlagConditions.ts';
import {
  CANCER_HISTORY_CODES,
  CAUDA_EQUINA_SYNDROME_CODES,
  IMMUNOSUPPRESSION_CODES,
  IMMUNOSUPPRESSIVE_DRUG_CODES,
  IV_DRUG_USE_CODES,
  SPINAL_INFECTION_CODES,
  VERTEBRAL_FRACTURE_CODES,
} from '../codes/redFlagConditions.ts';
import type { ConditionEvidence } from './chartEvidence.ts';
import { conditionsMatching } from './chartEvidence.ts';
import type { ChartRedFlag, RedFlagId, RedFlagRule } from './eligibilityConfig.ts';
import { RED_FLAG_RULES } from './eligibilityConfig.ts';
import { RED_FLAGS } from './screening.ts';

export interface ChartRedFlagTable {
  readonly id: ChartRedFlag;
  readonly table: readonly RedFlagCode[];
  /**
   * Only current Conditions count (active, recurrence, relapse), except a history of cancer,
   * which stays a history once resolved (clinical.md: "history of cancer").
   */
  readonly currentOnly: boolean;
}

const CHART_RED_FLAGS: readonly ChartRedFlagTable[] = [
  { id: 'cauda-equina-syndrome', table: CAUDA_EQUINA_SYNDROME_CODES, currentOnly: true },
  { id: 'cancer-history', table: CANCER_HISTORY_CODES, currentOnly: false },
  { id: 'spinal-infection', table: SPINAL_INFECTION_CODES, currentOnly: true },
  { id: 'vertebral-fracture', table: VERTEBRAL_FRACTURE_CODES, currentOnly: true },
  { id: 'immunosuppression', table: IMMUNOSUPPRESSION_CODES, currentOnly: true },
  { id: 'immunosuppressive-drugs', table: IMMUNOSUPPRESSIVE_DRUG_CODES, currentOnly: true },
  { id: 'iv-drug-use', table: IV_DRUG_USE_CODES, currentOnly: true },
];

/** Every red flag id, screening questions first (cauda equina signs first among them). */
const RED_FLAG_IDS: readonly RedFlagId[] = [
  ...RED_FLAGS.map((flag) => flag.key),
  ...CHART_RED_FLAGS.map((flag) => flag.id),
];

export function isRedFlagId(value: string): value is RedFlagId {
  return (RED_FLAG_IDS as readonly string[]).includes(value);
}

/** The words a clinician reads for a red flag: the question's text or the chart list's label. */
export function redFlagLabel(id: RedFlagId): string {
  const question = RED_FLAGS.find((flag) => flag.key === id);
  return question?.text ?? `${capitalise(CONDITION_LIST_LABELS[id as ChartRedFlag])} on the chart`;
}

export function redFlagRule(id: RedFlagId): RedFlagRule {
  return RED_FLAG_RULES[id];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The chart's red-flag Conditions, grouped by red flag (only red flags with a match). */
export function chartRedFlags(
  conditions: readonly Condition[],
): { readonly id: ChartRedFlag; readonly conditions: readonly ConditionEvidence[] }[] {
  return CHART_RED_FLAGS.flatMap((flag) => {
    const found = conditionsMatching(conditions, flag.table, flag.id, flag.currentOnly);
    return found.length > 0 ? [{ id: flag.id, conditions: found }] : [];
  });
}
