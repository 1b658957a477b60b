import { evalFhirPath } from '@medplum/core';
import type { Questionnaire, QuestionnaireItem } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import pegQuestionnaireJson from '../../../questionnaires/peg.json' with { type: 'json' };
import {
  PEG_QUESTIONNAIRE_URL,
  PEG_QUESTIONNAIRE_VERSION,
} from '../../../src/domain/codes/canonical.ts';
import {
  PEG_ANSWER_CODES,
  PEG_ITEMS,
  PEG_PANEL_LOINC,
  PEG_SCORE_LINK_ID,
  PEG_SCORE_LOINC,
} from '../../../src/domain/peg/peg.ts';
import { LOINC_SYSTEM } from '../../../src/domain/fhir-primitives/codings.ts';
import { ORDINAL_VALUE_URL } from '../../../src/domain/peg/questionnaireResponse.ts';

const questionnaire = pegQuestionnaireJson as Questionnaire;
const items = questionnaire.item ?? [];
const byLinkId = (linkId: string): QuestionnaireItem | undefined =>
  items.find((i) => i.linkId === linkId);
const controlOf = (item: QuestionnaireItem | undefined) =>
  item?.extension?.find(
    (e) => e.url === 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl',
  )?.valueCodeableConcept?.coding?.[0]?.code;

describe('questionnaires/peg.json matches the domain constants', () => {
  it('has the canonical URL, version, status and panel code', () => {
    expect(questionnaire).toMatchObject({
      url: PEG_QUESTIONNAIRE_URL,
      version: PEG_QUESTIONNAIRE_VERSION,
      status: 'active',
    });
    expect(questionnaire.code).toEqual([
      expect.objectContaining({ system: LOINC_SYSTEM, code: PEG_PANEL_LOINC }),
    ]);
  });

  it.each(PEG_ITEMS.map((item) => [item.linkId, item] as const))(
    'carries %s with its LOINC code, text and anchors',
    (linkId, pegItem) => {
      const item = byLinkId(linkId);
      expect(item).toMatchObject({
        type: 'choice',
        required: true,
        text: pegItem.text,
        code: [{ system: LOINC_SYSTEM, code: pegItem.loinc }],
      });
      const lower = item?.item?.find((child) => controlOf(child) === 'lower');
      const upper = item?.item?.find((child) => controlOf(child) === 'upper');
      expect(lower).toMatchObject({ type: 'display', text: pegItem.anchors.low });
      expect(upper).toMatchObject({ type: 'display', text: pegItem.anchors.high });
    },
  );

  it.each(PEG_ITEMS.map((item) => [item.linkId]))(
    'offers %s the 11 LOINC 0-10 answers with their ordinal values',
    (linkId) => {
      const options = byLinkId(linkId)?.answerOption ?? [];
      expect(
        options.map((option) => [
          option.valueCoding?.system,
          option.valueCoding?.code,
          option.extension?.find((e) => e.url === ORDINAL_VALUE_URL)?.valueDecimal,
        ]),
      ).toEqual(PEG_ANSWER_CODES.map((answer) => [LOINC_SYSTEM, answer.code, answer.value]));
    },
  );

  it('has a read-only 91147-9 score item whose calculatedExpression is the 2-decimal mean', () => {
    const score = byLinkId(PEG_SCORE_LINK_ID);
    expect(score).toMatchObject({
      type: 'decimal',
      readOnly: true,
      code: [{ system: LOINC_SYSTEM, code: PEG_SCORE_LOINC }],
    });
    const expression = score?.extension?.find(
      (e) =>
        e.url ===
        'http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression',
    )?.valueExpression?.expression;
    expect(expression).toBeDefined();
    const variables = { '%pain': 6, '%enjoyment': 7, '%activity': 4 };
    const bound = Object.fromEntries(
      Object.entries(variables).map(([k, value]) => [k, { type: 'integer', value }]),
    );
    expect(evalFhirPath(expression ?? '', {}, bound)).toEqual([5.67]);
  });

  it("defines one SDC variable per item, reading that item's ordinal value", () => {
    const expressions = (questionnaire.extension ?? []).map((e) => e.valueExpression);
    expect(expressions.map((e) => e?.name)).toEqual(['pain', 'enjoyment', 'activity']);
    PEG_ITEMS.forEach((item, index) => {
      expect(expressions[index]?.expression).toContain(`linkId = '${item.linkId}'`);
    });
  });
});
