/**
 * MME engine, public API. Morphine milligram equivalents per day of one MedicationStatement or
 * MedicationRequest, with the CDC 2022 factors (factors.ts). Pure: no clock, no I/O; any input
 * shape gives a result (`counted`, `excluded` with a reason, or `unknown` with a reason), never
 * an exception, never NaN.
 */
import type { Medication } from 'fhir/r4';
import type { ActiveInterval } from './activity.ts';
import { activeInterval, isActiveOn, statusExclusion } from './activity.ts';
import type { DailyUnknownReason, IngredientDaily } from './dailyDose.ts';
import { dailyDose } from './dailyDose.ts';
import { isPatch } from './ingredientAmount.ts';
import { explainCounted, explainNotCounted, joinExplanations } from './explain.ts';
import { factorFor } from './factors.ts';
import type { ProductUnknownReason } from './medication.ts';
import { resolveProduct } from './medication.ts';
import { medicationResolver } from './resolver.ts';
import { bool, clean, isRecord, str } from './shape.ts';

/**
 * Why a medication is shown but not counted:
 * - `not-an-opioid`: the product has no opioid ingredient;
 * - `buprenorphine`: listed, never counted (CDC 2022);
 * - `no-cdc-2022-factor`: an opioid without a 2022 factor (meperidine, levorphanol, pentazocine,
 *   butorphanol, dihydrocodeine, transmucosal/nasal/injected fentanyl …);
 * - `status`: a status that does not count (entered-in-error, not-taken, cancelled, draft, unknown);
 * - `do-not-perform`: a request marked doNotPerform.
 */
export type ExclusionReason =
  'not-an-opioid' | 'buprenorphine' | 'no-cdc-2022-factor' | 'status' | 'do-not-perform';

/**
 * Why an opioid's MME could not be computed. Drug: `no-medication`, `unresolved-reference`,
 * `unknown-rxcui` (not in the 2020 table and no readable name), `unparseable-name`. Dose:
 * `no-dosage`, `no-dose-quantity`, `unsupported-dose-unit`, `no-frequency`, `dose-unit-mismatch`
 * (tablets of a liquid …), `no-strength`, `ambiguous-dose` (mg of a two-opioid product),
 * `no-supply-duration`, `patch-wear-unknown`, `dose-out-of-range`. Input: `not-a-medication-resource`.
 */
export type UnknownReason = ProductUnknownReason | DailyUnknownReason | 'not-a-medication-resource';

/** One opioid ingredient of a medication, as the UI and CLI show it. */
export interface IngredientMme {
  readonly name: string;
  readonly rxcui: string;
  /** mg/day, or for patches mcg/hr worn at once; null when it could not be computed. */
  readonly dailyDose: number | null;
  readonly unit: 'mg' | 'mcg/hr';
  /** CDC 2022 factor, or null for buprenorphine and opioids without a 2022 factor. */
  readonly factor: number | null;
  readonly mmePerDay: number | null;
}

/** What every result carries, whatever its kind. */
interface ResultBase {
  readonly id: string;
  readonly resourceType: string;
  /** What the record calls the medication (code text or display). */
  readonly label: string;
  readonly interval: ActiveInterval;
  readonly ingredients: readonly IngredientMme[];
  readonly explanation: string;
}

/**
 * MME of one medication: `counted` (mmePerDay is a finite number ≥ 0), `excluded` or `unknown`
 * (mmePerDay null, `reason` says why, `explanation` says it in words). `interval` is when it was
 * taken (inclusive ISO dates; null = open), used by mmeTimeline and isActiveOn.
 */
export type MedicationMmeResult =
  | (ResultBase & { readonly kind: 'counted'; readonly mmePerDay: number; readonly reason: null })
  | (ResultBase & {
      readonly kind: 'excluded';
      readonly mmePerDay: null;
      readonly reason: ExclusionReason;
    })
  | (ResultBase & {
      readonly kind: 'unknown';
      readonly mmePerDay: null;
      readonly reason: UnknownReason;
    });

/**
 * MME/day of one MedicationStatement or MedicationRequest.
 *
 * @param resource a MedicationStatement or MedicationRequest as received (unverified: any other
 *   value or a malformed shape gives `unknown`).
 * @param resolveMedication looks up a medicationReference that is not `#contained`
 *   (see medicationResolver() for Bundles and _include'd Medications).
 * @returns `counted` with mmePerDay = Σ daily dose × CDC 2022 factor over the opioid ingredients;
 *   `excluded` (not an opioid, buprenorphine, no 2022 factor, a status that does not count,
 *   doNotPerform); or `unknown` with the reason the dose could not be computed.
 */
