/**
 * Which product a MedicationStatement or MedicationRequest is about: its opioid ingredients with
 * strengths and its dose form. Order of evidence: an RxNorm code found in the generated table; the
 * Medication's own ingredient list (with strength Ratios); the RxNorm normalized name in
 * coding.display or text; finally an opioid word in the text with no strength (mass doses only).
 * medicationReference resolves from `contained` ("#id") or through the caller's resolver (Bundle
 * entries, _include'd Medications).
 */
import {
  BENZODIAZEPINE_MEDICATIONS,
  NALOXONE_MEDICATIONS,
} from '../codes/cdcValueSets.generated.ts';
import { codingInValueSet } from '../codes/valueSets.ts';
import type { DoseForm } from './doseForm.ts';
import { classifyDoseForm } from './doseForm.ts';
import type { OpioidComponent, StrengthUnit } from './drugTable.ts';
import { lookupDrug, opioidInText, opioidNameByRxcui } from './drugTable.ts';
import { parseRxNormName } from './rxnormName.ts';
import type { JsonRecord } from '../fhir-primitives/json.ts';
import { isRecord, num, rec, recs, str } from '../fhir-primitives/json.ts';
import { mgPerUnit } from '../fhir-primitives/quantities.ts';
import { RXNORM_SYSTEM } from '../fhir-primitives/codings.ts';

/**
 * Looks up a Medication by a reference string ("Medication/123", a fullUrl, "urn:uuid:…").
 * Typed loosely because what it returns is checked anyway; mme.ts gives callers the FHIR type.
 */
export type MedicationResolver = (reference: string) => unknown;

export interface ResolvedProduct {
  readonly kind: 'product';
  readonly source:
    'rxnorm-table' | 'medication-ingredients' | 'rxnorm-name' | 'ingredient-name' | 'value-set';
  readonly rxcui: string | null;
  readonly label: string;
  readonly doseForm: DoseForm;
  /** Hours one unit lasts, from the RxNorm name ("72 HR" patch); 0 when unknown. */
  readonly durationHours: number;
  readonly opioids: readonly OpioidComponent[];
}

export type ProductUnknownReason =
  'no-medication' | 'unresolved-reference' | 'unknown-rxcui' | 'unparseable-name';

export type ProductResolution =
  | ResolvedProduct
  | {
      readonly kind: 'unknown';
      readonly reason: ProductUnknownReason;
      readonly detail: string;
      readonly label: string;
    };

/** CDC value sets of drugs that are not opioids (for codes missing from the 2020 opioid table). */
const NON_OPIOID_SETS = [BENZODIAZEPINE_MEDICATIONS, NALOXONE_MEDICATIONS];

function rxnormCodes(concept: JsonRecord | undefined): string[] {
  const codes: string[] = [];
  for (const coding of recs(concept, 'coding')) {
    const system = str(coding, 'system');
    const code = str(coding, 'code');
    if (
      code !== undefined &&
      system !== undefined &&
      (system === RXNORM_SYSTEM || system.toLowerCase().includes('rxnorm'))
    ) {
      codes.push(code);
    }
  }
  return codes;
}

function names(concept: JsonRecord | undefined): string[] {
  const displays = recs(concept, 'coding')
    .map((coding) => str(coding, 'display'))
    .filter((d): d is string => d !== undefined);
  const text = str(concept, 'text');
  return text === undefined ? displays : [...displays, text];
}

function conceptLabel(concept: JsonRecord | undefined): string | undefined {
  const text = str(concept, 'text');
  if (text !== undefined) {
    return text;
  }
  for (const coding of recs(concept, 'coding')) {
    const display = str(coding, 'display');
    if (display !== undefined) {
      return display;
    }
  }
  return undefined;
}

function safeResolve(resolve: MedicationResolver, reference: string): unknown {
  try {
    return resolve(reference);
  } catch {
    return undefined;
  }
}

/** The Medication a resource points at, from `contained` or the resolver; undefined if none. */
function referencedMedication(
  resource: unknown,
  resolve: MedicationResolver,
): JsonRecord | undefined {
  const reference = str(rec(resource, 'medicationReference'), 'reference');
  if (reference === undefined) {
    return undefined;
  }
  const found = reference.startsWith('#')
    ? recs(resource, 'contained').find((c) => `#${str(c, 'id') ?? ''}` === reference)
    : safeResolve(resolve, reference);
  return isRecord(found) && found['resourceType'] === 'Medication' ? found : undefined;
}

const COUNT_UNITS =
  /^(1|\{?(tbl|tab|tablet|tabs|cap|capsule|each|ea|unit|patch|dose|film|lozenge|suppository)s?\}?)$/i;

