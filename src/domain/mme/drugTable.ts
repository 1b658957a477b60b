/**
 * Lookups over the generated RxNorm opioid table (opioidTable.generated.ts): clinical drug RxCUI →
 * dose form and opioid ingredient strengths; opioid ingredient names ↔ RxCUIs.
 */
import type { StrengthUnitCode } from './opioidTable.generated.ts';
import { DOSE_FORMS, OPIOID_DRUGS, OPIOID_INGREDIENTS } from './opioidTable.generated.ts';

/** Strength of one opioid ingredient per unit of product: per tablet/capsule/…, per mL, per hour (patches), per actuation. */
export type StrengthUnit = 'mg' | 'mg/mL' | 'mg/hr' | 'mg/actuat';

export interface OpioidComponent {
  readonly rxcui: string;
  /** Lower-case ingredient name without salt ("oxycodone"). */
  readonly name: string;
  /** Strength in `unit`, or null when the product did not say (then only mass doses work). */
  readonly strength: number | null;
  readonly unit: StrengthUnit | null;
}

export interface TableDrug {
  readonly rxcui: string;
  readonly doseFormName: string | null;
  /** From the RxNorm name's "72 HR" prefix: how long one patch is worn; 0 if the name has none. */
  readonly durationHours: number;
  readonly components: readonly OpioidComponent[];
}

const UNIT_OF: Readonly<Record<StrengthUnitCode, StrengthUnit>> = {
  MG: 'mg',
  'MG/ML': 'mg/mL',
  'MG/HR': 'mg/hr',
  'MG/ACTUAT': 'mg/actuat',
};

const ingredientName = new Map<string, string>(
  OPIOID_INGREDIENTS.map(([code, name]) => [String(code), name]),
);
const ingredientRxcui = new Map<string, string>(
  OPIOID_INGREDIENTS.map(([code, name]) => [name, String(code)]),
);
const doseFormName = new Map<number, string>(DOSE_FORMS);

const drugs = new Map<string, TableDrug>();
for (const [drug, form, ingredient, strength, unitCode, hours] of OPIOID_DRUGS) {
  const key = String(drug);
  const component: OpioidComponent = {
    rxcui: String(ingredient),
    name: ingredientName.get(String(ingredient)) ?? String(ingredient),
    strength,
    unit: UNIT_OF[unitCode],
  };
  const existing = drugs.get(key);
  // Two salts of one opioid in one product (oxycodone HCl + terephthalate) add up.
  const same = existing?.components.find(
    (c) => c.rxcui === component.rxcui && c.unit === component.unit,
  );
  const components =
    existing === undefined
      ? [component]
      : same === undefined
        ? [...existing.components, component]
        : existing.components.map((c) =>
            c === same ? { ...c, strength: (c.strength ?? 0) + strength } : c,
          );
  drugs.set(key, {
    rxcui: key,
    doseFormName: doseFormName.get(form) ?? null,
    durationHours: hours,
    components,
  });
}

/** The table's entry for a clinical drug RxCUI, if the 2020-10-20 table has it. */
export function lookupDrug(rxcui: string): TableDrug | undefined {
  return drugs.get(rxcui);
}

/** Lower-case name of an opioid ingredient RxCUI, if it is one. */
export function opioidNameByRxcui(rxcui: string): string | undefined {
  return ingredientName.get(rxcui);
}

/**
 * The opioid an ingredient text names, salt and brand words aside: "oxycodone hydrochloride" →
 * oxycodone; "Hydrocodone Bitartrate" → hydrocodone; "acetaminophen" → undefined.
 * Whole words only, so "benzhydrocodone" is not hydrocodone.
 */
export function opioidInText(text: string): { rxcui: string; name: string } | undefined {
  for (const word of text.toLowerCase().split(/[^a-z]+/)) {
    const rxcui = ingredientRxcui.get(word);
    if (rxcui !== undefined) {
      return { rxcui, name: word };
    }
  }
  return undefined;
}
