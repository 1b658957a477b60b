/**
 * Daily dose of each opioid ingredient of a medication, from its Dosage entries or, failing those,
 * a MedicationRequest's dispenseRequest (quantity ÷ expected supply duration).
 *
 * - mg/day = dose per administration × strength × administrations per day (liquids: mL × mg/mL),
 *   capped by maxDosePerPeriod.
 * - Patches: mcg/hr of the patches worn at once, whatever the change schedule (CDC 2022 basis).
 * - Several Dosage entries add up; entries with different `sequence` numbers are consecutive
 *   steps (FHIR), so the highest step counts.
 */
import type { DosageUnknownReason } from './dosage.ts';
import {
  administrationsPerDay,
  dailyCaps,
  dosePerAdministration,
  isAsNeeded,
  isTextOnly,
} from './dosage.ts';
import type { OpioidComponent } from './drugTable.ts';
import { formatAmount, formatNumber } from './format.ts';
import type { AmountUnknownReason, Converted } from './ingredientAmount.ts';
import { ingredientAmount as convert, strengthText } from './ingredientAmount.ts';
import type { ResolvedProduct } from './medication.ts';
import { doseAmount, quantityDays } from './quantity.ts';
import { num, rec, recsOf } from '../fhir-primitives/json.ts';

export type DailyUnknownReason =
  | DosageUnknownReason
  | AmountUnknownReason
  | 'no-dosage'
  | 'no-supply-duration'
  | 'patch-wear-unknown'
  | 'dose-out-of-range';

export interface IngredientDaily {
  readonly component: OpioidComponent;
  /** mg/day, or for patches mcg/hr worn at once. */
  readonly dailyDose: number;
  readonly unit: 'mg' | 'mcg/hr';
  /** How the dose was reached, one term per Dosage entry added up. */
  readonly terms: readonly string[];
}

export type DailyDoseOutcome =
  | {
      readonly kind: 'daily';
      readonly basis: 'dosage' | 'dispense';
      readonly ingredients: readonly IngredientDaily[];
    }
  | { readonly kind: 'unknown'; readonly reason: DailyUnknownReason; readonly detail: string };

type Step<T> = { ok: true; value: T } | { ok: false; reason: DailyUnknownReason; detail: string };

/** Daily amount of `c` for one Dosage entry. */
function entryDaily(
  dosage: unknown,
  c: OpioidComponent,
  product: ResolvedProduct,
): Step<Converted> {
  const formUnit = product.doseForm.unit;
  const dose = dosePerAdministration(dosage, formUnit);
  if (!dose.ok) {
    return dose;
  }
  const perAdmin = convert(dose.value, c, product);
  if (!perAdmin.ok || perAdmin.value.unit === 'mcg/hr') {
    return perAdmin.ok
      ? { ok: true, value: { ...perAdmin.value, text: `${perAdmin.value.text} worn at once` } }
      : perAdmin;
  }
  const caps = dailyCaps(dosage, formUnit).flatMap((cap) => {
    const converted = convert(cap.amount, c, product);
    return converted.ok ? [{ perDay: converted.value.value / cap.days, cap }] : [];
  });
  const tightest = caps.reduce<(typeof caps)[number] | undefined>(
    (low, cap) => (low === undefined || cap.perDay < low.perDay ? cap : low),
    undefined,
  );
  const capText = tightest
    ? `max ${formatAmount(tightest.cap.amount)}${tightest.cap.days === 1 ? '/day' : ` per ${formatNumber(tightest.cap.days)} days`}`
    : '';
  const prn = isAsNeeded(dosage) ? ' as needed' : '';
  const frequency = administrationsPerDay(dosage);
  if (!frequency.ok) {
    if (tightest === undefined) {
      return frequency;
    }
    const text = `${perAdmin.value.text}${prn}, ${capText} = ${formatNumber(tightest.perDay)} mg/day`;
    return { ok: true, value: { value: tightest.perDay, unit: 'mg', text } };
  }
  const uncapped = perAdmin.value.value * frequency.value.perDay;
  const base = `${perAdmin.value.text} × ${frequency.value.text}${prn}`;
  if (tightest !== undefined && tightest.perDay < uncapped) {
    return {
      ok: true,
      value: {
        value: tightest.perDay,
        unit: 'mg',
        text: `${base}, capped at ${capText} = ${formatNumber(tightest.perDay)} mg/day`,
      },
    };
  }
  return { ok: true, value: { value: uncapped, unit: 'mg', text: base } };
}

