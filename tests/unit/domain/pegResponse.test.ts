import type { Questionnaire, QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import pegQuestionnaireJson from '../../../questionnaires/peg.json' with { type: 'json' };
import { pegFromQuestionnaireResponse } from '../../../src/domain/peg/questionnaireResponse.ts';

const ours = pegQuestionnaireJson as Questionnaire;
const LOINC = 'http://loinc.org';
const la = (code: string) => ({ valueCoding: { system: LOINC, code, display: 'ignored' } });

function ourResponse(
  answers: QuestionnaireResponseItem[],
  extra: Partial<QuestionnaireResponse> = {},
) {
  return {
    resourceType: 'QuestionnaireResponse',
    id: 'qr1',
    questionnaire: `${ours.url ?? ''}|1.0.0`,
    status: 'completed',
    subject: { reference: 'Patient/p1' },
    authored: '2026-03-02T10:15:00-07:00',
    item: answers,
    ...extra,
  } satisfies QuestionnaireResponse;
}

const complete = [
  { linkId: 'peg-pain', answer: [la('LA10138-8')] },
  { linkId: 'peg-enjoyment', answer: [la('LA10139-6')] },
  { linkId: 'peg-activity', answer: [la('LA6115-5')] },
];

/** A foreign Questionnaire: other linkIds, other texts, nested group, ordinal-valued local codes. */
const foreign: Questionnaire = {
  resourceType: 'Questionnaire',
  url: 'http://other.example/Questionnaire/pain-check',
  status: 'active',
  item: [
    {
      linkId: 'g1',
      type: 'group',
      item: [
        {
          linkId: 'q-a',
          type: 'integer',
          text: 'Pain (0-10)?',
          code: [{ system: LOINC, code: '75893-8' }],
        },
        {
          linkId: 'q-b',
          type: 'choice',
          text: 'Enjoyment?',
          code: [{ system: LOINC, code: '91145-3' }],
          answerOption: [
            {
              valueCoding: { system: 'http://other.example/cs', code: 'e-high', display: '3' },
              extension: [
                { url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: 8 },
              ],
            },
          ],
        },
        {
          linkId: 'q-c',
          type: 'decimal',
          text: 'Activity?',
          code: [{ system: LOINC, code: '91146-1' }],
        },
        // Carries the text of a PEG item but no code: must not be read as PEG.
        {
          linkId: 'peg-pain',
          type: 'integer',
          text: 'What number best describes your pain on average in the past week?',
        },
      ],
    },
  ],
};

describe('pegFromQuestionnaireResponse', () => {
  it('reads a completed response to the CLBP Pathway PEG by LOINC answer codes', () => {
    const reading = pegFromQuestionnaireResponse(ourResponse(complete), ours);
    expect(reading).toEqual({
      kind: 'administration',
      administration: {
        date: '2026-03-02T10:15:00-07:00',
        score: 5.67,
        mean: 17 / 3,
        items: { pain: 6, enjoyment: 7, activity: 4 },
        subject: 'Patient/p1',
        sources: ['QuestionnaireResponse/qr1'],
        keys: ['QuestionnaireResponse/qr1'],
        derivedFrom: [],
      },
    });
  });

  it('reads a foreign Questionnaire by item code, not linkId or text, through nested groups', () => {
    const response: QuestionnaireResponse = {
      resourceType: 'QuestionnaireResponse',
      questionnaire: 'http://other.example/Questionnaire/pain-check',
      status: 'amended',
      authored: '2026-01-10',
      identifier: { system: 'urn:other', value: 'abc' },
      item: [
        {
          linkId: 'g1',
          item: [
            { linkId: 'q-a', answer: [{ valueInteger: 9 }] },
            {
              linkId: 'q-b',
              answer: [{ valueCoding: { system: 'http://other.example/cs', code: 'e-high' } }],
            },
            { linkId: 'q-c', answer: [{ valueDecimal: 4 }] },
            { linkId: 'peg-pain', answer: [{ valueInteger: 0 }] },
          ],
        },
      ],
    };
    expect(pegFromQuestionnaireResponse(response, foreign)).toMatchObject({
      kind: 'administration',
      administration: {
        items: { pain: 9, enjoyment: 8, activity: 4 },
        score: 7,
        keys: ['identifier:urn:other|abc'],
      },
    });
  });

  it('reports the missing items of a response with an unanswered item', () => {
    const reading = pegFromQuestionnaireResponse(ourResponse(complete.slice(0, 2)), ours);
    expect(reading).toEqual({ kind: 'incomplete', missing: ['activity'] });
  });

  it('does not score an in-progress response', () => {
    expect(
      pegFromQuestionnaireResponse(ourResponse(complete, { status: 'in-progress' }), ours),
    ).toEqual({
      kind: 'not-final',
      status: 'in-progress',
    });
  });

  it('says not-peg for a Questionnaire without the PEG item codes', () => {
    const other: Questionnaire = {
      resourceType: 'Questionnaire',
      status: 'active',
      item: [{ linkId: 'x', type: 'boolean' }],
    };
    expect(
      pegFromQuestionnaireResponse(ourResponse(complete, { questionnaire: undefined }), other),
    ).toEqual({
      kind: 'not-peg',
    });
  });

  it('refuses a response read against the wrong Questionnaire', () => {
    const reading = pegFromQuestionnaireResponse(ourResponse(complete), foreign);
    expect(reading.kind).toBe('invalid');
  });

  it('refuses a coding without a LOINC 0-10 code or ordinal value rather than reading its display', () => {
    const answers = [
      {
        linkId: 'peg-pain',
        answer: [{ valueCoding: { system: 'http://other.example', code: 'x', display: '7' } }],
      },
      ...complete.slice(1),
    ];
    const reading = pegFromQuestionnaireResponse(ourResponse(answers), ours);
    expect(reading.kind).toBe('invalid');
  });

  it('refuses an out-of-range integer answer', () => {
    const answers = [{ linkId: 'peg-pain', answer: [{ valueInteger: 12 }] }, ...complete.slice(1)];
    expect(pegFromQuestionnaireResponse(ourResponse(answers), ours)).toEqual({
      kind: 'invalid',
      problems: ['pain = 12 is not an integer 0-10'],
    });
  });

  it('refuses an item answered twice', () => {
    const answers = [...complete, { linkId: 'peg-pain', answer: [la('LA6111-4')] }];
    expect(pegFromQuestionnaireResponse(ourResponse(answers), ours).kind).toBe('invalid');
  });
});
