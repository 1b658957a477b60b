import type {
  Coding,
  Extension,
  Questionnaire,
  QuestionnaireItem,
  QuestionnaireResponse,
  QuestionnaireResponseItemAnswer,
} from 'fhir/r4';
import { PEG_ITEMS, PEG_ITEM_KEYS, pegValueFromAnswerCode, scorePeg } from './peg.ts';
import { normalizeReference, parseReference, resourceKeys } from '../fhir-primitives/references.ts';
import { hasLoinc } from '../fhir-primitives/codings.ts';
import type { PegAdministration, PegAnswers, PegItemKey, PegReporter } from './peg.ts';

const REPORTER_OF_AUTHOR: Readonly<Record<string, PegReporter>> = {
  Patient: 'patient',
  RelatedPerson: 'patient',
  Practitioner: 'clinic',
  PractitionerRole: 'clinic',
};

/** Who entered a response, from its author's resource type (see PegReporter). */
export function pegReporter(author: string | undefined): PegReporter | undefined {
  const type = author === undefined ? undefined : parseReference(author)?.type;
  return type === undefined ? undefined : REPORTER_OF_AUTHOR[type];
}
import { flattenQuestionnaire, flattenResponse } from '../fhir-primitives/questionnaires.ts';

/** R4 core extension carrying an answer option's numeric value (SDC 3 `ordinal()`). */
export const ORDINAL_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
/** Its R5 successor; accepted when reading so newer Questionnaires work too. */
const ITEM_WEIGHT_URL = 'http://hl7.org/fhir/StructureDefinition/itemWeight';

/** QuestionnaireResponse statuses whose answers are a finished administration. */
const FINAL_RESPONSE_STATUSES: readonly string[] = ['completed', 'amended'];

export type PegReading =
  | { kind: 'administration'; administration: PegAdministration }
  | { kind: 'incomplete'; missing: PegItemKey[] }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'not-final'; status: string }
  | { kind: 'not-peg' };

function stripVersion(canonical: string): string {
  return canonical.split('|')[0] ?? canonical;
}

function ordinalOf(extensions: readonly Extension[] | undefined): number | undefined {
  const extension = extensions?.find(
    (candidate) => candidate.url === ORDINAL_VALUE_URL || candidate.url === ITEM_WEIGHT_URL,
  );
  return extension?.valueDecimal ?? extension?.valueInteger;
}

function sameCoding(a: Coding, b: Coding | undefined): boolean {
  return b !== undefined && a.system === b.system && a.code === b.code && a.code !== undefined;
}

function numberFromCoding(coding: Coding, questionItem: QuestionnaireItem): number | undefined {
  const byLoinc = pegValueFromAnswerCode(coding);
  if (byLoinc !== undefined) {
    return byLoinc;
  }
  const option = questionItem.answerOption?.find((candidate) =>
    sameCoding(coding, candidate.valueCoding),
  );
  return (
    ordinalOf(option?.extension) ??
    ordinalOf(option?.valueCoding?.extension) ??
    ordinalOf(coding.extension)
  );
}

type AnswerValue = { kind: 'value'; value: number } | { kind: 'problem'; problem: string };

function answerValue(
  answer: QuestionnaireResponseItemAnswer,
  questionItem: QuestionnaireItem,
): AnswerValue {
  if (answer.valueInteger !== undefined) {
    return { kind: 'value', value: answer.valueInteger };
  }
  if (answer.valueDecimal !== undefined) {
    return { kind: 'value', value: answer.valueDecimal };
  }
  if (answer.valueCoding !== undefined) {
    const value = numberFromCoding(answer.valueCoding, questionItem);
    return value === undefined
      ? {
          kind: 'problem',
          problem: `answer ${answer.valueCoding.system ?? '?'}|${answer.valueCoding.code ?? '?'} to ${questionItem.linkId} has no numeric value (no LOINC 0-10 code, no ordinalValue)`,
        }
      : { kind: 'value', value };
  }
  return {
    kind: 'problem',
    problem: `answer to ${questionItem.linkId} is not a coding or a number`,
  };
}

type PegQuestions = ReadonlyMap<string, { key: PegItemKey; item: QuestionnaireItem }>;

/**
 * The form's PEG questions by linkId, found by their LOINC item code at any depth; worked out once
 * per Questionnaire object (an export holds a few Questionnaires and millions of responses).
 */
