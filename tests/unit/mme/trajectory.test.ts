/**
 * The dose trajectory (CDC 2022 Recommendation 5 and its text, clinical.md "Dose changes"):
 * decreasing, stable, increasing or stopped, with the rate in percent per month over 1 and 3
 * months; a reduction faster than 10% a month, or a stop within a window, is marked faster than
 * the guideline's usual taper. Never "tapering".
 */
import { describe, expect, it } from 'vitest';
import type { MedicationMmeResult } from '../../../src/domain/mme/mme.ts';
import {
  DOSE_CHANGE_RULES,
  computeMedicationMme,
  headlineWindow,
  summariseMme,
} from '../../../src/domain/mme/mme.ts';
import { addMonths, dayIndex, isoDate } from '../../../src/domain/fhir-primitives/dates.ts';
import { trajectoryText } from '../../../src/domain/mme/doseChangeText.ts';
import { RX, dosage, noMedications, rxnorm, statement } from './builders.ts';

const AS_OF = '2026-11-21';
const asOfDay = dayIndex(AS_OF) ?? 0;
const monthsAgo = (months: number) => addMonths(asOfDay, -months);

/**
 * Morphine (factor 1) in mg, so MME/day equals the daily mg. `steps` are [MME/day, first day];
 * each step lasts until the day before the next, the last until asOf (0 = nothing taken).
 */
function doses(steps: readonly (readonly [number, number])[]): MedicationMmeResult[] {
  return steps.flatMap(([mme, first], i) => {
    const next = steps[i + 1];
    const period =
      next === undefined
        ? { start: isoDate(first) }
        : { start: isoDate(first), end: isoDate(next[1] - 1) };
    return mme === 0
      ? []
      : [
          computeMedicationMme(
            statement(
              { medicationCodeableConcept: rxnorm(RX.morphine15) },
              { id: `s${String(i)}`, dosage: [dosage(mme, 'mg', 1)], effectivePeriod: period },
            ),
            noMedications,
          ),
        ];
  });
}

const trajectoryOf = (results: MedicationMmeResult[]) =>
  summariseMme(results, { asOf: AS_OF }).trajectory;

/** A dose lowered by `percent` of the previous month's dose on the same day each month. */
function monthlyCuts(percent: number, start = 100): MedicationMmeResult[] {
  return doses([
    [start, asOfDay - 700],
    [start * (1 - percent / 100), monthsAgo(2)],
    [start * (1 - percent / 100) ** 2, monthsAgo(1)],
    [start * (1 - percent / 100) ** 3, asOfDay],
  ]);
}

