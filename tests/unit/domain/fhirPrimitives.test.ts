import type { Medication } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  calendarDayOf,
  dayIndex,
  fullDayIndex,
  isoDate,
  lastDayIndex,
  localDayOf,
  parseIsoDay,
} from '../../../src/domain/fhir-primitives/dates.ts';
import {
  normalizeReference,
  parseReference,
  referenceTo,
} from '../../../src/domain/fhir-primitives/references.ts';
import { mgPerUnit, mLPerUnit } from '../../../src/domain/fhir-primitives/quantities.ts';
import { computeMedicationMme, medicationResolver } from '../../../src/domain/mme/mme.ts';
import { dosage, request } from '../mme/builders.ts';

describe('the day rule: a FHIR date belongs to the calendar day written in it', () => {
  it.each([
    ['2026-03-02', '2026-03-02'],
    ['2026-03-02T18:30:00-07:00', '2026-03-02'],
    ['2026-03-02T23:59:59Z', '2026-03-02'],
    ['2024-02-29T08:00:00+01:00', '2024-02-29'],
  ])('records %s on %s', (value, day) => {
    expect(calendarDayOf(value)).toBe(day);
  });

  it.each([['2026'], ['2026-03'], ['2025-02-29'], ['2026-13-01'], ['2026-03-02x'], ['yesterday']])(
    'has no calendar day for %s',
    (value) => {
      expect(calendarDayOf(value)).toBeUndefined();
      expect(fullDayIndex(value)).toBeUndefined();
    },
  );

  it('counts whole days between dates across a daylight-saving change', () => {
    // 8 March 2026 is the US spring-forward day: still one calendar day after 7 March.
    expect(fullDayIndex('2026-03-08')! - fullDayIndex('2026-03-07T23:00:00-07:00')!).toBe(1);
    expect(fullDayIndex('1970-01-02')).toBe(1);
  });

  it('places a partial date on its first day, and knows its last day', () => {
    expect(isoDate(dayIndex('2025')!)).toBe('2025-01-01');
    expect(isoDate(dayIndex('2025-02')!)).toBe('2025-02-01');
    expect(isoDate(lastDayIndex('2025')!)).toBe('2025-12-31');
    expect(isoDate(lastDayIndex('2024-02')!)).toBe('2024-02-29');
    expect(isoDate(lastDayIndex('2025-06-15T10:00:00Z')!)).toBe('2025-06-15');
  });

  it('accepts only a whole YYYY-MM-DD as a day typed on the command line', () => {
    expect(parseIsoDay('2026-12-03')).toBe(fullDayIndex('2026-12-03'));
    expect(parseIsoDay('2026-12-03T00:00:00Z')).toBeUndefined();
    expect(parseIsoDay('2026-02-30')).toBeUndefined();
  });

  it("takes today from the clinic's clock, not UTC", () => {
    // 21:00 on 3 December in Denver (the test zone) is already 4 December in UTC.
    expect(localDayOf(new Date(2026, 11, 3, 21, 0))).toBe('2026-12-03');
  });
});

describe('FHIR references', () => {
  it.each([
    ['Observation/peg-1', 'Observation/peg-1'],
    ['https://ehr.example.org/fhir/Observation/peg-1', 'Observation/peg-1'],
    ['Observation/peg-1/_history/3', 'Observation/peg-1'],
    ['https://ehr.example.org/fhir/Observation/peg-1/_history/3', 'Observation/peg-1'],
  ])('reads %s as %s', (reference, normalized) => {
    expect(normalizeReference(reference)).toBe(normalized);
  });

  it.each([['#med1'], ['urn:uuid:6f1c0e4a-0000-4000-8000-000000000000'], ['not a reference']])(
    'leaves %s as it is (not a literal reference)',
    (reference) => {
      expect(parseReference(reference)).toBeUndefined();
      expect(normalizeReference(reference)).toBe(reference);
    },
  );

  it('says whether a reference points to a resource of a given type', () => {
    expect(referenceTo('https://x/fhir/MedicationRequest/r1/_history/2', 'MedicationRequest')).toBe(
      'MedicationRequest/r1',
    );
    expect(referenceTo('Medication/r1', 'MedicationRequest')).toBeUndefined();
    expect(referenceTo(undefined, 'MedicationRequest')).toBeUndefined();
  });
});

describe('units of measure', () => {
  it.each([
    ['mg', 1],
    ['MG', 1],
    ['milligram', 1],
    ['mcg', 0.001],
    ['ug', 0.001],
    ['{mcg}', 0.001],
    ['g', 1000],
  ])('reads %s as %d mg', (unit, mg) => {
    expect(mgPerUnit(unit)).toBe(mg);
  });

  it('tells a volume from a mass', () => {
    expect(mgPerUnit('mL')).toBeUndefined();
    expect(mLPerUnit('mL')).toBe(1);
  });

  it('counts an oxycodone strength written "milligram" as one written "mg" (30 MME/day)', () => {
    const med = (unit: string): Medication => ({
      resourceType: 'Medication',
      id: `oxy-${unit}`,
      code: { text: 'Oxycodone IR (house formulary)' },
      form: { text: 'Oral Tablet' },
      ingredient: [
        {
          itemCodeableConcept: {
            coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7804' }],
          },
          strength: { numerator: { value: 5, unit }, denominator: { value: 1, unit: 'TAB' } },
        },
      ],
    });
    for (const unit of ['mg', 'milligram']) {
      const result = computeMedicationMme(
        request(
          { medicationReference: { reference: `Medication/oxy-${unit}` } },
          { dosageInstruction: [dosage(1, 'tablet', 4)] },
        ),
        medicationResolver([med(unit)]),
      );
      expect(result.kind === 'counted' ? result.mmePerDay : result.kind).toBe(30);
    }
  });
});
