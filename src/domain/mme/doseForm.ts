/**
 * What a dose form means for dose arithmetic: its route (the CDC 2022 fentanyl factor covers the
 * transdermal route only) and the unit one administration is counted in (tablet, patch, mL …).
 * Classified from the RxNorm dose form name ("Extended Release Oral Tablet", "Transdermal System",
 * "Oral Solution"), so a form absent from the generated table still classifies.
 */
import { rec, recs, str } from '../fhir-primitives/json.ts';

export type DoseRoute =
  'oral' | 'transdermal' | 'transmucosal' | 'nasal' | 'rectal' | 'parenteral' | 'other';

/** The unit a count dose of this form is in; 'mL' for liquids; null when unclear (packs, kits). */
export type DoseFormUnit =
  'tablet' | 'capsule' | 'patch' | 'film' | 'lozenge' | 'suppository' | 'actuation' | 'mL' | null;

export interface DoseForm {
  /** RxNorm dose form name as found, or null when the product did not say. */
  readonly name: string | null;
  readonly route: DoseRoute;
  readonly unit: DoseFormUnit;
}

const ROUTES: readonly (readonly [RegExp, DoseRoute])[] = [
  [/transdermal|\bpatch/i, 'transdermal'],
  [
    /inject|syringe|cartridge|implant|intravenous|infusion|subcutaneous|intramuscular|epidural|intrathecal/i,
    'parenteral',
  ],
  [/buccal|sublingual|lozenge|troche|mucosal/i, 'transmucosal'],
  [/nasal/i, 'nasal'],
  [/rectal|suppositor/i, 'rectal'],
  [/oral|tablet|capsule|solution|suspension|syrup|elixir|liquid|concentrate/i, 'oral'],
];

const PACK = /\bpack\b|\bkit\b/i;

const UNITS: readonly (readonly [RegExp, Exclude<DoseFormUnit, null>])[] = [
  [/transdermal|\bpatch/i, 'patch'],
  [/suppositor/i, 'suppository'],
  [/lozenge|troche/i, 'lozenge'],
  [/\bfilm\b/i, 'film'],
  [/spray|actuat|inhal/i, 'actuation'],
  [/tablet/i, 'tablet'],
  [/capsule/i, 'capsule'],
  [/solution|suspension|syrup|elixir|liquid|concentrate|inject|syringe|cartridge/i, 'mL'],
];

/** Classifies an RxNorm dose form name; an absent or unrecognised name gives route 'other', unit null. */
export function classifyDoseForm(name: string | null | undefined): DoseForm {
  if (name === undefined || name === null || name.trim() === '') {
    return NO_FORM;
  }
  const cached = cache.get(name);
  if (cached !== undefined) {
    return cached;
  }
  const form = classify(name);
  if (cache.size < CACHE_LIMIT) {
    cache.set(name, form);
  }
  return form;
}

const NO_FORM: DoseForm = { name: null, route: 'other', unit: null };
/** Dose form names repeat across a chart; classification is pure, so it is remembered (bounded). */
const CACHE_LIMIT = 5000;
const cache = new Map<string, DoseForm>();

function classify(name: string): DoseForm {
  const route = ROUTES.find(([pattern]) => pattern.test(name))?.[1] ?? 'other';
  // A pack or kit holds several products, so one "unit" of it has no single strength.
  const unit = PACK.test(name)
    ? null
    : (UNITS.find(([pattern]) => pattern.test(name))?.[1] ?? null);
  return { name, route, unit };
}

/**
 * The route a Dosage states (Dosage.route text or display, read with the dose form patterns:
 * "Oral route", "Intravenous route", "Transdermal route"), or 'other' when it says none.
 */
export function dosageRoute(dosage: unknown): DoseRoute {
  const route = rec(dosage, 'route');
  const words = [str(route, 'text'), ...recs(route, 'coding').map((c) => str(c, 'display'))];
  for (const word of words) {
    const found = word === undefined ? 'other' : classifyDoseForm(word).route;
    if (found !== 'other') {
      return found;
    }
  }
  return 'other';
}
