import { describe, expect, it } from 'vitest';
import { tCdf, tQuantile, twoSidedP } from '../../../src/domain/stats/studentT.ts';
import { meanWithCi, welchTTest } from '../../../src/domain/stats/tInference.ts';

function estimated<R extends { kind: string }>(result: R): Extract<R, { kind: 'estimate' }> {
  if (result.kind !== 'estimate') {
    throw new Error(`expected an estimate, got ${JSON.stringify(result)}`);
  }
  return result as Extract<R, { kind: 'estimate' }>;
}

describe("Student's t distribution", () => {
  // Critical values as printed in any t table (two-sided 95%).
  it.each([
    [1, 12.706],
    [4, 2.776],
    [7, 2.365],
    [10, 2.228],
    [30, 2.042],
    [1e6, 1.96],
  ])('has a 97.5th percentile of %d df at %d', (df, critical) => {
    expect(tQuantile(0.975, df)).toBeCloseTo(critical, 3);
  });

  it('is symmetric about zero', () => {
    expect(tCdf(0, 7.3)).toBeCloseTo(0.5, 8);
    expect(tCdf(-1.2, 9.5) + tCdf(1.2, 9.5)).toBeCloseTo(1, 8);
  });

  it('gives a two-sided p of 0.05 at the 97.5th percentile', () => {
    expect(twoSidedP(tQuantile(0.975, 24.5), 24.5)).toBeCloseTo(0.05, 8);
    expect(twoSidedP(0, 3)).toBeCloseTo(1, 7);
  });
});

describe('mean with a 95% confidence interval', () => {
  it('matches the hand computation for {2,4,4,4,5,5,7,9}', () => {
    // mean 5, SD √(32/7) = 2.1381, SE = 2.1381/√8 = 0.7559, t(0.975, 7) = 2.3646 → ±1.7875
    const ci = estimated(meanWithCi([2, 4, 4, 4, 5, 5, 7, 9]));
    expect(ci.mean).toBe(5);
    expect(ci.df).toBe(7);
    expect(ci.lower).toBeCloseTo(3.2125, 4);
    expect(ci.upper).toBeCloseTo(6.7875, 4);
  });

  it('reports a single patient as too few for an interval but keeps the mean', () => {
    expect(meanWithCi([-2])).toEqual({
      kind: 'insufficient',
      n: 1,
      reason: 'fewer-than-two',
      mean: -2,
    });
    expect(meanWithCi([])).toEqual({ kind: 'insufficient', n: 0, reason: 'fewer-than-two' });
  });
});

describe("Welch's t-test", () => {
  it('matches the hand computation for {1,2,3} vs {4,5,6}', () => {
    // difference −3; both variances 1, so SE = √(2/3) = 0.8165 and t = −3.6742;
    // df = (2/3)² / ((1/3)²/2 + (1/3)²/2) = 4 exactly; CI = −3 ± 2.7764 · 0.8165 = (−5.2670, −0.7330).
    const r = estimated(welchTTest([1, 2, 3], [4, 5, 6]));
    expect(r.difference).toBe(-3);
    expect(r.standardError).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(r.t).toBeCloseTo(-3.6742, 4);
    expect(r.df).toBeCloseTo(4, 12);
    expect(r.lower).toBeCloseTo(-5.267, 3);
    expect(r.upper).toBeCloseTo(-0.733, 3);
    expect(r.p).toBeCloseTo(0.0213, 4);
  });

  it("reproduces the worked example of Welch's test (Wikipedia, 'Welch's t-test', example 1)", () => {
    // Published: t = −2.46, df ≈ 24.99, p = 0.021.
    const a = [
      27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4,
    ];
    const b = [
      27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4,
    ];
    const r = estimated(welchTTest(a, b));
    expect(r.t).toBeCloseTo(-2.46, 2);
    expect(r.df).toBeCloseTo(24.99, 2);
    expect(r.p).toBeCloseTo(0.021, 3);
  });

  it('uses fewer df than the pooled test when variances and sizes differ', () => {
    // a: n 4, variance 5/3, s²/n = 0.4167; b: n 6, variance 112/5 = 22.4, s²/n = 3.7333.
    // df = 4.15² / (0.4167²/3 + 3.7333²/5) = 17.2225 / 2.8455 = 6.05, below the pooled 4 + 6 − 2 = 8.
    expect(estimated(welchTTest([1, 2, 3, 4], [0, 4, 8, 12, 2, 10])).df).toBeCloseTo(6.05, 2);
  });

  it.each([
    [[1], [2, 3], 'fewer-than-two'],
    [[2, 2], [5, 5], 'zero-variance'],
  ])('cannot test %j against %j (%s)', (a, b, reason) => {
    expect(welchTTest(a, b)).toEqual({ kind: 'insufficient', reason });
  });
});
