/**
 * Per-medication explanation strings, so the UI and the CLI print the same text, e.g.
 * "oxycodone 5 mg × 1 tablet × 4/day × 1.5 = 30 MME/day", or the reason a medication is excluded
 * or unknown.
 */
import type { IngredientDaily } from './dailyDose.ts';
import { formatNumber } from './format.ts';

/** "oxycodone 5 mg × 1 tablet × 4/day × 1.5 = 30 MME/day"; several dosage terms are added first. */
export function explainCounted(daily: IngredientDaily, factor: number, mme: number): string {
  const unit = daily.unit === 'mg' ? 'mg/day' : 'mcg/hr';
  const [only, ...more] = daily.terms;
  const dose =
    only !== undefined && more.length === 0
      ? only
      : `(${daily.terms.join(' + ')}) = ${formatNumber(daily.dailyDose)} ${unit}`;
  return `${dose} × ${formatNumber(factor)} = ${formatNumber(mme)} MME/day`;
}

/** A dose shown but not counted: "buprenorphine 8 mg × 1 film × 1/day = 8 mg/day; <why>". */
export function explainNotCounted(daily: IngredientDaily | undefined, why: string): string {
  if (daily === undefined) {
    return why;
  }
  const unit = daily.unit === 'mg' ? 'mg/day' : 'mcg/hr';
  return `${daily.terms.join(' + ')} = ${formatNumber(daily.dailyDose)} ${unit}; ${why}`;
}

/** Joins per-ingredient parts; with more than one counted part, adds the medication's total. */
export function joinExplanations(
  parts: readonly string[],
  countedParts: number,
  total: number | null,
): string {
  const text = parts.join('; ');
  return countedParts > 1 && total !== null
    ? `${text}; total ${formatNumber(total)} MME/day`
    : text;
}
