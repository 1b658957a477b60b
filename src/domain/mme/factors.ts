/**
 * MME conversion factors: one versioned table, CDC 2022 (Clinical Practice Guideline for
 * Prescribing Opioids for Pain, MMWR Recomm Rep 2022;71(RR-3)), generated verbatim from
 * cdc-2022-mme-conversion-factors.json into opioidTable.generated.ts.
 *
 * Basis: total daily dose in mg/day × factor; transdermal fentanyl: patch strength in mcg/hr × 2.4.
 * Buprenorphine is never counted (source: the same file's exclusions). Opioids without a 2022
 * factor (meperidine, levorphanol, pentazocine, butorphanol, dihydrocodeine, transmucosal or nasal
 * fentanyl …) are shown but excluded from totals.
 */
import type { DoseRoute } from './doseForm.ts';
import type { StrengthUnit } from './drugTable.ts';
import { CDC_2022_FACTOR_ROWS, CDC_2022_FACTORS_SOURCE } from './opioidTable.generated.ts';

export const MME_FACTOR_TABLE = {
  version: 'cdc-2022',
  citation: CDC_2022_FACTORS_SOURCE.citation,
  file: CDC_2022_FACTORS_SOURCE.file,
  rows: CDC_2022_FACTOR_ROWS,
} as const;

/** Buprenorphine (RxNorm ingredient 1819): listed, never counted (CDC 2022 exclusions). */
export const BUPRENORPHINE_RXCUI = '1819';

const ROWS_BY_RXCUI = new Map<string, (typeof CDC_2022_FACTOR_ROWS)[number][]>();
for (const row of CDC_2022_FACTOR_ROWS) {
  ROWS_BY_RXCUI.set(row.rxcui, [...(ROWS_BY_RXCUI.get(row.rxcui) ?? []), row]);
}

export type FactorLookup =
  | { readonly kind: 'factor'; readonly factor: number; readonly basis: 'mg/day' | 'mcg/hr' }
  | { readonly kind: 'not-counted'; readonly reason: 'buprenorphine'; readonly detail: string }
  | {
      readonly kind: 'no-factor';
      readonly reason: 'no-cdc-2022-factor' | 'route-not-counted';
      readonly detail: string;
    }
  | { readonly kind: 'route-unknown'; readonly detail: string };

/**
 * Routes the CDC 2022 factors are for (clinical.md "Opioid dose": "Count only what a CDC 2022
 * factor exists for: oral and transdermal … routes in ambulatory use. Injected, intravenous or
 * rectal opioids … are shown and not counted"). The table's factors without a dose form are oral
 * factors; the one tied to a dose form (fentanyl, 316987 Transdermal System) is transdermal.
 */
const FACTOR_ROUTE = 'oral';

/**
 * The CDC 2022 factor for an opioid ingredient given by RxCUI on a route. A factor row tied to a
 * dose form (fentanyl: 316987 Transdermal System) applies to that route only, so transmucosal,
 * nasal and injected fentanyl get `no-factor`; the other rows are oral factors, so an injected,
 * rectal or transmucosal hydromorphone gets `no-factor` (`route-not-counted`), and a product whose
 * route is not stated gets `route-unknown`.
 */
export function factorFor(
  ingredientRxcui: string,
  ingredientName: string,
  route: DoseRoute,
): FactorLookup {
  if (ingredientRxcui === BUPRENORPHINE_RXCUI) {
    return {
      kind: 'not-counted',
      reason: 'buprenorphine',
      detail: 'buprenorphine is not counted in total MME/day (CDC 2022)',
    };
  }
  const rows = ROWS_BY_RXCUI.get(ingredientRxcui);
  if (rows === undefined) {
    return {
      kind: 'no-factor',
      reason: 'no-cdc-2022-factor',
      detail: `${ingredientName} has no CDC 2022 conversion factor; not counted in the total`,
    };
  }
  const formRow = rows.find((r) => r.doseFormRxcui !== null);
  if (formRow !== undefined) {
    if (route !== 'transdermal') {
      return {
        kind: 'no-factor',
        reason: 'no-cdc-2022-factor',
        detail: `${ingredientName} (${route}) has no CDC 2022 conversion factor (the 2022 factor covers transdermal ${ingredientName} only); not counted in the total`,
      };
    }
    return { kind: 'factor', factor: formRow.factor, basis: 'mcg/hr' };
  }
  const row = rows[0];
  if (row === undefined || route === 'other') {
    return {
      kind: 'route-unknown',
      detail: `the route of this ${ingredientName} is not stated (no dose form or dosage route): the CDC 2022 factor is for oral ${ingredientName}, so it is not counted`,
    };
  }
  if (route !== FACTOR_ROUTE) {
    return {
      kind: 'no-factor',
      reason: 'route-not-counted',
      detail: `${ingredientName} by the ${ROUTE_WORDS[route]} route: the CDC 2022 factor is for oral ${ingredientName}; not counted in the total`,
    };
  }
  return { kind: 'factor', factor: row.factor, basis: 'mg/day' };
}

const ROUTE_WORDS: Readonly<Record<DoseRoute, string>> = {
  oral: 'oral',
  transdermal: 'transdermal',
  transmucosal: 'transmucosal (buccal or sublingual)',
  nasal: 'nasal',
  rectal: 'rectal',
  parenteral: 'injected or intravenous',
  other: 'unstated',
};

/**
 * The route used for the factor lookup. A strength per hour ("fentanyl 25 mcg/hr", a Medication
 * ingredient strength of 25 mcg/h) is what a transdermal system delivers, so a product whose
 * dose form is missing or unrecognised (route 'other') is read as transdermal; a stated route
 * (buccal, nasal, injected …) is kept.
 */
export function factorRoute(route: DoseRoute, unit: StrengthUnit | null): DoseRoute {
  return route === 'other' && unit === 'mg/hr' ? 'transdermal' : route;
}
