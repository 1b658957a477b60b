/**
 * t-based inference on means: the one-sample confidence interval of a mean, and Welch's unequal-
 * variance t-test of a difference in means with Welch–Satterthwaite degrees of freedom
 * (Welch, Biometrika 1947; Satterthwaite, Biometrics Bulletin 1946). Pure.
 */
import type { RunningMoments } from './descriptive.ts';
import { meanAndVariance } from './descriptive.ts';
import { tEstimate, tQuantile, type TEstimate } from './studentT.ts';

export type InsufficientReason = 'fewer-than-two' | 'zero-variance';

export type MeanCi =
  | {
      kind: 'estimate';
      n: number;
      mean: number;
      sd: number;
      lower: number;
      upper: number;
      df: number;
    }
  | { kind: 'insufficient'; n: number; reason: InsufficientReason; mean?: number };

/**
 * Mean with a two-sided `level` confidence interval from Student's t on n − 1 df:
 * mean ± t(1 − α/2, n − 1) · sd/√n. Needs two values; a zero SD gives a zero-width interval,
 * which is still an estimate. Of the values, or of their running moments.
 */
export function meanWithCi(values: readonly number[] | RunningMoments, level = 0.95): MeanCi {
  const { n, mean: m, variance } = meanAndVariance(values);
  if (m.kind !== 'value' || variance.kind !== 'value') {
    return m.kind === 'value'
      ? { kind: 'insufficient', n, reason: 'fewer-than-two', mean: m.value }
      : { kind: 'insufficient', n, reason: 'fewer-than-two' };
  }
  const sd = Math.sqrt(variance.value);
  const df = n - 1;
  const half = tQuantile(1 - (1 - level) / 2, df) * (sd / Math.sqrt(n));
  return {
    kind: 'estimate',
    n,
    mean: m.value,
    sd,
    lower: m.value - half,
    upper: m.value + half,
    df,
  };
}

/** mean(a) − mean(b) with its Welch–Satterthwaite degrees of freedom (real-valued). */
export type WelchResult = TEstimate | { kind: 'insufficient'; reason: InsufficientReason };

/**
 * Welch's t-test of mean(a) − mean(b) without assuming equal variances.
 * SE = √(s²a/na + s²b/nb); df = SE⁴ / ((s²a/na)²/(na−1) + (s²b/nb)²/(nb−1));
 * CI = difference ± t(1 − α/2, df) · SE. Each group needs two values and the pooled SE must be
 * positive (two constant groups have no sampling variance to test against). Of the values, or
 * of their running moments.
 */
export function welchTTest(
  groupA: readonly number[] | RunningMoments,
  groupB: readonly number[] | RunningMoments,
  level = 0.95,
): WelchResult {
  const a = meanAndVariance(groupA);
  const b = meanAndVariance(groupB);
  const { mean: ma, variance: va } = a;
  const { mean: mb, variance: vb } = b;
  if (ma.kind !== 'value' || mb.kind !== 'value' || va.kind !== 'value' || vb.kind !== 'value') {
    return { kind: 'insufficient', reason: 'fewer-than-two' };
  }
  const qa = va.value / a.n;
  const qb = vb.value / b.n;
  const se2 = qa + qb;
  if (se2 <= 0) {
    return { kind: 'insufficient', reason: 'zero-variance' };
  }
  const standardError = Math.sqrt(se2);
  const df = (se2 * se2) / ((qa * qa) / (a.n - 1) + (qb * qb) / (b.n - 1));
  return tEstimate(ma.value - mb.value, standardError, df, level);
}
