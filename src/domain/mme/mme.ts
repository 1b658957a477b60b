/**
 * MME engine, public API. Morphine milligram equivalents per day of one MedicationStatement or
 * MedicationRequest, with the CDC 2022 factors (factors.ts). Pure: no clock, no I/O; any input
 * shape gives a result (`counted`, `excluded` with a reason, or `unknown` with a reason), never
 * an exception, never NaN.
 */
import type { Medication } from 'fhir/r4';
import { activeInterval, intentExclusion, settingExclusion, statusExclusion } from './activity.ts';
import { dayIndex } from '../fhir-primitives/dates.ts';
import type { DailyDoseOutcome, IngredientDaily } from './dailyDose.ts';
import { dailyDose } from './dailyDose.ts';
import { dosageRoute } from './doseForm.ts';
import type { DoseRoute } from './doseForm.ts';
import { isPatch } from './ingredientAmount.ts';
import { explainCounted, explainNotCounted, joinExplanations } from './explain.ts';
import { factorFor, factorRoute } from './factors.ts';
import { resolveProduct, type ResolvedProduct } from './medication.ts';
import { forEachCountedSegment, reconcileMme, recordLinks, totalGroup } from './reconcile.ts';
import { applyOudTreatment, oudConditions } from './oudTreatment.ts';
import { medicationResolver } from './resolver.ts';
import type { ExclusionReason, IngredientMme, MedicationMmeResult } from './result.ts';
import { bool, clean, isRecord, recsOf, str } from '../fhir-primitives/json.ts';

/** The route: the dose form's, else the first dosage's stated route ('other' when neither says). */
function routeOf(formRoute: DoseRoute, resource: unknown): DoseRoute {
  if (formRoute !== 'other') {
    return formRoute;
  }
  const [first] = recsOf(resource, 'dosage', 'dosageInstruction');
  return dosageRoute(first);
}

/** Each opioid ingredient's MME/day and how it was reached, before the record's own exclusions. */
interface IngredientTally {
  readonly ingredients: readonly IngredientMme[];
  /** The explanation's terms, one per ingredient. */
  readonly parts: readonly string[];
  readonly total: number;
  /** How many ingredients were counted. */
  readonly counted: number;
  /** Why an ingredient with no factor is not counted (the strongest reason found). */
  readonly exclusion: 'buprenorphine' | 'no-cdc-2022-factor' | 'route-not-counted';
  /** Set when an ingredient's factor depends on a route the record does not state. */
  readonly routeUnknown: string | undefined;
  /** Ingredients a dose would be counted for (a factor, or one once the route is known). */
  readonly dosed: ReadonlySet<string>;
}

/** Each opioid ingredient of `product` with its daily dose (`daily`) and the CDC factor for `route`. */
function tallyIngredients(
  product: ResolvedProduct,
  daily: DailyDoseOutcome | undefined,
  route: DoseRoute,
): IngredientTally {
  const ingredients: IngredientMme[] = [];
  const parts: string[] = [];
  let total = 0;
  let counted = 0;
  let exclusion: IngredientTally['exclusion'] = 'no-cdc-2022-factor';
  let routeUnknown: string | undefined;
  const dosed = new Set<string>();
  for (const c of product.opioids) {
    const d: IngredientDaily | undefined =
      daily?.kind === 'daily'
        ? daily.ingredients.find((x) => x.component.rxcui === c.rxcui)
        : undefined;
    const lookup = factorFor(c.rxcui, c.name, factorRoute(route, c.unit));
    const unit = d?.unit ?? (isPatch(product, c) ? 'mcg/hr' : 'mg');
    const dose = d === undefined ? null : clean(d.dailyDose);
    const ingredient = { name: c.name, rxcui: c.rxcui, unit };
    if (lookup.kind === 'factor') {
      dosed.add(c.rxcui);
      if (d === undefined) {
        ingredients.push({
          ...ingredient,
          dailyDose: null,
          factor: lookup.factor,
          mmePerDay: null,
        });
        continue;
      }
      const mme = clean(d.dailyDose * lookup.factor);
      ingredients.push({ ...ingredient, dailyDose: dose, factor: lookup.factor, mmePerDay: mme });
      parts.push(explainCounted(d, lookup.factor, mme));
      total += mme;
      counted += 1;
      continue;
    }
    if (lookup.kind === 'route-unknown') {
      routeUnknown = lookup.detail;
      dosed.add(c.rxcui);
    } else if (lookup.kind === 'not-counted' || exclusion === 'no-cdc-2022-factor') {
      exclusion = lookup.reason;
    }
    ingredients.push({ ...ingredient, dailyDose: dose, factor: null, mmePerDay: null });
    parts.push(explainNotCounted(d, lookup.detail));
  }
  return { ingredients, parts, total, counted, exclusion, routeUnknown, dosed };
}

