/** Number and amount formatting shared by the explanation strings (UI and CLI print the same text). */
import type { CountNoun, DoseAmount } from './quantity.ts';

/** At most two decimals, no trailing zeros: 30, 4.5, 0.33. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
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
      return `${formatNumber(amount.mg)} mg`;
    case 'rate':
      return `${formatNumber(amount.mgPerHr * 1000)} mcg/hr`;
  }
}
