import type { Patient, Questionnaire, QuestionnaireItem } from 'fhir/r4';
import fhirpath from 'fhirpath';
import r4Model from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import screeningJson from '../../../questionnaires/clbp-screening.json' with { type: 'json' };
import {
  SCREENING_ANSWER_CODE_SYSTEM,
  SCREENING_QUESTIONNAIRE_URL,
  SCREENING_QUESTIONNAIRE_VERSION,
} from '../../../src/domain/codes/canonical.ts';
import {
  DURATION_ANSWERS,
  DURATION_QUESTION,
  FREQUENCY_ANSWERS,
  FREQUENCY_QUESTION,
  RED_FLAGS,
  SCREENING_LINK_IDS,
} from '../../../src/domain/screening/screening.ts';
import { asksPregnancy } from '../../../src/domain/screening/prefill.ts';

const questionnaire = screeningJson as Questionnaire;
const flatten = (items: readonly QuestionnaireItem[] | undefined): QuestionnaireItem[] =>
  (items ?? []).flatMap((item) => [item, ...flatten(item.item)]);
const all = flatten(questionnaire.item);
const find = (linkId: string) => all.find((item) => item.linkId === linkId);

describe('questionnaires/clbp-screening.json matches the domain constants', () => {
  it('has the canonical URL and version', () => {
    expect(questionnaire).toMatchObject({
      url: SCREENING_QUESTIONNAIRE_URL,
      version: SCREENING_QUESTIONNAIRE_VERSION,
      status: 'active',
    });
  });

  it('has unique linkIds, and every linkId the domain uses', () => {
    const linkIds = all.map((item) => item.linkId);
    expect(new Set(linkIds).size).toBe(linkIds.length);
    for (const linkId of [
      ...Object.values(SCREENING_LINK_IDS),
      ...RED_FLAGS.map((f) => f.linkId),
    ]) {
      expect(linkIds).toContain(linkId);
    }
  });

  it.each([
    [SCREENING_LINK_IDS.duration, DURATION_QUESTION, DURATION_ANSWERS],
    [SCREENING_LINK_IDS.frequency, FREQUENCY_QUESTION, FREQUENCY_ANSWERS],
  ] as const)('asks %s with the Task Force wording and answer codes', (linkId, text, answers) => {
    const item = find(linkId);
    expect(item).toMatchObject({ type: 'choice', required: true, text });
    expect(
      item?.answerOption?.map((o) => [
        o.valueCoding?.system,
        o.valueCoding?.code,
        o.valueCoding?.display,
      ]),
    ).toEqual(answers.map((a) => [SCREENING_ANSWER_CODE_SYSTEM, a.code, a.display]));
  });

  it('asks the cauda equina signs first, in their own group, then the other red flags', () => {
    const redFlagGroup = find(SCREENING_LINK_IDS.redFlagGroup);
    const [first, ...rest] = redFlagGroup?.item ?? [];
    expect(first?.linkId).toBe(SCREENING_LINK_IDS.caudaEquinaGroup);
    expect(first?.item?.map((i) => [i.linkId, i.text, i.type])).toEqual(
      RED_FLAGS.filter((f) => f.caudaEquina).map((f) => [f.linkId, f.text, 'boolean']),
    );
    expect(rest.map((i) => [i.linkId, i.text, i.type])).toEqual(
      RED_FLAGS.filter((f) => !f.caudaEquina).map((f) => [f.linkId, f.text, 'boolean']),
    );
  });

  it('asks pregnancy and telehealth ability as clinician yes/no questions', () => {
    expect(find(SCREENING_LINK_IDS.pregnant)?.type).toBe('boolean');
    expect(find(SCREENING_LINK_IDS.telehealthAble)?.type).toBe('boolean');
  });
});

describe("the pregnancy question's enableWhenExpression says what the app does", () => {
  const BIRTH_SEX = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex';
  const expression = find(SCREENING_LINK_IDS.pregnant)?.extension?.find((e) =>
    e.url.endsWith('sdc-questionnaire-enableWhenExpression'),
  )?.valueExpression?.expression;
  const born = (code: string) => [{ url: BIRTH_SEX, valueCode: code }];

  // Asked unless the chart's sex is male: US Core birth sex when recorded as M or F, else gender.
  it.each<[string, Pick<Patient, 'gender' | 'extension'>, boolean]>([
    ['gender male', { gender: 'male' }, false],
    ['gender female', { gender: 'female' }, true],
    ['gender other', { gender: 'other' }, true],
    ['no gender', {}, true],
    ['birth sex M, gender female', { gender: 'female', extension: born('M') }, false],
    ['birth sex F, gender male', { gender: 'male', extension: born('F') }, true],
    ['birth sex unknown, gender male', { gender: 'male', extension: born('UNK') }, false],
    ['birth sex unknown, no gender', { extension: born('UNK') }, true],
  ])('%s: asked = %s, in the Questionnaire and in the app', (_, patient, asked) => {
    expect(expression).toBeDefined();
    const resource = { resourceType: 'Patient', ...patient };
    const result = fhirpath.evaluate({}, expression ?? '', { patient: resource }, r4Model);
    expect(result).toEqual([asked]);
    expect(asksPregnancy(patient, { askPregnancyWhenMale: false })).toBe(asked);
  });
});
