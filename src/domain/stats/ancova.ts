/**
 * Analysis of covariance for two arms with one covariate (baseline PEG): the between-arm
 * difference in mean change adjusted for baseline, from the common within-arm regression slope.
 * Closed form of the OLS fit change = β0 + β1·arm + β2·baseline (e.g. Armitage, Berry &
 * Matthews, Statistical Methods in Medical Research, 4th ed., §11.5): b = Sxy_w / Sxx_w;
 * adjusted difference = (ȳa − ȳb) − b(x̄a − x̄b); s² = (Syy_w − Sxy_w²/Sxx_w)/(n − 3);
 * SE² = s²(1/na + 1/nb + (x̄a − x̄b)²/Sxx_w); t on n − 3 df. Works from sums, so a SQL GROUP
 * BY can feed it. Pure.
 */
import { tEstimate, type TEstimate } from './studentT.ts';

/** Sufficient statistics of one arm: x = baseline, y = change. */
export interface ArmSums {
  readonly n: number;
  readonly sumX: number;
  readonly sumY: number;
  readonly sumXX: number;
  readonly sumXY: number;
  readonly sumYY: number;
}

export type AncovaResult =
  | (TEstimate & {
      /** Common within-arm slope of change on baseline. */
      readonly slope: number;
    })
  | { kind: 'insufficient'; reason: 'fewer-than-two' | 'no-baseline-spread' | 'no-residual-df' };

/** Sums of an arm kept while its points are added one at a time (`addToArmSums`). */
export type RunningArmSums = { -readonly [K in keyof ArmSums]: ArmSums[K] };

export function emptyArmSums(): RunningArmSums {
  return { n: 0, sumX: 0, sumY: 0, sumXX: 0, sumXY: 0, sumYY: 0 };
}

/** Adds one point, in the order {@link armSums} would add it (the same sums, bit for bit). */
export function addToArmSums(sums: RunningArmSums, x: number, y: number): void {
  sums.n += 1;
  sums.sumX += x;
  sums.sumY += y;
  sums.sumXX += x * x;
  sums.sumXY += x * y;
  sums.sumYY += y * y;
}

export function armSums(points: readonly { x: number; y: number }[]): ArmSums {
  let sumX = 0;
  let sumY = 0;
  let sumXX = 0;
  let sumXY = 0;
  let sumYY = 0;
  for (const { x, y } of points) {
    sumX += x;
    sumY += y;
    sumXX += x * x;
    sumXY += x * y;
    sumYY += y * y;
  }
  return { n: points.length, sumX, sumY, sumXX, sumXY, sumYY };
}

/** Within-arm (centred) sums of squares and products. */
function centred(s: ArmSums): { xx: number; xy: number; yy: number } {
  return {
    xx: s.sumXX - (s.sumX * s.sumX) / s.n,
    xy: s.sumXY - (s.sumX * s.sumY) / s.n,
    yy: s.sumYY - (s.sumY * s.sumY) / s.n,
  };
}

/** ANCOVA difference a − b adjusted for the covariate, with a two-sided `level` interval. */
export function ancova(a: ArmSums, b: ArmSums, level = 0.95): AncovaResult {
  if (a.n < 2 || b.n < 2) {
    return { kind: 'insufficient', reason: 'fewer-than-two' };
  }
  const df = a.n + b.n - 3;
  if (df < 1) {
    return { kind: 'insufficient', reason: 'no-residual-df' };
  }
  const ca = centred(a);
  const cb = centred(b);
  const sxx = ca.xx + cb.xx;
  if (!(sxx > 0)) {
    return { kind: 'insufficient', reason: 'no-baseline-spread' };
  }
  const sxy = ca.xy + cb.xy;
  const syy = ca.yy + cb.yy;
  const slope = sxy / sxx;
  const xDiff = a.sumX / a.n - b.sumX / b.n;
  const difference = a.sumY / a.n - b.sumY / b.n - slope * xDiff;
  const residual = Math.max(0, syy - (sxy * sxy) / sxx) / df;
  const standardError = Math.sqrt(residual * (1 / a.n + 1 / b.n + (xDiff * xDiff) / sxx));
  if (!(standardError > 0)) {
    return { kind: 'insufficient', reason: 'no-residual-df' };
  }
  return { ...tEstimate(difference, standardError, df, level), slope };
}
