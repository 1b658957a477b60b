import { describe, expect, it } from 'vitest';
import {
  addToMoments,
  emptyMoments,
  mean,
  meanAndVariance,
  median,
  proportion,
  sampleSd,
  sampleVariance,
} from '../../../src/domain/stats/descriptive.ts';

// Hand-computable values: {2,4,4,4,5,5,7,9} has mean 5, squared deviations summing to 32, so the
// sample variance is 32/7 and the population SD would be exactly 2.
const EIGHT = [2, 4, 4, 4, 5, 5, 7, 9];

describe('descriptive statistics', () => {
  it('gives the arithmetic mean of change scores', () => {
    expect(mean(EIGHT)).toEqual({ kind: 'value', value: 5 });
    expect(mean([-1.5, -0.5])).toEqual({ kind: 'value', value: -1 });
  });

  it('uses the n − 1 divisor for the sample variance and SD', () => {
    const variance = sampleVariance(EIGHT);
    expect(variance.kind === 'value' && variance.value).toBeCloseTo(32 / 7, 12);
    const sd = sampleSd(EIGHT);
    expect(sd.kind === 'value' && sd.value).toBeCloseTo(Math.sqrt(32 / 7), 12);
  });

  it('keeps precision for large, nearly equal values', () => {
    const variance = sampleVariance([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(variance.kind === 'value' && variance.value).toBeCloseTo(30, 6);
  });

  it.each([
    [[] as number[], { kind: 'insufficient', reason: 'empty' }],
    [[3], { kind: 'insufficient', reason: 'fewer-than-two' }],
  ])('cannot give a variance from %j values', (values, expected) => {
    expect(sampleVariance(values)).toEqual(expected);
    expect(sampleSd(values)).toEqual(expected);
  });

  it('says an empty sample has no mean rather than NaN', () => {
    expect(mean([])).toEqual({ kind: 'insufficient', reason: 'empty' });
  });

  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[-30, 0, 0, 15], 0],
  ])('gives the median of %j as %d', (values, expected) => {
    expect(median(values)).toEqual({ kind: 'value', value: expected });
  });

  it('does not reorder the array it is given', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('counts the share of patients meeting a criterion with its denominator', () => {
    expect(proportion([-1, -0.5, -2, 0], (c) => c <= -1)).toEqual({
      successes: 2,
      n: 4,
      share: { kind: 'value', value: 0.5 },
    });
    expect(proportion([], () => true).share).toEqual({ kind: 'insufficient', reason: 'empty' });
  });
});

describe('running moments (a mean and variance without keeping the values)', () => {
  const fold = (values: readonly number[]) => {
    const moments = emptyMoments();
    for (const value of values) {
      addToMoments(moments, value);
    }
    return meanAndVariance(moments);
  };

  it('gives the hand-computed mean and sample variance of {2,4,4,4,5,5,7,9}', () => {
    const { n, mean: m, variance } = fold(EIGHT);
    expect(n).toBe(8);
    expect(m).toEqual({ kind: 'value', value: 5 });
    expect(variance.kind === 'value' && variance.value).toBeCloseTo(32 / 7, 12);
  });

  it('keeps precision for large, nearly equal values, as the two-pass variance does', () => {
    const { variance } = fold([1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]);
    expect(variance.kind === 'value' && variance.value).toBeCloseTo(30, 6);
  });

  it('says what cannot be computed from fewer than two values', () => {
    expect(fold([])).toEqual({
      n: 0,
      mean: { kind: 'insufficient', reason: 'empty' },
      variance: { kind: 'insufficient', reason: 'empty' },
    });
    expect(fold([3]).variance).toEqual({ kind: 'insufficient', reason: 'fewer-than-two' });
  });
});
