/**
 * FHIR Quantity / Duration → amounts the MME engine can use. Accepts UCUM codes and the common
 * non-UCUM spellings EHRs send (TAB, {tbl}, tablets, mcg, MG, mL, ML, patch, ug/h).
 */
import type { DoseFormUnit } from './doseForm.ts';
import { num, str } from '../fhir-primitives/json.ts';
import { mgPerHourPerUnit, mgPerUnit, mLPerUnit } from '../fhir-primitives/quantities.ts';

/** One dose (or a dispensed quantity) in the unit it was written in, normalised. */
export type DoseAmount =
  | { readonly basis: 'count'; readonly value: number; readonly noun: CountNoun }
  | { readonly basis: 'volume'; readonly mL: number }
  | { readonly basis: 'mass'; readonly mg: number }
  | { readonly basis: 'rate'; readonly mgPerHr: number };

export type CountNoun = Exclude<DoseFormUnit, 'mL' | null> | 'unit';

const COUNT_NOUNS: readonly (readonly [RegExp, CountNoun])[] = [
  [/^(tbl|tab|tabs|tablets?)$/, 'tablet'],
  [/^(cap|caps|capsules?)$/, 'capsule'],
  [/^(patch|patches|transdermal ?systems?|system)$/, 'patch'],
  [/^(films?|strips?)$/, 'film'],
  [/^(lozenges?|troches?)$/, 'lozenge'],
  [/^(supp|suppositor(y|ies))$/, 'suppository'],
  [/^(sprays?|puffs?|actuat|actuations?)$/, 'actuation'],
  [/^(1|each|ea|units?|doses?)$/, 'unit'],
];

function unitOf(quantity: unknown): string | undefined {
  const raw = str(quantity, 'code') ?? str(quantity, 'unit');
  return raw?.toLowerCase().replace(/[{}]/g, '').trim();
}

/**
 * A Quantity as a dose amount. A quantity without a unit is taken in the product's own unit
 * (FHIR: "in the units of the product"): tablets for a tablet, mL for a liquid. Returns undefined
 * when the value is missing, negative or the unit is not one the engine knows.
 */
export function doseAmount(quantity: unknown, formUnit: DoseFormUnit): DoseAmount | undefined {
  const value = num(quantity, 'value');
  if (value === undefined || value < 0) {
    return undefined;
  }
  const unit = unitOf(quantity) ?? (formUnit === null ? undefined : formUnit.toLowerCase());
  if (unit === undefined) {
    return undefined;
  }
  const mg = mgPerUnit(unit);
  if (mg !== undefined) {
    return { basis: 'mass', mg: value * mg };
  }
  const mL = mLPerUnit(unit);
  if (mL !== undefined) {
    return { basis: 'volume', mL: value * mL };
  }
  const rate = mgPerHourPerUnit(unit);
  if (rate !== undefined) {
    return { basis: 'rate', mgPerHr: value * rate };
  }
  const noun = COUNT_NOUNS.find(([pattern]) => pattern.test(unit))?.[1];
  if (noun === undefined) {
    return undefined;
  }
  // "1 unit" of a tablet product is a tablet: name it after the form for the explanation.
  const formNoun: CountNoun | undefined =
    formUnit === null || formUnit === 'mL' ? undefined : formUnit;
  return { basis: 'count', value, noun: noun === 'unit' ? (formNoun ?? 'unit') : noun };
}

/** Days in a time Quantity/Duration (UCUM s, min, h, d, wk, mo, a and their spellings). */
export function quantityDays(quantity: unknown): number | undefined {
  const value = num(quantity, 'value');
  const unit = unitOf(quantity);
  if (value === undefined || value <= 0 || unit === undefined) {
    return undefined;
  }
  const days = unitDays(unit);
  return days === undefined ? undefined : value * days;
}

/** Days in one time unit; UCUM's mo is the mean Julian month (30.4375 d), a the Julian year. */
export function unitDays(unit: string): number | undefined {
  const u = unit.toLowerCase();
  if (/^(s|sec|secs?|seconds?)$/.test(u)) {
    return 1 / 86_400;
  }
  if (/^(min|mins|minutes?)$/.test(u)) {
    return 1 / 1440;
  }
  if (/^(h|hr|hrs|hours?)$/.test(u)) {
    return 1 / 24;
  }
  if (/^(d|day|days)$/.test(u)) {
    return 1;
  }
  if (/^(wk|w|weeks?)$/.test(u)) {
    return 7;
  }
  if (/^(mo|months?)$/.test(u)) {
    return 30.4375;
  }
  if (/^(a|y|yr|years?)$/.test(u)) {
    return 365.25;
  }
  return undefined;
}
