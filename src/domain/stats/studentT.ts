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