/** A Medication.ingredient.strength Ratio as mg per tablet / mL / hour / actuation. */
function ratioStrength(
  ratio: JsonRecord | undefined,
): { strength: number; unit: StrengthUnit } | undefined {
  const numerator = rec(ratio, 'numerator');
  const denominator = rec(ratio, 'denominator');
  const value = num(numerator, 'value');
  const toMg = mgPerUnit(str(numerator, 'code') ?? str(numerator, 'unit') ?? '');
  const per = num(denominator, 'value') ?? 1;
  if (value === undefined || value < 0 || toMg === undefined || per <= 0) {
    return undefined;
  }
  const perUnit = (str(denominator, 'code') ?? str(denominator, 'unit') ?? '1').toLowerCase();
  const unit: StrengthUnit | undefined = COUNT_UNITS.test(perUnit)
    ? 'mg'
    : perUnit === 'ml'
      ? 'mg/mL'
      : perUnit === 'h' || perUnit === 'hr'
        ? 'mg/hr'
        : perUnit.includes('actuat')
          ? 'mg/actuat'
          : undefined;
  return unit === undefined ? undefined : { strength: (value * toMg) / per, unit };
}

/** Opioid components of a Medication.ingredient list (non-opioid ingredients skipped). */
function ingredientOpioids(medication: JsonRecord): OpioidComponent[] {
  const found: OpioidComponent[] = [];
  for (const ingredient of recs(medication, 'ingredient')) {
    const concept = rec(ingredient, 'itemCodeableConcept');
    const byCode = rxnormCodes(concept)
      .map((code) => ({ rxcui: code, name: opioidNameByRxcui(code) }))
      .find((hit) => hit.name !== undefined);
    const text = [...names(concept), str(rec(ingredient, 'itemReference'), 'display') ?? ''].join(
      ' ',
    );
    const opioid =
      byCode?.name !== undefined ? { rxcui: byCode.rxcui, name: byCode.name } : opioidInText(text);
    if (opioid !== undefined) {
      const strength = ratioStrength(rec(ingredient, 'strength'));
      found.push({ ...opioid, strength: strength?.strength ?? null, unit: strength?.unit ?? null });
    }
  }
  return found;
}

function fromName(
  name: string,
  label: string,
  doseFormName: string | undefined,
): ResolvedProduct | undefined {
  const parsed = parseRxNormName(name);
  if (parsed.kind === 'parsed') {
    const opioids: OpioidComponent[] = [];
    for (const c of parsed.components) {
      const opioid = opioidInText(c.text);
      if (opioid !== undefined) {
        opioids.push({ ...opioid, strength: c.strength, unit: c.unit });
      }
    }
    return {
      kind: 'product',
      source: 'rxnorm-name',
      rxcui: null,
      label,
      doseForm: classifyDoseForm(doseFormName ?? parsed.doseFormName),
      durationHours: parsed.durationHours,
      opioids,
    };
  }
  return undefined;
}

/** What a record says about its product, read once for every way of resolving it. */
interface ProductClues {
  readonly reference: JsonRecord | undefined;
  readonly medication: JsonRecord | undefined;
  readonly concept: JsonRecord | undefined;
  readonly formName: string | undefined;
  /** RxNorm codes of the record's (or its Medication's) code. */
  readonly codes: readonly string[];
  readonly label: string;
  /** Names to read the product from: the code's texts, else the reference's display. */
  readonly names: readonly string[];
}

function productClues(resource: unknown, resolve: MedicationResolver): ProductClues {
  const reference = rec(resource, 'medicationReference');
  const medication = referencedMedication(resource, resolve);
  const concept = medication ? rec(medication, 'code') : rec(resource, 'medicationCodeableConcept');
  const codes = rxnormCodes(concept);
  return {
    reference,
    medication,
    concept,
    formName: conceptLabel(rec(medication, 'form')),
    codes,
    label:
      conceptLabel(concept) ??
      str(reference, 'display') ??
      (codes[0] === undefined ? 'unnamed medication' : `RxNorm ${codes[0]}`),
    names: [...names(concept), ...(medication ? [] : [str(reference, 'display') ?? ''])],
  };
}

/** A clinical drug code of the 2020 RxNorm opioid table. */
function fromTable(clues: ProductClues): ResolvedProduct | undefined {
  const drug = clues.codes.map(lookupDrug).find((d) => d !== undefined);
  return drug === undefined
    ? undefined
    : {
        kind: 'product',
        source: 'rxnorm-table',
        rxcui: drug.rxcui,
        label: clues.label,
        doseForm: classifyDoseForm(drug.doseFormName),
        durationHours: drug.durationHours,
        opioids: drug.components,
      };
}

