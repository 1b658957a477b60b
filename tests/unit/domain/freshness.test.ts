/**
 * How long answers hold (clinical.md): screening answers for 6 months, the PEG for 30 days, the
 * newest information wins (pregnancy included, with the US Core pregnancy status Observation).
 * Every date is relative to asOf; the boundaries are tested on both sides.
 */
import type { Condition, Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { currentScreening } from '../../../src/domain/screening/currentScreening.ts';
import type { EligibilityInput } from '../../../src/domain/screening/eligibility.ts';
import { evaluateEligibility } from '../../../src/domain/screening/eligibility.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../../../src/domain/screening/eligibilityConfig.ts';
import { RED_FLAGS } from '../../../src/domain/screening/screening.ts';
import type { RedFlagKey, ScreeningAnswers } from '../../../src/domain/screening/screening.ts';

const asOf = new Date(2026, 2, 15, 12, 0); // 15 March 2026, noon local
const noFlags = Object.fromEntries(RED_FLAGS.map((f) => [f.key, false])) as Record<
  RedFlagKey,
  boolean
>;

/** 'YYYY-MM-DDT10:00:00-06:00'-style local dateTime `days` days and `months` months before asOf. */
function ago({
  days = 0,
  months = 0,
  hour = 10,
}: {
  days?: number;
  months?: number;
  hour?: number;
}) {
  const d = new Date(2026, 2 - months, 15 - days, hour, 0);
  const offset = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const zone = `${offset >= 0 ? '+' : '-'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00:00${zone}`;
}
const day = (dateTime: string) => dateTime.slice(0, 10);

function screening(authored: string, overrides: Partial<ScreeningAnswers> = {}): ScreeningAnswers {
  return {
    duration: '1-5-years',
    frequency: 'every-day',
    redFlags: noFlags,
    pregnant: false,
    telehealthAble: true,
    source: `QuestionnaireResponse/${day(authored)}`,
    authored,
    ...overrides,
  };
}

function input(overrides: Partial<EligibilityInput> = {}): EligibilityInput {
  return {
    asOf,
    birthDate: '1960-05-01',
    conditions: [],
    screenings: [screening(ago({ days: 10 }))],
    latestPeg: { date: ago({ days: 5 }), score: 6, sources: ['Observation/peg'] },
    ...overrides,
  };
}

const statusOf = (input: EligibilityInput, criterion: string) =>
  evaluateEligibility(input).findings.find((f) => f.criterion === criterion);

describe('screening answers hold for 6 months', () => {
  it('keeps its window in the configuration table', () => {
    expect(DEFAULT_ELIGIBILITY_CONFIG).toMatchObject({
      screeningMaxAgeMonths: 6,
      pegMaxAgeDays: 30,
    });
  });

  it.each([
    ['exactly 6 months old', { months: 6 }, 'eligible'],
    ['6 months and 1 day old', { months: 6, days: 1 }, 'needs-screening'],
    ['5 months old', { months: 5 }, 'eligible'],
    ['4 years old', { months: 48 }, 'needs-screening'],
  ])('a screening %s → %s', (_label, age, verdict) => {
    expect(evaluateEligibility(input({ screenings: [screening(ago(age))] })).verdict).toBe(verdict);
  });

  it('says a 4-year-old screening is out of date, with its date', () => {
    const old = ago({ months: 48 });
    const clbp = statusOf(input({ screenings: [screening(old)] }), 'chronic-low-back-pain');
    expect(clbp?.status).toBe('unknown');
    expect(clbp?.message).toContain(`The answers of ${day(old)} are out of date — ask again.`);
    expect(clbp?.evidence).toContainEqual(
      expect.objectContaining({
        kind: 'screening-answer',
        linkId: 'clbp-duration',
        outOfDate: true,
      }),
    );
  });

  it('never counts an answer without a date', () => {
    const undated = { ...screening(ago({})), authored: undefined };
    expect(evaluateEligibility(input({ screenings: [undated] })).verdict).toBe('needs-screening');
  });

  it('asks again about an old red flag "yes" instead of acting on it or forgetting it', () => {
    const old = screening(ago({ months: 7 }), {
      redFlags: { ...noFlags, saddleAnaesthesia: true },
    });
    const result = evaluateEligibility(input({ screenings: [old] }));
    expect(result).toMatchObject({ verdict: 'needs-screening', urgent: false, urgency: null });
    expect(result.redFlags).toMatchObject([{ id: 'saddleAnaesthesia', status: 'out-of-date' }]);
  });

  it('takes the newest answer to each question, whichever screening it came from', () => {
    const older = screening(ago({ days: 40 }), { telehealthAble: false });
    const newer = screening(ago({ days: 2 }), { telehealthAble: true, duration: undefined });
    const current = currentScreening([newer, older], asOf, 6).current;
    expect(current.telehealthAble).toMatchObject({ value: true, authored: newer.authored });
    expect(current.duration).toMatchObject({ value: '1-5-years', authored: older.authored });
    expect(evaluateEligibility(input({ screenings: [older, newer] })).verdict).toBe('eligible');
  });

  it('lets a newer "no" to a red flag replace an older "yes"', () => {
    const yes = screening(ago({ days: 30 }), { redFlags: { ...noFlags, trauma: true } });
    const no = screening(ago({ days: 1 }));
    expect(evaluateEligibility(input({ screenings: [yes, no] })).verdict).toBe('eligible');
    expect(evaluateEligibility(input({ screenings: [yes] })).verdict).toBe('needs-evaluation');
  });
});

describe('a later "no" does not clear an urgent red flag "yes"', () => {
  // The record of an urgent answer saved before the form was finished: only that question.
  const urgentRecord = (authored: string, key: RedFlagKey): ScreeningAnswers => ({
    redFlags: { [key]: true },
    source: 'QuestionnaireResponse/urgent-1',
    authored,
  });
  const today = ago({ hour: 9 });
  const yesterday = ago({ days: 1 });

  it('keeps a saddle anaesthesia "yes" of yesterday after a full screening "no" today', () => {
    const result = evaluateEligibility(
      input({
        screenings: [urgentRecord(yesterday, 'saddleAnaesthesia'), screening(today)],
      }),
    );
    expect(result).toMatchObject({
      verdict: 'needs-evaluation',
      urgent: true,
      urgency: 'emergency',
    });
    const flag = evaluateEligibility(
      input({ screenings: [urgentRecord(yesterday, 'saddleAnaesthesia'), screening(today)] }),
    ).findings.find((f) => f.redFlag === 'saddleAnaesthesia');
    expect(flag?.status).toBe('evaluate');
    expect(flag?.message).toContain(
      `answered no on ${day(today)} after yes on ${day(yesterday)}: a later "no" does not clear it`,
    );
    expect(flag?.evidence).toEqual([
      expect.objectContaining({ answer: true, response: 'QuestionnaireResponse/urgent-1' }),
      expect.objectContaining({ answer: false, response: `QuestionnaireResponse/${day(today)}` }),
    ]);
    expect(result.findings.filter((f) => /no (other )?red flag/i.test(f.message))).toEqual([]);
  });

  it('keeps a progressive deficit "yes" after two later "no" answers, naming both', () => {
    const yes = ago({ days: 60 });
    const no1 = ago({ days: 30 });
    const no2 = ago({ days: 2 });
    const result = evaluateEligibility(
      input({
        screenings: [
          screening(no2),
          urgentRecord(yes, 'progressiveNeurologicalDeficit'),
          screening(no1),
        ],
      }),
    );
    expect(result).toMatchObject({ verdict: 'needs-evaluation', urgency: 'urgent' });
    expect(
      result.findings.find((f) => f.redFlag === 'progressiveNeurologicalDeficit')?.message,
    ).toContain(
      `answered no on ${day(no1)} after yes on ${day(yes)}; answered no on ${day(no2)} after yes on ${day(yes)}`,
    );
  });

  it('lets a clinician clear the progressive deficit "yes" it evaluated; then the later "no" holds', () => {
    const clearance = {
      source: 'QuestionnaireResponse/clear-1',
      authored: ago({ days: 1 }),
      author: 'Practitioner/pcp-1',
      authorName: 'Dr. Elena Morgan',
      note: undefined,
      findings: [
        {
          redFlag: 'progressiveNeurologicalDeficit' as const,
          records: ['QuestionnaireResponse/urgent-1'],
        },
      ],
    };
    const result = evaluateEligibility(
      input({
        screenings: [
          urgentRecord(ago({ days: 20 }), 'progressiveNeurologicalDeficit'),
          screening(ago({ days: 3 })),
        ],
        clearances: [clearance],
      }),
    );
    expect(result.verdict).toBe('eligible');
  });

  it.each([
    ['5 months', 'needs-evaluation', { months: 5 }],
    ['exactly 6 months', 'needs-evaluation', { months: 6 }],
    // the "yes" is out of date (clinical.md: older than 6 months), the newer answer holds
    ['6 months and 1 day', 'eligible', { months: 6, days: 1 }],
  ])('a cauda equina "yes" %s old with a "no" since → %s', (_label, verdict, age) => {
    const screenings = [
      urgentRecord(ago(age), 'urinaryRetentionOrIncontinence'),
      screening(ago({ days: 4 })),
    ];
    expect(evaluateEligibility(input({ screenings })).verdict).toBe(verdict);
  });

  it('still lets a later "no" replace a non-urgent "yes" (history of cancer)', () => {
    const yes = screening(ago({ days: 30 }), {
      redFlags: { ...noFlags, cancerOrWeightLoss: true },
    });
    expect(
      evaluateEligibility(input({ screenings: [yes, screening(ago({ days: 1 }))] })).verdict,
    ).toBe('eligible');
  });

  it('reports the later "no" answers beside the "yes" in currentScreening', () => {
    const found = currentScreening(
      [screening(today), urgentRecord(yesterday, 'faecalIncontinence')],
      asOf,
      6,
    );
    expect(found.current.redFlags.faecalIncontinence).toMatchObject({
      value: true,
      authored: yesterday,
    });
    expect(found.laterNo.faecalIncontinence).toEqual([
      { value: false, authored: today, response: `QuestionnaireResponse/${day(today)}` },
    ]);
    expect(found.laterNo.saddleAnaesthesia).toBeUndefined();
  });
});

describe('the PEG used for eligibility is from the last 30 days', () => {
  it.each([
    ['today', 0, 'eligible'],
    ['exactly 30 days ago', 30, 'eligible'],
    ['31 days ago', 31, 'needs-screening'],
    ['23 months ago', 700, 'needs-screening'],
  ])('a PEG of 6 taken %s → %s', (_label, days, verdict) => {
    const latestPeg = { date: ago({ days }), score: 6, sources: ['Observation/peg'] };
    expect(evaluateEligibility(input({ latestPeg })).verdict).toBe(verdict);
  });

  it('says a 23-month-old PEG is out of date, with its date and score', () => {
    const date = ago({ months: 23 });
    const peg = statusOf(
      input({ latestPeg: { date, score: 6, sources: ['Observation/peg'] } }),
      'pain-interference',
    );
    expect(peg?.message).toBe(
      `Latest PEG 6.00 on ${day(date)} is out of date (older than 30 days) — ask again: record a new PEG.`,
    );
  });

  it('follows a clinic that sets a shorter window', () => {
    const latestPeg = { date: ago({ days: 10 }), score: 6, sources: [] };
    const config = { ...DEFAULT_ELIGIBILITY_CONFIG, pegMaxAgeDays: 7 };
    expect(evaluateEligibility(input({ latestPeg }), config).verdict).toBe('needs-screening');
  });
});

describe('the newest pregnancy information wins', () => {
  const pregnancyCode = (recordedDate: string): Condition => ({
    resourceType: 'Condition',
    id: 'preg',
    subject: { reference: 'Patient/p1' },
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'Z33.1' }] },
    recordedDate,
  });
  const status = (
    code: string,
    effective: string,
    system = 'http://snomed.info/sct',
  ): Observation => ({
    resourceType: 'Observation',
    id: `preg-${code}`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '82810-3' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: effective,
    valueCodeableConcept: { coding: [{ system, code }] },
  });
  const answered = (pregnant: boolean, authored: string) => [screening(authored, { pregnant })];

  it('asks to confirm a pregnancy coded after a "no" answer', () => {
    const result = evaluateEligibility(
      input({
        screenings: answered(false, ago({ days: 20 })),
        conditions: [pregnancyCode(day(ago({ days: 3 })))],
      }),
    );
    expect(result.verdict).toBe('needs-evaluation');
    expect(statusOf(input(), 'not-pregnant')?.status).toBe('met');
    expect(result.findings.find((f) => f.criterion === 'not-pregnant')?.message).toContain(
      'newer than the screening answer',
    );
  });

  it('counts a code recorded (date only) on the day of a timed "no" answer as the newer one', () => {
    const result = evaluateEligibility(
      input({
        screenings: answered(false, ago({ days: 3, hour: 16 })),
        conditions: [pregnancyCode(day(ago({ days: 3 })))],
      }),
    );
    expect(result.verdict).toBe('needs-evaluation');
  });

  it.each([
    ['"Pregnant" (77386006) after a "no" answer', '77386006', 'not-met'],
    ['"Possible pregnancy" (146799005)', '146799005', 'evaluate'],
    ['"Not pregnant" (60001007) after a "yes" answer', '60001007', 'met'],
  ])('reads a pregnancy status Observation %s as %s', (_label, code, expected) => {
    const answer = code === '60001007';
    const found = statusOf(
      input({
        screenings: answered(answer, ago({ days: 20 })),
        observations: [status(code, ago({ days: 2 }))],
      }),
      'not-pregnant',
    );
    expect(found?.status).toBe(expected);
  });

  it('reads the US Core "unknown" (v3-NullFlavor UNK) as a prompt to confirm', () => {
    const found = statusOf(
      input({
        screenings: answered(false, ago({ days: 20 })),
        observations: [
          status('UNK', ago({ days: 1 }), 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor'),
        ],
      }),
      'not-pregnant',
    );
    expect(found?.status).toBe('evaluate');
  });

  it('lets a newer "no" answer win over an older "Pregnant" Observation', () => {
    const found = statusOf(
      input({
        screenings: answered(false, ago({ days: 2 })),
        observations: [status('77386006', ago({ months: 10 }))],
      }),
      'not-pregnant',
    );
    expect(found?.status).toBe('met');
  });

  it('ignores a preliminary or entered-in-error status Observation', () => {
    const obs = { ...status('77386006', ago({ days: 1 })), status: 'entered-in-error' as const };
    expect(statusOf(input({ observations: [obs] }), 'not-pregnant')?.status).toBe('met');
  });

  it('asks again when the newest pregnancy information is older than the screening window', () => {
    const found = statusOf(
      input({
        screenings: [screening(ago({ days: 5 }), { pregnant: undefined })],
        observations: [status('60001007', ago({ months: 8 }))],
      }),
      'not-pregnant',
    );
    expect(found?.status).toBe('unknown');
    expect(found?.message).toContain('out of date — ask again');
  });
});
