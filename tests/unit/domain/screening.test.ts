import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  SCREENING_ANSWER_CODE_SYSTEM,
  SCREENING_QUESTIONNAIRE_URL,
} from '../../../src/domain/codes/canonical.ts';
import {
  DURATION_ANSWERS,
  FREQUENCY_ANSWERS,
  RED_FLAGS,
  SCREENING_LINK_IDS,
  classifyTaskForce,
  evaluateRedFlags,
  readScreeningResponse,
} from '../../../src/domain/screening/screening.ts';
import type {
  DurationCode,
  FrequencyCode,
  RedFlagKey,
} from '../../../src/domain/screening/screening.ts';

const allNo = Object.fromEntries(RED_FLAGS.map((flag) => [flag.key, false])) as Record<
  RedFlagKey,
  boolean
>;

describe('NIH Task Force definition of chronic low back pain', () => {
  const table: [DurationCode, FrequencyCode, string][] = DURATION_ANSWERS.flatMap((d) =>
    FREQUENCY_ANSWERS.map((f): [DurationCode, FrequencyCode, string] => [
      d.code,
      f.code,
      d.chronic && f.atLeastHalf ? 'clbp' : 'not-clbp',
    ]),
  );

  it.each(table)('classifies duration %s with frequency %s as %s', (duration, frequency, kind) => {
    expect(classifyTaskForce(duration, frequency).kind).toBe(kind);
  });

  it.each([
    ['lt-1-month', 'every-day', ['under-3-months']],
    ['1-3-months', 'at-least-half', ['under-3-months']],
    ['3-6-months', 'less-than-half', ['less-than-half-the-days']],
    ['1-3-months', 'less-than-half', ['under-3-months', 'less-than-half-the-days']],
  ] as const)('gives the reasons for %s / %s', (duration, frequency, reasons) => {
    expect(classifyTaskForce(duration, frequency)).toEqual({ kind: 'not-clbp', reasons });
  });

  it('counts 3–6 months on at least half the days as chronic (the 3-month boundary)', () => {
    expect(classifyTaskForce('3-6-months', 'at-least-half')).toEqual({ kind: 'clbp' });
  });

  it('needs screening while a question is unanswered, unless the other already rules CLBP out', () => {
    expect(classifyTaskForce(undefined, 'every-day')).toEqual({
      kind: 'needs-screening',
      unanswered: ['duration'],
    });
    expect(classifyTaskForce('gt-5-years', undefined)).toEqual({
      kind: 'needs-screening',
      unanswered: ['frequency'],
    });
    expect(classifyTaskForce(undefined, undefined)).toEqual({
      kind: 'needs-screening',
      unanswered: ['duration', 'frequency'],
    });
    expect(classifyTaskForce('lt-1-month', undefined)).toEqual({
      kind: 'not-clbp',
      reasons: ['under-3-months'],
    });
  });
});

describe('red flags', () => {
  it('finds none when every red flag is answered no', () => {
    expect(evaluateRedFlags(allNo)).toEqual({ kind: 'none' });
  });

  it.each(RED_FLAGS.map((flag) => [flag.key, flag.caudaEquina]))(
    'flags %s (urgent: %s)',
    (key, urgent) => {
      const result = evaluateRedFlags({ ...allNo, [key]: true });
      expect(result).toMatchObject({ kind: 'positive', urgent, unanswered: [] });
      expect(result.kind === 'positive' ? result.flags.map((f) => f.key) : []).toEqual([key]);
    },
  );

  it('is urgent when any positive flag is a cauda equina sign', () => {
    const result = evaluateRedFlags({ ...allNo, trauma: true, saddleAnaesthesia: true });
    expect(result).toMatchObject({ kind: 'positive', urgent: true });
  });

  it('reports a positive flag even when other flags are unanswered', () => {
    expect(evaluateRedFlags({ cancerOrWeightLoss: true })).toMatchObject({
      kind: 'positive',
      urgent: false,
    });
  });

  it('needs screening when no flag is positive and some are unanswered', () => {
    const result = evaluateRedFlags({ ...allNo, trauma: undefined });
    expect(result.kind === 'needs-screening' ? result.unanswered.map((f) => f.key) : []).toEqual([
      'trauma',
    ]);
  });
});

function response(
  items: QuestionnaireResponseItem[],
  extra: Partial<QuestionnaireResponse> = {},
): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    id: 's1',
    questionnaire: `${SCREENING_QUESTIONNAIRE_URL}|1.0.0`,
    status: 'completed',
    authored: '2026-03-01T10:00:00-07:00',
    item: items,
    ...extra,
  };
}
const coded = (linkId: string, code: string): QuestionnaireResponseItem => ({
  linkId,
  answer: [{ valueCoding: { system: SCREENING_ANSWER_CODE_SYSTEM, code } }],
});
const yesNo = (linkId: string, value: boolean): QuestionnaireResponseItem => ({
  linkId,
  answer: [{ valueBoolean: value }],
});

describe('readScreeningResponse', () => {
  it('reads Task Force answers, red flags in nested groups and programme answers', () => {
    const reading = readScreeningResponse(
      response([
        {
          linkId: SCREENING_LINK_IDS.taskForceGroup,
          item: [
            coded(SCREENING_LINK_IDS.duration, '1-5-years'),
            coded(SCREENING_LINK_IDS.frequency, 'every-day'),
          ],
        },
        {
          linkId: SCREENING_LINK_IDS.redFlagGroup,
          item: [
            {
              linkId: SCREENING_LINK_IDS.caudaEquinaGroup,
              item: [yesNo('rf-saddle-anaesthesia', true)],
            },
            yesNo('rf-trauma', false),
          ],
        },
        {
          linkId: SCREENING_LINK_IDS.programmeGroup,
          item: [
            yesNo(SCREENING_LINK_IDS.pregnant, false),
            yesNo(SCREENING_LINK_IDS.telehealthAble, true),
          ],
        },
      ]),
    );
    expect(reading).toEqual({
      kind: 'screening',
      answers: {
        duration: '1-5-years',
        frequency: 'every-day',
        redFlags: { saddleAnaesthesia: true, trauma: false },
        pregnant: false,
        telehealthAble: true,
        source: 'QuestionnaireResponse/s1',
        authored: '2026-03-01T10:00:00-07:00',
      },
    });
  });

  it('leaves unanswered questions undefined (so the verdict is "needs screening")', () => {
    const reading = readScreeningResponse(response([]));
    expect(reading).toMatchObject({ kind: 'screening', answers: { redFlags: {} } });
    expect(reading.kind === 'screening' ? reading.answers.duration : 'x').toBeUndefined();
  });

  it("refuses a coded answer that is not one of the question's answers", () => {
    expect(
      readScreeningResponse(response([coded(SCREENING_LINK_IDS.duration, 'every-day')])).kind,
    ).toBe('invalid');
  });

  it('does not read a response to another Questionnaire, a stopped or an erroneous one', () => {
    expect(
      readScreeningResponse(response([], { questionnaire: 'http://other/Questionnaire/x' })).kind,
    ).toBe('not-screening');
    expect(readScreeningResponse(response([], { status: 'stopped' })).kind).toBe('not-screening');
    expect(readScreeningResponse(response([], { status: 'entered-in-error' })).kind).toBe(
      'not-screening',
    );
  });

  it('reads an in-progress response (the record of an urgent answer saved at once)', () => {
    expect(readScreeningResponse(response([], { status: 'in-progress' })).kind).toBe('screening');
  });
});
