import type { Condition, Patient } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { evaluateEligibility } from '../../../src/domain/screening/eligibility.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../../../src/domain/screening/eligibilityConfig.ts';
import {
  asksPregnancy,
  chartSex,
  durationFromChart,
} from '../../../src/domain/screening/prefill.ts';

const AS_OF = new Date('2026-06-15T12:00:00');

function lowBackPain(onsetDateTime: string | undefined, recordedDate?: string): Condition {
  return {
    resourceType: 'Condition',
    id: 'lbp',
    subject: { reference: 'Patient/p' },
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
      ],
    },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M54.50' }] },
    ...(onsetDateTime === undefined ? {} : { onsetDateTime }),
    ...(recordedDate === undefined ? {} : { recordedDate }),
  };
}

describe('Task Force question 1 pre-filled from a dated low back pain diagnosis', () => {
  it.each([
    ['2026-06-01', 'lt-1-month'],
    ['2026-05-15', '1-3-months'],
    ['2026-03-16', '1-3-months'],
    ['2026-03-15', '3-6-months'],
    ['2025-12-15', '6-12-months'],
    ['2025-06-15', '1-5-years'],
    ['2021-06-16', '1-5-years'],
    ['2021-06-15', 'gt-5-years'],
    ['2024', '1-5-years'],
  ])('onset %s on 2026-06-15 answers %s', (onset, duration) => {
    expect(durationFromChart([lowBackPain(onset)], AS_OF, 3)?.duration).toBe(duration);
  });

  it('falls back to the recorded date, and suggests nothing without a date or a diagnosis', () => {
    expect(durationFromChart([lowBackPain(undefined, '2025-01-10')], AS_OF, 3)).toMatchObject({
      duration: '1-5-years',
      onset: '2025-01-10',
    });
    expect(durationFromChart([lowBackPain(undefined)], AS_OF, 3)).toBeUndefined();
    expect(durationFromChart([], AS_OF, 3)).toBeUndefined();
  });

  it('ignores an onset after today', () => {
    expect(durationFromChart([lowBackPain('2026-07-01')], AS_OF, 3)).toBeUndefined();
  });
});

describe('the pregnancy question applies unless the chart sex is male', () => {
  const BIRTH_SEX = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex';
  it.each<[Pick<Patient, 'gender' | 'extension'> | undefined, string, boolean]>([
    [{ gender: 'male' }, 'male', false],
    [{ gender: 'female' }, 'female', true],
    [{ gender: 'other' }, 'other', true],
    [{ gender: 'unknown' }, 'unknown', true],
    [undefined, 'unknown', true],
    [{ gender: 'female', extension: [{ url: BIRTH_SEX, valueCode: 'M' }] }, 'male', false],
    [{ gender: 'male', extension: [{ url: BIRTH_SEX, valueCode: 'F' }] }, 'female', true],
    [{ gender: 'male', extension: [{ url: BIRTH_SEX, valueCode: 'UNK' }] }, 'male', false],
  ])('%j: sex %s, asked %s', (patient, sex, asked) => {
    expect(chartSex(patient)).toBe(sex);
    expect(asksPregnancy(patient, DEFAULT_ELIGIBILITY_CONFIG)).toBe(asked);
    expect(asksPregnancy(patient, { askPregnancyWhenMale: true })).toBe(true);
  });

  it('counts the criterion as met for a male chart not asked, and unanswered when configured to ask', () => {
    const input = { asOf: AS_OF, conditions: [], screenings: [], sex: 'male' };
    const finding = (config = DEFAULT_ELIGIBILITY_CONFIG) =>
      evaluateEligibility(input, config).findings.find((f) => f.criterion === 'not-pregnant');
    expect(finding()).toMatchObject({
      status: 'met',
      message: "Not asked: the chart's sex is male.",
    });
    expect(finding({ ...DEFAULT_ELIGIBILITY_CONFIG, askPregnancyWhenMale: true })?.status).toBe(
      'unknown',
    );
  });
});
