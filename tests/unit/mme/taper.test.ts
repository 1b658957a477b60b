/**
 * The taper verdict: "a sustained decrease of at least 10% per month, or a stop" (the issue),
 * read as monthly means over the last three 30-day windows against the window before them.
 */
import { describe, expect, it } from 'vitest';
import type { MedicationMmeResult } from '../../../src/domain/mme/mme.ts';
import {
  TAPER_MIN_MONTHLY_DECREASE,
  TAPER_MONTHS,
  TAPER_WINDOW_DAYS,
  computeMedicationMme,
  summariseMme,
} from '../../../src/domain/mme/mme.ts';
import { isoDate, dayIndex } from '../../../src/domain/fhir-primitives/dates.ts';
import { RX, dosage, noMedications, rxnorm, statement } from './builders.ts';

const AS_OF = '2026-11-21';
const asOfDay = dayIndex(AS_OF) ?? 0;

/**
 * Morphine (factor 1) in mg, so MME/day equals the daily mg. `steps` are [MME/day, first day as
 * days before asOf]; each step lasts until the next one starts, the last until asOf.
 */
function doses(steps: readonly (readonly [number, number])[]): MedicationMmeResult[] {
  return steps.map(([mme, daysAgo], i) => {
    const next = steps[i + 1];
    const period =
      next === undefined
        ? { start: isoDate(asOfDay - daysAgo) }
        : { start: isoDate(asOfDay - daysAgo), end: isoDate(asOfDay - next[1] - 1) };
    return computeMedicationMme(
      statement(
        { medicationCodeableConcept: rxnorm(RX.morphine15) },
        { id: `s${String(i)}`, dosage: [dosage(mme, 'mg', 1)], effectivePeriod: period },
      ),
      noMedications,
    );
  });
}

/** A dose lowered by `fraction` at the start of each of the three last 30-day windows. */
function monthlyCuts(fraction: number): MedicationMmeResult[] {
  return doses([
    [100, 200],
    [100 * (1 - fraction), 89],
    [100 * (1 - fraction) ** 2, 59],
    [100 * (1 - fraction) ** 3, 29],
  ]);
}

describe('taper verdict (threshold: 10% a month from the issue, compounded over 3 months)', () => {
  it('keeps the threshold and the window in named constants', () => {
    expect([TAPER_MIN_MONTHLY_DECREASE, TAPER_MONTHS, TAPER_WINDOW_DAYS]).toEqual([0.1, 3, 30]);
  });

  it.each<[string, MedicationMmeResult[], 'tapering' | 'not-tapering']>([
    [
      '120 → 30 MME/day two months ago is a taper',
      doses([
        [120, 400],
        [30, 60],
      ]),
      'tapering',
    ],
    [
      '120 → 30 MME/day one week ago is not yet a taper (the last 30-day mean is still 99)',
      doses([
        [120, 400],
        [30, 7],
      ]),
      'not-tapering',
    ],
    ['a cut of 25% each month is a taper', monthlyCuts(0.25), 'tapering'],
    [
      'a cut of exactly 10% each month is a taper',
      monthlyCuts(TAPER_MIN_MONTHLY_DECREASE),
      'tapering',
    ],
    ['a cut of 9% each month is not', monthlyCuts(0.09), 'not-tapering'],
    [
      '67.5 → 60 → 52.5 then held a month is not (−22% over 3 months, below the compounded 27.1%)',
      doses([
        [67.5, 400],
        [60, 119],
        [52.5, 89],
      ]),
      'not-tapering',
    ],
    [
      '67.5 → 60 → 52.5 → 45, one step a month, is a taper (−33%)',
      doses([
        [67.5, 400],
        [60, 89],
        [52.5, 59],
        [45, 29],
      ]),
      'tapering',
    ],
    ['a steady dose is not a taper', doses([[60, 400]]), 'not-tapering'],
    ['a rise is not a taper', monthlyCuts(-0.1), 'not-tapering'],
    [
      'a fall that rose again in between is not a taper',
      doses([
        [120, 400],
        [30, 89],
        [60, 59],
        [30, 29],
      ]),
      'not-tapering',
    ],
    ['a dose started two months ago is not a taper', doses([[40, 60]]), 'not-tapering'],
  ])('%s', (_name, results, kind) => {
    expect(summariseMme(results, { asOf: AS_OF }).taper.kind).toBe(kind);
  });

  it('shows the monthly means it used, the baseline window first', () => {
    const taper = summariseMme(
      doses([
        [120, 400],
        [30, 60],
      ]),
      { asOf: AS_OF },
    ).taper;
    expect(taper.kind === 'tapering' ? taper.windows : []).toEqual([
      { from: '2026-07-25', to: '2026-08-23', meanMmePerDay: 120 },
      { from: '2026-08-24', to: '2026-09-22', meanMmePerDay: 117 },
      { from: '2026-09-23', to: '2026-10-22', meanMmePerDay: 30 },
      { from: '2026-10-23', to: '2026-11-21', meanMmePerDay: 30 },
    ]);
  });

  it('still calls a stop a stop', () => {
    expect(
      summariseMme(
        doses([
          [120, 400],
          [0, 10],
        ]),
        { asOf: AS_OF },
      ).taper.kind,
    ).toBe('stopped');
  });
});
