/**
 * Descriptive statistics on plain number arrays. Pure; "cannot compute" (too few values) is a
 * value, never NaN.
 */

export type Estimate =
  { kind: 'value'; value: number } | { kind: 'insufficient'; reason: 'empty' | 'fewer-than-two' };

/** Arithmetic mean. */
export function mean(values: readonly number[]): Estimate {
  if (values.length === 0) {
    return { kind: 'insufficient', reason: 'empty' };
  }
  return { kind: 'value', value: sumOf(values) / values.length };
}

/**
 * Sample variance with Bessel's correction (divisor n − 1), computed around the mean in two
 * passes so large, close values do not lose precision.
 */
export function sampleVariance(values: readonly number[]): Estimate {
  if (values.length < 2) {
    return { kind: 'insufficient', reason: values.length === 0 ? 'empty' : 'fewer-than-two' };
  }
  const m = sumOf(values) / values.length;
  let squares = 0;
  for (const v of values) {
    squares += (v - m) * (v - m);
  }
  return { kind: 'value', value: squares / (values.length - 1) };
}

/** Sample standard deviation (square root of {@link sampleVariance}). */
export function sampleSd(values: readonly number[]): Estimate {
  const variance = sampleVariance(values);
  return variance.kind === 'value' ? { kind: 'value', value: Math.sqrt(variance.value) } : variance;
}

/** Median; with an even count, the mean of the two middle values. Does not mutate its input. */
export function median(values: readonly number[]): Estimate {
  if (values.length === 0) {
    return { kind: 'insufficient', reason: 'empty' };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  const value = sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
  return { kind: 'value', value };
}

export interface Proportion {
  readonly successes: number;
  readonly n: number;
  /** successes / n; absent when n is 0. */
  readonly share: Estimate;
}

/** The share of values meeting a predicate, with its numerator and denominator. */
export function proportion<T>(values: readonly T[], predicate: (value: T) => boolean): Proportion {
  let successes = 0;
  for (const v of values) {
    if (predicate(v)) {
      successes += 1;
    }
  }
  return proportionOf(successes, values.length);
}

/** A share from its numerator and denominator. */
export function proportionOf(successes: number, n: number): Proportion {
  return {
    successes,
    n,
    share:
      n === 0 ? { kind: 'insufficient', reason: 'empty' } : { kind: 'value', value: successes / n },
  };
}

/**
 * A mean and sample variance kept without the values, one value at a time: the count, the sum
 * (the mean is sum / n, as {@link mean} gives it) and the sum of squared deviations from the
 * running mean (Welford, Technometrics 1962), which stays accurate for large, close values as the
 * two-pass {@link sampleVariance} does. Plain data, so a worker thread can hand it over.
 */
export interface RunningMoments {
  n: number;
  sum: number;
  /** The running mean Welford's update works from. */
  runningMean: number;
  /** Σ (x − mean)², updated in place. */
  m2: number;
}

export function emptyMoments(): RunningMoments {
  return { n: 0, sum: 0, runningMean: 0, m2: 0 };
}

export function addToMoments(moments: RunningMoments, x: number): void {
  moments.n += 1;
  moments.sum += x;
  const delta = x - moments.runningMean;
  moments.runningMean += delta / moments.n;
  moments.m2 += delta * (x - moments.runningMean);
}

/** The count, mean and sample variance (Bessel's correction) of values or of their moments. */
export interface MeanAndVariance {
  readonly n: number;
  readonly mean: Estimate;
  readonly variance: Estimate;
}

export function meanAndVariance(values: readonly number[] | RunningMoments): MeanAndVariance {
  if (isValues(values)) {
    return { n: values.length, mean: mean(values), variance: sampleVariance(values) };
  }
  const { n, sum, m2 } = values;
  return {
    n,
    mean: n === 0 ? { kind: 'insufficient', reason: 'empty' } : { kind: 'value', value: sum / n },
    variance:
      n < 2
        ? { kind: 'insufficient', reason: n === 0 ? 'empty' : 'fewer-than-two' }
        : { kind: 'value', value: m2 / (n - 1) },
  };
}

function isValues(values: readonly number[] | RunningMoments): values is readonly number[] {
  return Array.isArray(values);
}

function sumOf(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    total += v;
  }
  return total;
}