describe('dose trajectory', () => {
  it('keeps its rules in one table: 10% a month (CDC 2022 p17) over 1 and 3 months, short use marked too', () => {
    expect(DOSE_CHANGE_RULES).toEqual({
      usualTaperPercentPerMonth: 10,
      windowsMonths: [1, 3],
      markAfterShortUse: true,
    });
  });

  it('calls a 75% overnight cut after two years decreasing and faster than the usual taper, never a taper', () => {
    const trajectory = trajectoryOf(
      doses([
        [120, asOfDay - 730],
        [30, asOfDay],
      ]),
    );
    expect(trajectory).toMatchObject({ kind: 'decreasing', fasterThanUsualTaper: true });
    expect(trajectory.kind === 'no-opioids' ? [] : trajectory.windows).toEqual([
      {
        months: 1,
        since: '2026-10-21',
        from: 120,
        to: 30,
        direction: 'decreasing',
        percentPerMonth: -75,
        fasterThanUsualTaper: true,
      },
      {
        months: 3,
        since: '2026-08-21',
        from: 120,
        to: 30,
        direction: 'decreasing',
        percentPerMonth: -25,
        fasterThanUsualTaper: true,
      },
    ]);
  });

  it('calls a 5%-a-month reduction decreasing and within the usual taper', () => {
    const trajectory = trajectoryOf(monthlyCuts(5));
    expect(trajectory).toMatchObject({ kind: 'decreasing', fasterThanUsualTaper: false });
  });

  it.each([
    ['exactly 10% a month', 10, false],
    ['11% a month', 11, true],
    ['9% a month', 9, false],
  ])('marks %s faster than the usual taper: %s', (_label, percent, faster) => {
    const trajectory = trajectoryOf(monthlyCuts(percent));
    expect(trajectory).toMatchObject({ kind: 'decreasing', fasterThanUsualTaper: faster });
  });

  it('states the 1-month rate as the percent change of the month', () => {
    const trajectory = trajectoryOf(monthlyCuts(10));
    expect(trajectory.kind === 'no-opioids' ? [] : trajectory.windows[0]).toMatchObject({
      from: 81,
      to: 72.9,
      percentPerMonth: -10,
    });
  });

  it.each([
    ['a steady dose', doses([[60, asOfDay - 400]]), 'stable', false],
    ['a rise', monthlyCuts(-10), 'increasing', false],
  ])('calls %s %s', (_label, results, kind, faster) => {
    expect(trajectoryOf(results)).toMatchObject({ kind, fasterThanUsualTaper: faster });
  });

  it('states no percentage for a dose started within the window', () => {
    const trajectory = trajectoryOf(doses([[40, monthsAgo(2)]]));
    expect(trajectory.kind === 'no-opioids' ? [] : trajectory.windows[1]).toMatchObject({
      direction: 'started',
      percentPerMonth: null,
    });
  });

  it('marks a stop 20 days ago after two years as faster than the usual taper, with the days taken', () => {
    const trajectory = trajectoryOf(
      doses([
        [90, asOfDay - 730],
        [0, asOfDay - 19],
      ]),
    );
    expect(trajectory).toMatchObject({
      kind: 'stopped',
      fasterThanUsualTaper: true,
      lastDay: isoDate(asOfDay - 20),
      lastMmePerDay: 90,
      daysTakenAtLeast: true,
    });
    expect(
      trajectory.kind === 'stopped' ? trajectory.windows.map((w) => w.percentPerMonth) : [],
    ).toEqual([-100, -33.333333]);
  });

  it('does not mark the end of a 10-day course six weeks ago (no dose a month or three months back)', () => {
    const trajectory = trajectoryOf(
      doses([
        [30, asOfDay - 52],
        [0, asOfDay - 42],
      ]),
    );
    expect(trajectory).toMatchObject({
      kind: 'stopped',
      fasterThanUsualTaper: false,
      daysTaken: 10,
      daysTakenAtLeast: false,
    });
  });

  it('says no opioids when nothing was taken in the past 12 months', () => {
    expect(
      trajectoryOf(
        doses([
          [100, asOfDay - 700],
          [0, asOfDay - 500],
        ]),
      ),
    ).toEqual({
      kind: 'no-opioids',
    });
  });
});

/**
 * A dose begun within the 3-month window has no rate over it (no dose on its first day): the
 * headline follows the longest window with a rate, and the days it was taken are stated beside
 * the mark (clinical.md: faster tapers can suit shorter use; whether the mark fits is the
 * clinician's call, DOSE_CHANGE_RULES.markAfterShortUse, README "verify").
 */
