/**
 * Answers a clinician gives in a form rendered from a Questionnaire, and the QuestionnaireResponse
 * items they become. Kept apart from React so the write path and the tests share it.
 */
import type { Coding, Questionnaire, QuestionnaireItem, QuestionnaireResponseItem } from 'fhir/r4';
import { isRecord } from '../domain/fhir-primitives/json.ts';

export type FormAnswer =
  | { readonly kind: 'coding'; readonly coding: Coding }
  | { readonly kind: 'boolean'; readonly value: boolean };

/** Answers by linkId. */
export type FormAnswers = Readonly<Record<string, FormAnswer>>;

/** Reads answers back from storage; anything that is not a well-formed answer is dropped. */
export function parseFormAnswers(raw: unknown): Record<string, FormAnswer> {
  const answers: Record<string, FormAnswer> = {};
  if (!isRecord(raw)) {
    return answers;
  }
  for (const [linkId, value] of Object.entries(raw)) {
    if (!isRecord(value)) {
      continue;
    }
    if (value['kind'] === 'boolean' && typeof value['value'] === 'boolean') {
      answers[linkId] = { kind: 'boolean', value: value['value'] };
    }
    const coding = value['coding'];
    if (value['kind'] === 'coding' && isRecord(coding) && typeof coding['code'] === 'string') {
      const system = typeof coding['system'] === 'string' ? coding['system'] : undefined;
      const display = typeof coding['display'] === 'string' ? coding['display'] : undefined;
      answers[linkId] = {
        kind: 'coding',
        coding: {
          code: coding['code'],
          ...(system === undefined ? {} : { system }),
          ...(display === undefined ? {} : { display }),
        },
      };
    }
  }
  return answers;
}

/** Every answerable item (not group/display), depth first, in form order. */
function answerableItems(items: readonly QuestionnaireItem[] | undefined): QuestionnaireItem[] {
  const result: QuestionnaireItem[] = [];
  for (const item of items ?? []) {
    if (item.type !== 'group' && item.type !== 'display' && item.readOnly !== true) {
      result.push(item);
    }
    result.push(...answerableItems(item.item));
  }
  return result;
}

/** linkIds of required items without an answer. */
export function missingRequired(questionnaire: Questionnaire, answers: FormAnswers): string[] {
  return answerableItems(questionnaire.item)
    .filter((item) => item.required === true && answers[item.linkId] === undefined)
    .map((item) => item.linkId);
}

/**
 * The QuestionnaireResponse items for the answers, mirroring the Questionnaire's structure
 * (groups kept, unanswered items left out). `computed` adds read-only items such as a score.
 */
export function responseItems(
  items: readonly QuestionnaireItem[] | undefined,
  answers: FormAnswers,
  computed: Readonly<Record<string, number>> = {},
): QuestionnaireResponseItem[] {
  const result: QuestionnaireResponseItem[] = [];
  for (const item of items ?? []) {
    const text = item.text === undefined ? {} : { text: item.text };
    if (item.type === 'group') {
      const children = responseItems(item.item, answers, computed);
      if (children.length > 0) {
        result.push({ linkId: item.linkId, ...text, item: children });
      }
      continue;
    }
    const answer = answers[item.linkId];
    const value = computed[item.linkId];
    if (answer?.kind === 'coding') {
      result.push({ linkId: item.linkId, ...text, answer: [{ valueCoding: answer.coding }] });
    } else if (answer?.kind === 'boolean') {
      result.push({ linkId: item.linkId, ...text, answer: [{ valueBoolean: answer.value }] });
    } else if (value !== undefined) {
      result.push({ linkId: item.linkId, ...text, answer: [{ valueDecimal: value }] });
    }
  }
  return result;
}
