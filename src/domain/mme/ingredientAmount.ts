/**
 * One dose of a product → the amount of one of its opioid ingredients, in mg, or in mcg/hr for
 * patches. Units that do not fit the product (tablets of a liquid, mL of a tablet) are reported,
 * never guessed.
 */
import type { OpioidComponent } from './drugTable.ts';
import { formatAmount, formatNumber } from './format.ts';
import type { ResolvedProduct } from './medication.ts';
import type { DoseAmount } from './quantity.ts';

export type AmountUnknownReason = 'dose-unit-mismatch' | 'no-strength' | 'ambiguous-dose';

/** The ingredient amount in one dose, or why the dose does not fit the product. */
export type AmountOutcome =
  | { readonly ok: true; readonly value: Converted }
  | { readonly ok: false; readonly reason: AmountUnknownReason; readonly detail: string };
export interface Converted {
  readonly value: number;
  readonly unit: 'mg' | 'mcg/hr';
  readonly text: string;
}

function ok(value: number, unit: 'mg' | 'mcg/hr', text: string): AmountOutcome {
  return { ok: true, value: { value, unit, text } };
}

/** Whether the product is dosed as a patch: an mg/hr strength or a transdermal form. */
export function isPatch(product: ResolvedProduct, component: OpioidComponent): boolean {
  return component.unit === 'mg/hr' || product.doseForm.route === 'transdermal';
}

/** "5 mg", "2 mg/mL", "25 mcg/hr", "0.1 mg/actuation". */
export function strengthText(c: OpioidComponent): string {
  switch (c.unit) {
    case 'mg/hr':
      return `${formatNumber((c.strength ?? 0) * 1000)} mcg/hr`;
    case 'mg/actuat':
      return `${formatNumber(c.strength ?? 0)} mg/actuation`;
    case 'mg':
    case 'mg/mL':
    case null:
      return `${formatNumber(c.strength ?? 0)} ${c.unit ?? 'mg'}`;
  }
}

/**
 * Amount of opioid ingredient `c` in one dose `amount` of the product: mg for tablets, capsules,
 * liquids (mL × mg/mL), actuations and mass doses; mcg/hr for patches (count × strength, or a
 * rate). A mass dose is ambiguous when the product holds two opioids.
 */
export function ingredientAmount(
  amount: DoseAmount,
  c: OpioidComponent,
  product: ResolvedProduct,
): AmountOutcome {
  const mismatch = (): AmountOutcome => ({
    ok: false,
    reason: 'dose-unit-mismatch',
    detail: `a dose of ${formatAmount(amount)} does not fit ${c.name} ${c.unit === null ? '(strength unknown)' : strengthText(c)}`,
  });
  const single = product.opioids.length === 1;
  const noStrength: AmountOutcome = {
    ok: false,
    reason: 'no-strength',
    detail: `the strength of ${c.name} is not known, so a dose of ${formatAmount(amount)} cannot be converted to mg`,
  };
  if (isPatch(product, c)) {
    if (amount.basis === 'rate' && single) {
      return ok(amount.mgPerHr * 1000, 'mcg/hr', `${c.name} ${formatAmount(amount)}`);
    }
    if (amount.basis === 'count' && c.unit === 'mg/hr' && c.strength !== null) {
      const value = amount.value * c.strength * 1000;
      return ok(value, 'mcg/hr', `${c.name} ${strengthText(c)} × ${formatAmount(amount)}`);
    }
    return amount.basis === 'count' && c.strength === null ? noStrength : mismatch();
  }
  switch (amount.basis) {
    case 'mass':
      return single
        ? ok(amount.mg, 'mg', `${c.name} ${formatAmount(amount)}`)
        : {
            ok: false,
            reason: 'ambiguous-dose',
            detail: `a dose in mg cannot be split between ${product.opioids.map((o) => o.name).join(' and ')}`,
          };
    case 'count':
      if (c.strength === null) {
        return noStrength;
      }
      return c.unit === 'mg' || c.unit === 'mg/actuat'
        ? ok(
            amount.value * c.strength,
            'mg',
            `${c.name} ${strengthText(c)} × ${formatAmount(amount)}`,
          )
        : mismatch();
    case 'volume':
      if (c.strength === null) {
        return noStrength;
      }
      return c.unit === 'mg/mL'
        ? ok(amount.mL * c.strength, 'mg', `${c.name} ${strengthText(c)} × ${formatAmount(amount)}`)
        : mismatch();
    case 'rate':
      return mismatch();
  }
}