describe('a dose started within the last three months', () => {
  // 60 MME/day from 2026-09-21, cut to 30 on 2026-11-06; asOf 2026-11-21.
  const startedThenCut = () =>
    doses([
      [60, monthsAgo(2)],
      [30, asOfDay - 15],
    ]);

  it('calls a dose started two months ago and halved two weeks ago decreasing, not increasing', () => {
    const trajectory = trajectoryOf(startedThenCut());
    expect(trajectory).toEqual({
      kind: 'decreasing',
      fasterThanUsualTaper: true,
      startedWithinWindows: true,
      // 2026-09-21 to 2026-11-21: 10 + 31 + 21 days.
      daysTaken: 62,
      daysTakenAtLeast: false,
      windows: [
        {
          months: 1,
          since: '2026-10-21',
          from: 60,
          to: 30,
          direction: 'decreasing',
          percentPerMonth: -50,
          fasterThanUsualTaper: true,
        },
        {
          months: 3,
          since: '2026-08-21',
          from: 0,
          to: 30,
          direction: 'started',
          percentPerMonth: null,
          fasterThanUsualTaper: false,
        },
      ],
    });
  });

  it.each([
    ['steady at 40 since two months ago', 'stable', 0, false, doses([[40, monthsAgo(2)]])],
    [
      'raised from 30 to 60 two weeks ago',
      'increasing',
      100,
      false,
      doses([
        [30, monthsAgo(2)],
        [60, asOfDay - 15],
      ]),
    ],
    ['begun ten days ago', 'increasing', null, false, doses([[20, asOfDay - 9]])],
  ])('calls a dose %s %s (rate %s a month)', (_label, kind, rate, faster, results) => {
    const trajectory = trajectoryOf(results);
    expect(trajectory).toMatchObject({
      kind,
      fasterThanUsualTaper: faster,
      startedWithinWindows: true,
    });
    expect(
      trajectory.kind === 'no-opioids'
        ? undefined
        : (headlineWindow(trajectory.windows)?.percentPerMonth ?? null),
    ).toBe(rate);
  });

  it('does not say a dose taken for two years started within the windows', () => {
    expect(trajectoryOf(monthlyCuts(20))).toMatchObject({
      startedWithinWindows: false,
      daysTakenAtLeast: true,
    });
  });

  it.each([
    [
      'stopped six weeks ago after two years (no dose a month back, a dose three months back)',
      doses([
        [90, asOfDay - 730],
        [0, asOfDay - 42],
      ]),
    ],
    [
      'resumed 24 days ago after a two-week pause in two years of use',
      doses([
        [60, asOfDay - 730],
        [0, asOfDay - 38],
        [60, asOfDay - 24],
      ]),
    ],
  ])('does not say a dose %s started within the windows', (_label, results) => {
    // A dose on the longest window's first day was not begun within it: the guideline's words on
    // shorter use and "started within the last 3 months" would misstate how long it was taken.
    expect(trajectoryOf(results)).toMatchObject({ startedWithinWindows: false });
  });

  it.each([
    [
      'the start and the cut',
      startedThenCut(),
      "Decreasing: 60 → 30 MME/day over the last month (−50% a month); started within the last 3 months (none on 2026-08-21; 30 MME/day now). Taken 62 days in a row. Faster than the guideline's usual taper: check withdrawal and the plan.",
    ],
    [
      'a dose begun ten days ago',
      doses([[20, asOfDay - 9]]),
      'Increasing: started within the last month (none on 2026-10-21; 20 MME/day now); started within the last 3 months (none on 2026-08-21; 20 MME/day now). Taken 10 days in a row.',
    ],
  ])('states %s and how long the dose was taken', (_label, results, words) => {
    expect(trajectoryText(trajectoryOf(results))).toBe(words);
  });
});

describe('the trajectory in words', () => {
  it.each([
    [
      'a 75% overnight cut',
      doses([
        [120, asOfDay - 730],
        [30, asOfDay],
      ]),
      "Decreasing: 120 → 30 MME/day over the last month (−75% a month); 120 → 30 MME/day over the last 3 months (−25% a month). Faster than the guideline's usual taper: check withdrawal and the plan.",
    ],
    [
      'a 5%-a-month reduction',
      monthlyCuts(5),
      'Decreasing: 90.25 → 85.74 MME/day over the last month (−5% a month); 100 → 85.74 MME/day over the last 3 months (−4.75% a month).',
    ],
    [
      'a steady dose',
      doses([[60, asOfDay - 400]]),
      'Stable: 60 → 60 MME/day over the last month (0% a month); 60 → 60 MME/day over the last 3 months (0% a month).',
    ],
    [
      'a stop 20 days ago after two years',
      doses([
        [90, asOfDay - 730],
        [0, asOfDay - 19],
      ]),
      `Stopped: 90 → 0 MME/day over the last month (−100% a month); 90 → 0 MME/day over the last 3 months (−33.33% a month). Last opioid day ${isoDate(asOfDay - 20)} at 90 MME/day, after at least 346 days in a row. Faster than the guideline's usual taper: check withdrawal and the plan.`,
    ],
    ['no opioid', [], 'No counted opioid in the last 12 months.'],
  ])('describes %s', (_label, results, words) => {
    const text = trajectoryText(trajectoryOf(results));
    expect(text).toBe(words);
    expect(text).not.toMatch(/taper(ing|ed)\b/i);
  });
});