/** The Medication's ingredients, else an RxNorm-style name ("oxycodone 5 MG Oral Tablet"). */
function fromIngredientsOrName(clues: ProductClues): ResolvedProduct | undefined {
  const { medication, formName, label } = clues;
  const named = clues.names
    .map((name) => fromName(name, label, formName))
    .find((p) => p !== undefined);
  if (medication && recs(medication, 'ingredient').length > 0) {
    const opioids = ingredientOpioids(medication);
    if (opioids.length > 0 || named === undefined) {
      return {
        kind: 'product',
        source: 'medication-ingredients',
        rxcui: clues.codes[0] ?? null,
        label,
        doseForm: classifyDoseForm(formName ?? named?.doseForm.name ?? label),
        durationHours: named?.durationHours ?? 0,
        opioids,
      };
    }
  }
  return named;
}

/**
 * An opioid named in the text ("oxycodone hydrochloride"), or an ingredient-level code (some EHRs
 * code RxCUI 7804 "oxycodone"): no strength, so only mass doses count.
 */
function fromIngredientLevel(clues: ProductClues): ResolvedProduct | undefined {
  const { codes, formName, label } = clues;
  const base = { kind: 'product', source: 'ingredient-name', label, durationHours: 0 } as const;
  const doseForm = classifyDoseForm(formName ?? label);
  const opioid = clues.names.map(opioidInText).find((hit) => hit !== undefined);
  if (opioid) {
    return { ...base, rxcui: null, doseForm, opioids: [{ ...opioid, strength: null, unit: null }] };
  }
  for (const code of codes) {
    const name = opioidNameByRxcui(code);
    if (name !== undefined) {
      return {
        ...base,
        rxcui: code,
        doseForm,
        opioids: [{ rxcui: code, name, strength: null, unit: null }],
      };
    }
  }
  return undefined;
}

/** A benzodiazepine or naloxone code of the CDC value sets: known not to be an opioid. */
function fromNonOpioidSets(clues: ProductClues): ResolvedProduct | undefined {
  const nonOpioid = clues.codes.some((code) =>
    NON_OPIOID_SETS.some(
      (set) => codingInValueSet(set, [{ system: RXNORM_SYSTEM, code }]) !== undefined,
    ),
  );
  return nonOpioid
    ? {
        kind: 'product',
        source: 'value-set',
        rxcui: clues.codes[0] ?? null,
        label: clues.label,
        doseForm: classifyDoseForm(clues.formName ?? clues.label),
        durationHours: 0,
        opioids: [],
      }
    : undefined;
}

/** Why no product could be resolved. */
function unresolved(clues: ProductClues): ProductResolution {
  const { codes, concept, reference, label } = clues;
  if (codes.length > 0) {
    return {
      kind: 'unknown',
      reason: 'unknown-rxcui',
      detail: `RxCUI ${codes.join(', ')} is not in the opioid table (RxNorm 2020-10-20) and no drug name could be read`,
      label,
    };
  }
  if (concept === undefined && reference === undefined) {
    return { kind: 'unknown', reason: 'no-medication', detail: 'no medication given', label };
  }
  return {
    kind: 'unknown',
    reason: 'unparseable-name',
    detail: `cannot identify the drug "${label}"`,
    label,
  };
}

/**
 * Resolves the product of a MedicationStatement / MedicationRequest (any shape; never throws):
 * the first of the RxNorm table, the Medication's ingredients or an RxNorm-style name, an opioid
 * ingredient named or coded, the CDC non-opioid value sets; else why it cannot be told.
 * A product with no opioid ingredient comes back with `opioids: []`.
 */
export function resolveProduct(resource: unknown, resolve: MedicationResolver): ProductResolution {
  const clues = productClues(resource, resolve);
  const { reference, medication, concept } = clues;
  if (
    reference !== undefined &&
    medication === undefined &&
    str(reference, 'display') === undefined &&
    concept === undefined
  ) {
    return {
      kind: 'unknown',
      reason: 'unresolved-reference',
      detail: `medication ${str(reference, 'reference') ?? '(no reference)'} not found in the input`,
      label: clues.label,
    };
  }
  return (
    fromTable(clues) ??
    fromIngredientsOrName(clues) ??
    fromIngredientLevel(clues) ??
    fromNonOpioidSets(clues) ??
    unresolved(clues)
  );
}

/** The codings that name a record's medication (its own code, or its Medication's), and its label. */
export function medicationCodings(
  resource: unknown,
  resolve: MedicationResolver,
): {
  readonly codings: readonly { system: string | undefined; code: string | undefined }[];
  readonly label: string;
} {
  const medication = referencedMedication(resource, resolve);
  const concept = medication ? rec(medication, 'code') : rec(resource, 'medicationCodeableConcept');
  const codings = recs(concept, 'coding').map((c) => ({
    system: str(c, 'system'),
    code: str(c, 'code'),
  }));
  const label =
    conceptLabel(concept) ??
    str(rec(resource, 'medicationReference'), 'display') ??
    'unnamed medication';
  return { codings, label };
}
