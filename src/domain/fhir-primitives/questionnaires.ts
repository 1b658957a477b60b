/**
 * Walking Questionnaire and QuestionnaireResponse items (https://hl7.org/fhir/R4/questionnaireresponse.html):
 * items nest under items and, in a response, under answers too.
 */
import type { QuestionnaireItem, QuestionnaireResponseItem } from 'fhir/r4';

/** Every item of a Questionnaire, depth first. */
export function flattenQuestionnaire(
  items: readonly QuestionnaireItem[] | undefined,
): QuestionnaireItem[] {
  return (items ?? []).flatMap((item) => [item, ...flattenQuestionnaire(item.item)]);
}

/** Every item of a QuestionnaireResponse, depth first, including items nested under answers. */
export function flattenResponse(
  items: readonly QuestionnaireResponseItem[] | undefined,
): QuestionnaireResponseItem[] {
  return (items ?? []).flatMap((item) => [
    item,
    ...flattenResponse(item.item),
    ...(item.answer ?? []).flatMap((answer) => flattenResponse(answer.item)),
  ]);
}
