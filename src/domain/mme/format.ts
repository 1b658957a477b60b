/** Number and amount formatting shared by the explanation strings (UI and CLI print the same text). */
import type { CountNoun, DoseAmount } from './quantity.ts';

/** At most two decimals, or three significant digits below 1, no trailing zeros: 30, 4.5, 0.075. */
export function formatNumber(value: number): string {
  return Math.abs(value) >= 1 || value === 0
    ? String(Math.round(value * 100) / 100)
    : String(Number(value.toPrecision(3)));
}

const PLURAL: Readonly<Record<CountNoun, string>> = {
  tablet: 'tablets',
  capsule: 'capsules',
  patch: 'patches',
  film: 'films',
  lozenge: 'lozenges',
  suppository: 'suppositories',
  actuation: 'actuations',
  unit: 'units',
};

/** "1 tablet", "120 tablets", "5 mL", "10 mg", "25 mcg/hr". */
export function formatAmount(amount: DoseAmount): string {
  switch (amount.basis) {
    case 'count':
      return `${formatNumber(amount.value)} ${amount.value === 1 ? amount.noun : PLURAL[amount.noun]}`;
    case 'volume':
      return `${formatNumber(amount.mL)} mL`;
    case 'mass':
      return amount.mg > 0 && amount.mg < 1
        ? `${formatNumber(amount.mg * 1000)} mcg`
        : `${formatNumber(amount.mg)} mg`;
    case 'rate':
      return `${formatNumber(amount.mgPerHr * 1000)} mcg/hr`;
  }
}
