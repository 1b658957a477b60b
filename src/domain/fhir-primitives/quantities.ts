/**
 * Units of measure as EHRs write them: the UCUM codes and the common non-UCUM spellings (MG,
 * milligram, mcg, µg, mL, ML, ug/h …), each mapped to one base unit. The one unit table of the
 * project: the MME engine's doses, strengths and RxNorm names all read their units here, so a
 * strength written `milligram` counts exactly as one written `mg`.
 * UCUM: https://ucum.org/ucum (mg, ug, g, mL, L, ug/h, mg/h).
 */

/** Mass units → milligrams. */
const MASS_TO_MG: Readonly<Record<string, number>> = {
  mg: 1,
  milligram: 1,
  milligrams: 1,
  mcg: 0.001,
  ug: 0.001,
  µg: 0.001,
  microgram: 0.001,
  micrograms: 0.001,
  g: 1000,
  gram: 1000,
  grams: 1000,
};

/** Volume units → millilitres. */
const VOLUME_TO_ML: Readonly<Record<string, number>> = {
  ml: 1,
  milliliter: 1,
  milliliters: 1,
  millilitre: 1,
  millilitres: 1,
  l: 1000,
};

/** Rate units (transdermal delivery) → milligrams per hour. */
const RATE_TO_MG_PER_HR: Readonly<Record<string, number>> = {
  'ug/h': 0.001,
  'ug/hr': 0.001,
  'mcg/h': 0.001,
  'mcg/hr': 0.001,
  'µg/h': 0.001,
  'µg/hr': 0.001,
  'mg/h': 1,
  'mg/hr': 1,
};

/** A unit as a lookup key: lower case, UCUM braces and white space dropped ('{TBL}' → 'tbl'). */
function unitKey(unit: string): string {
  return unit.toLowerCase().replace(/[{}]/g, '').replace(/\s+/g, '');
}

/** Milligrams per one of `unit` (a mass unit), or undefined when it is not one. */
export function mgPerUnit(unit: string): number | undefined {
  return MASS_TO_MG[unitKey(unit)];
}

/** Millilitres per one of `unit` (a volume unit), or undefined when it is not one. */
export function mLPerUnit(unit: string): number | undefined {
  return VOLUME_TO_ML[unitKey(unit)];
}

/** Milligrams per hour per one of `unit` (a delivery rate), or undefined when it is not one. */
export function mgPerHourPerUnit(unit: string): number | undefined {
  return RATE_TO_MG_PER_HR[unitKey(unit)];
}
