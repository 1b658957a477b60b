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
  const n = values.length;
  return {
    successes,
    n,
    share:
      n === 0 ? { kind: 'insufficient', reason: 'empty' } : { kind: 'value', value: successes / n },
  };
}

function sumOf(values: readonly number[]): number {
  let total = 0;
  for (const v of values) {
    total += v;
  }
  return total;
}