const pegQuestionsCache = new WeakMap<Questionnaire, PegQuestions>();

function pegItemsOf(questionnaire: Questionnaire): PegQuestions {
  const cached = pegQuestionsCache.get(questionnaire);
  if (cached !== undefined) {
    return cached;
  }
  const pegItemsByLinkId = new Map<string, { key: PegItemKey; item: QuestionnaireItem }>();
  for (const item of flattenQuestionnaire(questionnaire.item)) {
    const pegItem = PEG_ITEMS.find((candidate) => hasLoinc(item.code, candidate.loinc));
    if (pegItem !== undefined) {
      pegItemsByLinkId.set(item.linkId, { key: pegItem.key, item });
    }
  }
  pegQuestionsCache.set(questionnaire, pegItemsByLinkId);
  return pegItemsByLinkId;
}

/** The values answered to the PEG questions, and what is wrong with them (a second answer, a bad value). */
function pegAnswers(
  response: QuestionnaireResponse,
  questions: PegQuestions,
): { answers: PegAnswers; problems: string[] } {
  const answers: PegAnswers = {};
  const problems: string[] = [];
  for (const responseItem of flattenResponse(response.item)) {
    const question = questions.get(responseItem.linkId);
    const given = responseItem.answer ?? [];
    if (question === undefined || given.length === 0) {
      continue;
    }
    const [first] = given;
    if (given.length > 1 || answers[question.key] !== undefined || first === undefined) {
      problems.push(`${question.key} is answered more than once`);
      continue;
    }
    const value = answerValue(first, question.item);
    if (value.kind === 'problem') {
      problems.push(value.problem);
    } else {
      answers[question.key] = value.value;
    }
  }
  return { answers, problems };
}

/**
 * Reads a PEG administration from a QuestionnaireResponse to ANY Questionnaire whose items carry
 * the PEG item LOINC codes (75893-8, 91145-3, 91146-1 in `item.code`), in any group nesting.
 * Items are matched by code, never by linkId or text; answers may be LOINC LA codes, integers,
 * decimals, or codings whose answer option (or the coding itself) has an ordinalValue.
 * `questionnaire` must be the one the response answers (checked against its canonical URL).
 */
export function pegFromQuestionnaireResponse(
  response: QuestionnaireResponse,
  questionnaire: Questionnaire,
): PegReading {
  if (
    response.questionnaire !== undefined &&
    questionnaire.url !== undefined &&
    stripVersion(response.questionnaire) !== stripVersion(questionnaire.url)
  ) {
    return {
      kind: 'invalid',
      problems: [`response answers ${response.questionnaire}, not ${questionnaire.url}`],
    };
  }
  const pegItemsByLinkId = pegItemsOf(questionnaire);
  if (pegItemsByLinkId.size === 0) {
    return { kind: 'not-peg' };
  }
  if (!FINAL_RESPONSE_STATUSES.includes(response.status)) {
    return { kind: 'not-final', status: response.status };
  }
  const { answers, problems } = pegAnswers(response, pegItemsByLinkId);
  if (response.authored === undefined) {
    problems.push('the response has no authored date');
  }
  const score = scorePeg(answers);
  if (score.kind === 'invalid') {
    problems.push(
      ...score.invalid.map(({ item, value }) => `${item} = ${value} is not an integer 0-10`),
    );
  }
  if (problems.length > 0 || response.authored === undefined) {
    return { kind: 'invalid', problems };
  }
  if (score.kind !== 'score') {
    return {
      kind: 'incomplete',
      missing: PEG_ITEM_KEYS.filter((key) => answers[key] === undefined),
    };
  }
  return {
    kind: 'administration',
    administration: {
      date: response.authored,
      score: score.stored,
      mean: score.mean,
      items: score.items,
      ...(response.subject?.reference === undefined
        ? {}
        : { subject: normalizeReference(response.subject.reference) }),
      sources: response.id === undefined ? [] : [`QuestionnaireResponse/${response.id}`],
      keys: resourceKeys(
        'QuestionnaireResponse',
        response.id,
        response.identifier === undefined ? [] : [response.identifier],
      ),
      derivedFrom: [],
      ...reporterOf(response),
    },
  };
}

function reporterOf(response: QuestionnaireResponse): { reportedBy?: PegReporter } {
  const reportedBy = pegReporter(response.author?.reference);
  return reportedBy === undefined ? {} : { reportedBy };
}