/**
 * Why the record is not counted whatever its dose: a status that does not count, doNotPerform,
 * no opioid in the product, a proposal or plan, an inpatient setting (checked in that order);
 * null when none applies.
 */
function recordExclusion(
  resourceType: 'MedicationStatement' | 'MedicationRequest',
  resource: unknown,
  product: ResolvedProduct,
): { readonly reason: ExclusionReason; readonly explanation: string } | null {
  const statusWhy = statusExclusion(resourceType, str(resource, 'status'));
  if (statusWhy !== null) {
    return { reason: 'status', explanation: `not counted: ${statusWhy}` };
  }
  if (bool(resource, 'doNotPerform') === true) {
    return {
      reason: 'do-not-perform',
      explanation: 'not counted: the request is marked doNotPerform',
    };
  }
  if (product.opioids.length === 0) {
    return { reason: 'not-an-opioid', explanation: `${product.label} contains no opioid` };
  }
  const intentWhy = intentExclusion(resourceType, str(resource, 'intent'));
  if (intentWhy !== null) {
    return { reason: 'intent-not-an-order', explanation: `not counted: ${intentWhy}` };
  }
  const settingWhy = settingExclusion(resource);
  if (settingWhy !== null) {
    return { reason: 'not-ambulatory', explanation: `not counted: ${settingWhy}` };
  }
  return null;
}

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
  const { subject, ...links } = recordLinks(resourceType, resource, id);
  const linked = { ...links, id, resourceType, supersededBy: null, totalGroup: null };
  if (resourceType !== 'MedicationStatement' && resourceType !== 'MedicationRequest') {
    return {
      ...linked,
      label: '',
      interval: { start: null, end: null },
      ingredients: [],
      explanation: `a ${resourceType} is not a MedicationStatement or MedicationRequest`,
      kind: 'unknown',
      mmePerDay: null,
      reason: 'not-a-medication-resource',
    };
  }
  const interval = activeInterval(resourceType, resource);
  const product = resolveProduct(resource, resolveMedication);
  if (product.kind === 'unknown') {
    return {
      ...linked,
      label: product.label,
      interval,
      ingredients: [],
      explanation: product.detail,
      kind: 'unknown',
      mmePerDay: null,
      reason: product.reason,
    };
  }
  const daily = product.opioids.length > 0 ? dailyDose(resource, product) : undefined;
  const tally = tallyIngredients(product, daily, routeOf(product.doseForm.route, resource));
  const { ingredients, parts, counted } = tally;
  const base = { ...linked, label: product.label, interval, ingredients };
  const excluded = recordExclusion(resourceType, resource, product);
  if (excluded !== null) {
    return { ...base, ...excluded, kind: 'excluded', mmePerDay: null };
  }
  if (daily?.kind === 'unknown' && tally.dosed.size > 0) {
    const names = ingredients
      .filter((i) => tally.dosed.has(i.rxcui))
      .map((i) => i.name)
      .join(' and ');
    const explanation = `${names}: MME unknown: ${daily.detail}`;
    return { ...base, explanation, kind: 'unknown', mmePerDay: null, reason: daily.reason };
  }
  if (counted === 0) {
    const explanation = parts.join('; ');
    return tally.routeUnknown !== undefined
      ? { ...base, explanation, kind: 'unknown', mmePerDay: null, reason: 'route-unknown' }
      : { ...base, explanation, kind: 'excluded', mmePerDay: null, reason: tally.exclusion };
  }
  const mmePerDay = clean(tally.total);
  return {
    ...base,
    explanation: joinExplanations(parts, counted, mmePerDay),
    kind: 'counted',
    mmePerDay,
    reason: null,
    totalGroup: totalGroup(subject, product, mmePerDay),
  };
}

