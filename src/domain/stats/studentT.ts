/**
 * Student's t distribution with real-valued degrees of freedom (Welch–Satterthwaite df are not
 * integers), from jStat 1.9 (regularised incomplete beta). One file so a replacement is local.
 */
import jStat from 'jstat';

/** P(T ≤ x) for Student's t with `df` > 0 degrees of freedom. */
export function tCdf(x: number, df: number): number {
  return jStat.studentt.cdf(x, df);
}

/** The p-quantile (0 < p < 1) of Student's t with `df` > 0 degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  return jStat.studentt.inv(p, df);
}

/** Two-sided p-value of a t statistic: P(|T| ≥ |t|). */
export function twoSidedP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** A difference with its standard error on `df` degrees of freedom: t, two-sided p and CI. */
export interface TEstimate {
  readonly kind: 'estimate';
  readonly difference: number;
  readonly standardError: number;
  readonly df: number;
  readonly t: number;
  readonly p: number;
  readonly lower: number;
  readonly upper: number;
}

/** t = difference / SE; p two-sided; CI = difference ± t(1 − α/2, df) · SE. */
export function tEstimate(
  difference: number,
  standardError: number,
  df: number,
  level: number,
): TEstimate {
  const t = difference / standardError;
  const half = tQuantile(1 - (1 - level) / 2, df) * standardError;
  return {
    kind: 'estimate',
    difference,
    standardError,
    df,
    t,
    p: twoSidedP(t, df),
    lower: difference - half,
    upper: difference + half,
  };
}