export function computeMedicationMme(
  resource: unknown,
  resolveMedication: (ref: string) => Medication | undefined,
): MedicationMmeResult {
  const resourceType =
    isRecord(resource) && typeof resource['resourceType'] === 'string'
      ? resource['resourceType']
      : 'unknown';
  const id = str(resource, 'id') ?? '';
  if (resourceType !== 'MedicationStatement' && resourceType !== 'MedicationRequest') {
    const explanation = `a ${resourceType} is not a MedicationStatement or MedicationRequest`;
    return {
      id,
      resourceType,
      label: '',
      interval: { start: null, end: null },
      ingredients: [],
      explanation,
      kind: 'unknown',
      mmePerDay: null,
      reason: 'not-a-medication-resource',
    };
  }
  const interval = activeInterval(resourceType, resource);
  const product = resolveProduct(resource, resolveMedication);
  if (product.kind === 'unknown') {
    const base = {
      id,
      resourceType,
      label: product.label,
      interval,
      ingredients: [],
      explanation: product.detail,
    };
    return { ...base, kind: 'unknown', mmePerDay: null, reason: product.reason };
  }
  const base = { id, resourceType, label: product.label, interval };
  const statusWhy = statusExclusion(resourceType, str(resource, 'status'));
  const daily = product.opioids.length > 0 ? dailyDose(resource, product) : undefined;
  const dailyOf = (rxcui: string): IngredientDaily | undefined =>
    daily?.kind === 'daily'
      ? daily.ingredients.find((d) => d.component.rxcui === rxcui)
      : undefined;

  const ingredients: IngredientMme[] = [];
  const parts: string[] = [];
  let total = 0;
  let counted = 0;
  let exclusion: 'buprenorphine' | 'no-cdc-2022-factor' = 'no-cdc-2022-factor';
  for (const c of product.opioids) {
    const d = dailyOf(c.rxcui);
    const lookup = factorFor(c.rxcui, c.name, product.doseForm.route);
    const unit = d?.unit ?? (isPatch(product, c) ? 'mcg/hr' : 'mg');
    const dose = d === undefined ? null : clean(d.dailyDose);
    if (lookup.kind === 'factor' && d !== undefined) {
      const mme = clean(d.dailyDose * lookup.factor);
      ingredients.push({
        name: c.name,
        rxcui: c.rxcui,
        dailyDose: dose,
        unit,
        factor: lookup.factor,
        mmePerDay: mme,
      });
      parts.push(explainCounted(d, lookup.factor, mme));
      total += mme;
      counted += 1;
    } else if (lookup.kind === 'factor') {
      ingredients.push({
        name: c.name,
        rxcui: c.rxcui,
        dailyDose: null,
        unit,
        factor: lookup.factor,
        mmePerDay: null,
      });
    } else {
      if (lookup.kind === 'not-counted') {
        exclusion = 'buprenorphine';
      }
      ingredients.push({
        name: c.name,
        rxcui: c.rxcui,
        dailyDose: dose,
        unit,
        factor: null,
        mmePerDay: null,
      });
      parts.push(explainNotCounted(d, lookup.detail));
    }
  }
  const hasFactor = ingredients.some((i) => i.factor !== null);

  if (statusWhy !== null) {
    return {
      ...base,
      ingredients,
      explanation: `not counted: ${statusWhy}`,
      kind: 'excluded',
      mmePerDay: null,
      reason: 'status',
    };
  }
  if (bool(resource, 'doNotPerform') === true) {
    return {
      ...base,
      ingredients,
      explanation: 'not counted: the request is marked doNotPerform',
      kind: 'excluded',
      mmePerDay: null,
      reason: 'do-not-perform',
    };
  }
  if (product.opioids.length === 0) {
    return {
      ...base,
      ingredients,
      explanation: `${product.label} contains no opioid`,
      kind: 'excluded',
      mmePerDay: null,
      reason: 'not-an-opioid',
    };
  }
  if (daily?.kind === 'unknown' && hasFactor) {
    const names = ingredients
      .filter((i) => i.factor !== null)
      .map((i) => i.name)
      .join(' and ');
    return {
      ...base,
      ingredients,
      explanation: `${names}: MME unknown: ${daily.detail}`,
      kind: 'unknown',
      mmePerDay: null,
      reason: daily.reason,
    };
  }
  if (counted === 0) {
    return {
      ...base,
      ingredients,
      explanation: parts.join('; '),
      kind: 'excluded',
      mmePerDay: null,
      reason: exclusion,
    };
  }
  const mmePerDay = clean(total);
  return {
    ...base,
    ingredients,
    explanation: joinExplanations(parts, counted, mmePerDay),
    kind: 'counted',
    mmePerDay,
    reason: null,
  };
}

/**
 * MME of every MedicationStatement and MedicationRequest among `resources` (a search result's
 * resources, NDJSON lines, a Bundle's entries), resolving medicationReference against the
 * Medications among them (by "Medication/<id>" and, when given, by Bundle fullUrl).
 */
export function computeMmeForResources(
  resources: readonly unknown[],
  fullUrls: Iterable<readonly [string, unknown]> = [],
): MedicationMmeResult[] {
  const resolve = medicationResolver(resources, fullUrls);
  const results: MedicationMmeResult[] = [];
  for (const resource of resources) {
    const type = isRecord(resource) ? resource['resourceType'] : undefined;
    if (type === 'MedicationStatement' || type === 'MedicationRequest') {
      results.push(computeMedicationMme(resource, resolve));
    }
  }
  return results;
}

/**
 * Total MME/day of the counted results; with `asOf` (ISO date) only those active that day
 * (open-ended intervals count up to asOf), without it every counted result whatever its dates.
 */
export function totalMmePerDay(results: readonly MedicationMmeResult[], asOf?: string): number {
  let total = 0;
  for (const r of results) {
    if (r.kind === 'counted' && (asOf === undefined || isActiveOn(r.interval, asOf))) {
      total += r.mmePerDay;
    }
  }
  return clean(total);
}

export type { ActiveInterval } from './activity.ts';
export { COUNTED_STATUSES, isActiveOn } from './activity.ts';
export { MME_FACTOR_TABLE } from './factors.ts';
export { NLM_ATTRIBUTION } from './opioidTable.generated.ts';
export { bundleEntries, medicationResolver } from './resolver.ts';
export type { MmeChange, MmeSummary, TaperVerdict } from './summary.ts';
export { TAPER_MIN_MONTHLY_DECREASE, TAPER_SUSTAINED_MONTHS, summariseMme } from './summary.ts';
export type { MmePoint, TimelineWindow } from './timeline.ts';
export { mmeTimeline } from './timeline.ts';