function fromDosages(dosages: unknown[], product: ResolvedProduct): Step<IngredientDaily[]> {
  const groups = new Map<number | 'none', unknown[]>();
  if (dosages.length === 1) {
    groups.set('none', dosages);
  }
  for (const dosage of dosages.length === 1 ? [] : dosages) {
    const key = num(dosage, 'sequence') ?? 'none';
    groups.set(key, [...(groups.get(key) ?? []), dosage]);
  }
  const result: IngredientDaily[] = [];
  for (const c of product.opioids) {
    let best: IngredientDaily | undefined;
    for (const group of groups.values()) {
      let sum = 0;
      let unit: 'mg' | 'mcg/hr' = 'mg';
      const terms: string[] = [];
      for (const dosage of group) {
        const step = entryDaily(dosage, c, product);
        if (!step.ok) {
          return step;
        }
        sum += step.value.value;
        unit = step.value.unit;
        terms.push(step.value.text);
      }
      if (best === undefined || sum > best.dailyDose) {
        best = { component: c, dailyDose: sum, unit, terms };
      }
    }
    if (best !== undefined) {
      result.push(best);
    }
  }
  return { ok: true, value: result };
}

function fromDispense(
  resource: unknown,
  product: ResolvedProduct,
): Step<IngredientDaily[]> | undefined {
  const dispense = rec(resource, 'dispenseRequest');
  const quantity = doseAmount(rec(dispense, 'quantity'), product.doseForm.unit);
  if (quantity === undefined) {
    return undefined;
  }
  const days = quantityDays(rec(dispense, 'expectedSupplyDuration'));
  if (days === undefined) {
    return {
      ok: false,
      reason: 'no-supply-duration',
      detail: 'the dispensed quantity has no expected supply duration',
    };
  }
  const result: IngredientDaily[] = [];
  for (const c of product.opioids) {
    const total = convert(quantity, c, product);
    if (!total.ok) {
      return total;
    }
    if (total.value.unit === 'mg') {
      const text = `${total.value.text} ÷ ${formatNumber(days)} days`;
      result.push({ component: c, dailyDose: total.value.value / days, unit: 'mg', terms: [text] });
      continue;
    }
    if (quantity.basis !== 'count' || c.strength === null) {
      return {
        ok: false,
        reason: 'dose-unit-mismatch',
        detail: `${formatAmount(quantity)} dispensed is not a number of patches`,
      };
    }
    if (!(product.durationHours > 0)) {
      return {
        ok: false,
        reason: 'patch-wear-unknown',
        detail:
          'how long each patch is worn is not known, so patches worn at once cannot be derived from the quantity dispensed',
      };
    }
    // Patches per day × days each patch is worn = patches on the skin at any one time.
    const worn = (quantity.value / days) * (product.durationHours / 24);
    const wornText = formatAmount({ ...quantity, value: worn });
    const text =
      `${c.name} ${strengthText(c)} × (${formatAmount(quantity)} ÷ ${formatNumber(days)} days` +
      ` × ${formatNumber(product.durationHours / 24)} days each = ${wornText} worn at once)`;
    result.push({
      component: c,
      dailyDose: c.strength * 1000 * worn,
      unit: 'mcg/hr',
      terms: [text],
    });
  }
  return { ok: true, value: result };
}

/**
 * A numeric guard, not a clinical limit: no real daily dose comes within orders of magnitude of a
 * billion mg, and below it every later step (× factor, rounding, formatting) stays finite.
 */
const LARGEST_FINITE_DOSE = 1e9;

/** Absurd inputs (a period of 5e-324 s, a dose of 1e308) must not come out as Infinity or NaN. */
function inRange(outcome: DailyDoseOutcome): DailyDoseOutcome {
  const bad =
    outcome.kind === 'daily' &&
    outcome.ingredients.some(
      (i) => !(Number.isFinite(i.dailyDose) && Math.abs(i.dailyDose) < LARGEST_FINITE_DOSE),
    );
  return bad
    ? {
        kind: 'unknown',
        reason: 'dose-out-of-range',
        detail: 'the dose or frequency is out of range',
      }
    : outcome;
}

/**
 * Daily dose of each opioid ingredient of `product` for a MedicationStatement (`dosage`) or
 * MedicationRequest (`dosageInstruction`, then `dispenseRequest`). Never throws; an unusable
 * input gives `{ kind: 'unknown', reason }`.
 */
export function dailyDose(resource: unknown, product: ResolvedProduct): DailyDoseOutcome {
  const dosages = recsOf(resource, 'dosage', 'dosageInstruction');
  const usable = dosages.filter((d) => !isTextOnly(d));
  const fromDosage: Step<IngredientDaily[]> =
    usable.length > 0
      ? fromDosages(usable, product)
      : {
          ok: false,
          reason: 'no-dosage',
          detail: 'no usable dosage and no dispensed quantity with a supply duration',
        };
  if (fromDosage.ok) {
    return inRange({ kind: 'daily', basis: 'dosage', ingredients: fromDosage.value });
  }
  const fallback = fromDispense(resource, product);
  if (fallback?.ok === true) {
    return inRange({ kind: 'daily', basis: 'dispense', ingredients: fallback.value });
  }
  const failure = usable.length === 0 && fallback !== undefined ? fallback : fromDosage;
  return { kind: 'unknown', reason: failure.reason, detail: failure.detail };
}
