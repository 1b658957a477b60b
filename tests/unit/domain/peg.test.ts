import { describe, expect, it } from 'vitest';
import {
  PEG_ANSWER_CODES,
  pegAnswerCodeFor,
  pegValueFromAnswerCode,
  scorePeg,
} from '../../../src/domain/peg/peg.ts';
import { normalizeReference } from '../../../src/domain/fhir-primitives/references.ts';

describe('scorePeg', () => {
  it.each([
    [0, 0, 0, 0, 0],
    [10, 10, 10, 10, 10],
    [6, 7, 4, 17 / 3, 5.67],
    [1, 0, 0, 1 / 3, 0.33],
    [3, 3, 4, 10 / 3, 3.33],
    [2, 3, 3, 8 / 3, 2.67],
  ])(
    'scores P=%i E=%i G=%i as a mean of %f, stored as %f',
    (pain, enjoyment, activity, mean, stored) => {
      const score = scorePeg({ pain, enjoyment, activity });
      expect(score).toEqual({ kind: 'score', mean, stored, items: { pain, enjoyment, activity } });
    },
  );

  it.each([
    [{ enjoyment: 5, activity: 5 }, ['pain']],
    [{ pain: 5, activity: 5 }, ['enjoyment']],
    [{ pain: 5, enjoyment: 5 }, ['activity']],
    [{}, ['pain', 'enjoyment', 'activity']],
  ])('gives no score when an item is missing (%o)', (answers, missing) => {
    expect(scorePeg(answers)).toEqual({ kind: 'incomplete', missing });
  });

  it.each([-1, 11, 2.5, Number.NaN])('rejects an item value of %f instead of scoring it', (bad) => {
    expect(scorePeg({ pain: bad, enjoyment: 5, activity: 5 })).toEqual({
      kind: 'invalid',
      invalid: [{ item: 'pain', value: bad }],
    });
  });
});

describe('PEG answer codes (LOINC LL2335-9)', () => {
  it.each([
    ['LA6111-4', 0],
    ['LA6112-2', 1],
    ['LA6113-0', 2],
    ['LA6114-8', 3],
    ['LA6115-5', 4],
    ['LA10137-0', 5],
    ['LA10138-8', 6],
    ['LA10139-6', 7],
    ['LA10140-4', 8],
    ['LA10141-2', 9],
    ['LA13942-0', 10],
  ])('maps %s to %i and back', (code, value) => {
    expect(pegValueFromAnswerCode({ system: 'http://loinc.org', code })).toBe(value);
    expect(pegAnswerCodeFor(value)).toBe(code);
  });

  it('has exactly one code for each value 0-10', () => {
    expect(PEG_ANSWER_CODES.map((a) => a.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(PEG_ANSWER_CODES.map((a) => a.code)).size).toBe(11);
  });

  it('reads LA6113-0 as 2 whatever its display says ("2 or more" on one LOINC form)', () => {
    const coding = { system: 'http://loinc.org', code: 'LA6113-0', display: '2 or more' };
    expect(pegValueFromAnswerCode(coding)).toBe(2);
  });

  it('does not map an LA code from another system, an unknown code, or a display', () => {
    expect(
      pegValueFromAnswerCode({ system: 'http://snomed.info/sct', code: 'LA6113-0' }),
    ).toBeUndefined();
    expect(
      pegValueFromAnswerCode({ system: 'http://loinc.org', code: 'LA9999-9' }),
    ).toBeUndefined();
    expect(pegValueFromAnswerCode({ system: 'http://loinc.org' })).toBeUndefined();
  });
});

describe('normalizeReference', () => {
  it.each([
    ['QuestionnaireResponse/qr1', 'QuestionnaireResponse/qr1'],
    ['https://ehr.example/fhir/QuestionnaireResponse/qr1', 'QuestionnaireResponse/qr1'],
    ['QuestionnaireResponse/qr1/_history/3', 'QuestionnaireResponse/qr1'],
    [
      'urn:uuid:5b1f0f0e-0000-4000-8000-000000000001',
      'urn:uuid:5b1f0f0e-0000-4000-8000-000000000001',
    ],
  ])('normalises %s to %s', (reference, expected) => {
    expect(normalizeReference(reference)).toBe(expected);
  });
});
