import { describe, expect, it } from 'vitest';
import { FOLLOW_UP_TIME_POINTS } from '../../../src/domain/pathway/followUp.ts';
import type { FollowUpTimePoint } from '../../../src/domain/pathway/followUp.ts';
import type { DatedScore } from '../../../src/domain/outcomes/timeWindows.ts';
import {
  followUpAt,
  pegAtReferral,
  timePointWindow,
} from '../../../src/domain/outcomes/timeWindows.ts';

const BASE = 20_000;

function timePoint(id: FollowUpTimePoint['id']): FollowUpTimePoint {
  const found = FOLLOW_UP_TIME_POINTS.find((tp) => tp.id === id);
  if (found === undefined) {
    throw new Error(id);
  }
  return found;
}

function pegsAt(...offsets: number[]): DatedScore[] {
  return offsets.map((offset, index) => ({ day: BASE + offset, score: index }));
}

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe("follow-up windows (the app's schedule, calendar arithmetic)", () => {
  it.each([
    // baseline, time point, first day in, last day in
    ['2025-01-10', 'week8', '2025-02-21', '2025-03-21'], // 8 weeks = 03-07, ± 2 weeks
    ['2025-01-31', 'month6', '2025-06-30', '2025-08-31'], // 07-31 − 1 month = 06-30 (no 31st)
    ['2025-01-31', 'month12', '2025-12-31', '2026-02-28'], // 2026-01-31 + 1 month clamps to 28 Feb
    ['2024-03-01', 'month12', '2025-02-01', '2025-04-01'],
  ] as const)('from baseline %s, %s runs %s to %s', (baseline, id, first, last) => {
    const window = timePointWindow(day(baseline), timePoint(id));
    expect([window.from, window.to]).toEqual([day(first), day(last)]);
  });

  it.each([
    [41, false],
    [42, true],
    [70, true],
    [71, false],
  ])('at week 8 counts a PEG on day %d after baseline: %s', (offset, counted) => {
    const window = timePointWindow(BASE, timePoint('week8'));
    expect(followUpAt(pegsAt(offset), window)?.day).toBe(counted ? BASE + offset : undefined);
  });

  it('takes the PEG nearest the due day', () => {
    const window = timePointWindow(BASE, timePoint('week8'));
    expect(followUpAt(pegsAt(43, 50, 60, 69), window)?.day).toBe(BASE + 60);
  });

  it('takes the earlier PEG when two are equally near the due day', () => {
    const window = timePointWindow(BASE, timePoint('week8'));
    expect(followUpAt(pegsAt(46, 66), window)?.day).toBe(BASE + 46);
  });

  it('never uses the baseline PEG itself or an earlier one', () => {
    const window = timePointWindow(BASE, timePoint('week8'));
    expect(followUpAt(pegsAt(-10, 0), window)).toBeUndefined();
  });
});

describe('baseline PEG at referral', () => {
  it.each([
    [0, true],
    [-30, true],
    [-31, false],
    [1, false],
  ])('counts a PEG %d days from the referral day: %s', (offset, counted) => {
    const found = pegAtReferral(pegsAt(offset), BASE);
    expect(found?.day).toBe(counted ? BASE + offset : undefined);
  });

  it('takes the latest PEG on or before the referral day', () => {
    const found = pegAtReferral(pegsAt(-25, -3, 0, 2), BASE);
    expect(found).toEqual({ day: BASE, score: 2 });
  });
});
