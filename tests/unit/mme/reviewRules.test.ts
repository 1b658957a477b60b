/**
 * Dose rules the first review found wrong: a patch strength per hour with no dose form, and
 * timeOfDay / dayOfWeek given together with a frequency.
 */
import type { Dosage, Medication } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { computeMedicationMme } from '../../../src/domain/mme/mme.ts';
import { RX, named, noMedications, request, rxnorm, statement } from './builders.ts';

const patchDaily: Dosage = {
  timing: { repeat: { frequency: 1, period: 72, periodUnit: 'h' } },
  doseAndRate: [{ doseQuantity: { value: 1, unit: 'patch' } }],
};

const fentanylNoForm: Medication = {
  resourceType: 'Medication',
  id: 'fent',
  code: { text: 'fentanyl' },
  ingredient: [
    {
      itemCodeableConcept: {
        coding: [
          {
            system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
            code: '4337',
            display: 'fentanyl',
          },
        ],
      },
      strength: {
        numerator: { value: 25, unit: 'mcg', system: 'http://unitsofmeasure.org', code: 'ug' },
        denominator: { value: 1, unit: 'h', system: 'http://unitsofmeasure.org', code: 'h' },
      },
    },
  ],
};

describe('a fentanyl patch without a dose-form name', () => {
  it.each<[string, unknown, (ref: string) => Medication | undefined]>([
    [
      'a Medication with ingredient strength 25 mcg/h and no form',
      statement(
        { medicationReference: { reference: 'Medication/fent' } },
        { dosage: [patchDaily] },
      ),
      (ref) => (ref === 'Medication/fent' ? fentanylNoForm : undefined),
    ],
    [
      'the text "fentanyl 25 mcg/hr"',
      statement(
        { medicationCodeableConcept: named('fentanyl 25 mcg/hr') },
        { dosage: [patchDaily] },
      ),
      noMedications,
    ],
    [
      'the text "fentanyl 25 mcg/hr" worn two at once',
      statement(
        { medicationCodeableConcept: named('fentanyl 25 mcg/hr') },
        {
          dosage: [{ ...patchDaily, doseAndRate: [{ doseQuantity: { value: 2, unit: 'patch' } }] }],
        },
      ),
      noMedications,
    ],
  ])('counts %s as transdermal (2.4 per mcg/hr)', (name, resource, resolve) => {
    const result = computeMedicationMme(resource, resolve);
    expect(result.kind).toBe('counted');
    expect(result.mmePerDay).toBe(name.includes('two') ? 120 : 60);
    expect(result.ingredients[0]).toMatchObject({ unit: 'mcg/hr', factor: 2.4 });
  });

  it('still refuses a factor for buccal fentanyl that says its form', () => {
    const result = computeMedicationMme(
      request({ medicationCodeableConcept: rxnorm(RX.fentanylBuccal200) }),
      noMedications,
    );
    expect(result).toMatchObject({ kind: 'excluded', reason: 'no-cdc-2022-factor' });
  });
});

/** Oxycodone 5 mg, 1 tablet per administration, timing.repeat as given: MME/day = 7.5 × per day. */
function oxyWith(repeat: NonNullable<NonNullable<Dosage['timing']>['repeat']>): unknown {
  return request(
    { medicationCodeableConcept: rxnorm(RX.oxycodone5) },
    {
      dosageInstruction: [
        { timing: { repeat }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }] },
      ],
    },
  );
}

describe('administrations per day from frequency, timeOfDay and dayOfWeek', () => {
  it.each<[string, NonNullable<NonNullable<Dosage['timing']>['repeat']>, number]>([
    [
      'once a day at 08:00 and 20:00 counts the two times of day (the maximum)',
      { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['08:00:00', '20:00:00'] },
      15,
    ],
    [
      'three times a day at 08:00 and 20:00 counts the three (the maximum)',
      { frequency: 3, period: 1, periodUnit: 'd', timeOfDay: ['08:00:00', '20:00:00'] },
      22.5,
    ],
    [
      'at 08:00 and 20:00 with no frequency counts two a day',
      { timeOfDay: ['08:00:00', '20:00:00'] },
      15,
    ],
    [
      'once a day on mon, wed, fri counts the dose on the days taken',
      { frequency: 1, period: 1, periodUnit: 'd', dayOfWeek: ['mon', 'wed', 'fri'] },
      7.5,
    ],
    [
      'three times a week on mon, wed, fri is once a day on the days taken',
      { frequency: 3, period: 1, periodUnit: 'wk', dayOfWeek: ['mon', 'wed', 'fri'] },
      7.5,
    ],
    [
      'six times a week on mon, wed, fri is twice a day on the days taken',
      { frequency: 6, period: 1, periodUnit: 'wk', dayOfWeek: ['mon', 'wed', 'fri'] },
      15,
    ],
    [
      'three times a week with no days named is averaged over the week',
      { frequency: 3, period: 1, periodUnit: 'wk' },
      3.214286,
    ],
  ])('%s', (_name, repeat, mme) => {
    const result = computeMedicationMme(oxyWith(repeat), noMedications);
    expect(result.kind).toBe('counted');
    expect(result.mmePerDay).toBeCloseTo(mme, 5);
  });

  it('explains the days taken', () => {
    const result = computeMedicationMme(
      oxyWith({ frequency: 3, period: 1, periodUnit: 'wk', dayOfWeek: ['mon', 'wed', 'fri'] }),
      noMedications,
    );
    expect(result.explanation).toContain('on mon, wed, fri');
  });
});