/**
 * MME of every MedicationStatement and MedicationRequest among `resources` (a search result's
 * resources, NDJSON lines, a Bundle's entries), resolving medicationReference against the
 * Medications among them (by "Medication/<id>" and, when given, by Bundle fullUrl), with the
 * Conditions among them as context (an opioid use disorder makes methadone and buprenorphine OUD
 * treatment: applyOudTreatment), and linked by reconcileMme (statements basedOn a counted
 * request excluded, renewed requests ended).
 */
export function computeMmeForResources(
  resources: readonly unknown[],
  fullUrls: Iterable<readonly [string, unknown]> = [],
): readonly MedicationMmeResult[] {
  const resolve = medicationResolver(resources, fullUrls);
  const results: MedicationMmeResult[] = [];
  for (const resource of resources) {
    const type = isRecord(resource) ? resource['resourceType'] : undefined;
    if (type === 'MedicationStatement' || type === 'MedicationRequest') {
      results.push(computeMedicationMme(resource, resolve));
    }
  }
  return reconcileMme(applyOudTreatment(results, oudConditions(resources)));
}

/**
 * Total MME/day of the counted results, each prescription once (reconcileMme, then overlapping
 * days of one `totalGroup` once). With `asOf` (ISO date) only what is active that day (open ends
 * run to asOf; an invalid asOf gives 0); without it every counted result whatever its dates, with
 * only overlapping intervals of one group counted once.
 */
export function totalMmePerDay(results: readonly MedicationMmeResult[], asOf?: string): number {
  const day = asOf === undefined ? undefined : dayIndex(asOf);
  if (asOf !== undefined && day === undefined) {
    return 0;
  }
  let total = 0;
  forEachCountedSegment(results, day, (first, last, mmePerDay) => {
    if (day === undefined || (first <= day && day <= last)) {
      total += mmePerDay;
    }
  });
  return clean(total);
}

export type { ActiveInterval } from './activity.ts';
export { isActiveOn } from './activity.ts';
export { MME_FACTOR_TABLE } from './factors.ts';
export { NLM_ATTRIBUTION } from './opioidTable.generated.ts';
export { bundleEntries, medicationResolver } from './resolver.ts';
export type {
  ExclusionReason,
  IngredientMme,
  MedicationMmeResult,
  UnknownReason,
} from './result.ts';
export type { MmeChange, MmeSummary, NotInTotalRecord } from './summary.ts';
export { summariseMme } from './summary.ts';
export type { DoseChangeWindow, DoseTrajectory, WindowDirection } from './trajectory.ts';
export { DOSE_CHANGE_RULES, headlineWindow } from './trajectory.ts';
export type { OudCondition } from './oudTreatment.ts';
export type { MmePoint, TimelineWindow } from './timeline.ts';
export { mmeTimeline } from './timeline.ts';
export type {
  MedicationRecord,
  NaloxoneReason,
  OpioidRecord,
  OpioidRiskContext,
  RiskPrompt,
} from './riskContext.ts';
export { opioidRiskContext } from './riskContext.ts';
