import { describe, expect, it } from 'vitest';
import { TIME_POINTS } from '../../../src/domain/outcomes/analysisPlan.ts';
import type { TimePoint } from '../../../src/domain/outcomes/analysisPlan.ts';
import type { DatedScore } from '../../../src/domain/outcomes/timeWindows.ts';
import { followUpAt, pegAtReferral } from '../../../src/domain/outcomes/timeWindows.ts';

const BASE = 20_000;

function timePoint(id: TimePoint['id']): TimePoint {
  const found = TIME_POINTS.find((tp) => tp.id === id);
  if (found === undefined) {
    throw new Error(id);
  }
  return found;
}

function pegsAt(...offsets: number[]): DatedScore[] {
  return offsets.map((offset, index) => ({ day: BASE + offset, score: index }));
}

describe('follow-up PEG selection', () => {
  it.each([
    ['week8', 27, false],
    ['week8', 28, true],
    ['week8', 84, true],
    ['week8', 85, false],
    ['month6', 137, false],
    ['month6', 138, true],
    ['month6', 228, true],
    ['month6', 229, false],
    ['month12', 304, false],
    ['month12', 305, true],
    ['month12', 425, true],
    ['month12', 426, false],
  ] as const)('at %s counts a PEG on day %d after baseline: %s', (id, offset, counted) => {
    const found = followUpAt(pegsAt(offset), BASE, timePoint(id));
    expect(found?.day).toBe(counted ? BASE + offset : undefined);
  });

  it('takes the PEG nearest the target day', () => {
    const found = followUpAt(pegsAt(30, 50, 60, 80), BASE, timePoint('week8'));
    expect(found?.day).toBe(BASE + 60);
  });

  it('takes the earlier PEG when two are equally near the target', () => {
    const found = followUpAt(pegsAt(46, 66), BASE, timePoint('week8'));
    expect(found?.day).toBe(BASE + 46);
  });

  it('never uses the baseline PEG itself or an earlier one', () => {
    expect(followUpAt(pegsAt(-10, 0), BASE, timePoint('week8'))).toBeUndefined();
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
