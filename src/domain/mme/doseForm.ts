/**
 * What a dose form means for dose arithmetic: its route (the CDC 2022 fentanyl factor covers the
 * transdermal route only) and the unit one administration is counted in (tablet, patch, mL …).
 * Classified from the RxNorm dose form name ("Extended Release Oral Tablet", "Transdermal System",
 * "Oral Solution"), so a form absent from the generated table still classifies.
 */
import { SNOMED_SYSTEMS } from '../fhir-primitives/codings.ts';
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

const V3_ROUTE_SYSTEMS: readonly string[] = [
  'http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration',
  'http://hl7.org/fhir/v3/RouteOfAdministration',
  'urn:oid:2.16.840.1.113883.5.112',
];

/**
 * Route codes read without their display. SNOMED CT: the FHIR R4 example value set "SNOMED CT
 * Route Codes" (http://hl7.org/fhir/ValueSet/route-codes, descendants of 284009009 "Route of
 * administration values"): 26643006 Oral route, 45890007 Transdermal route, 37839007 Sublingual
 * route, 54471007 Buccal route, 46713006 Nasal route, 37161004 Per rectum, 47625008 Intravenous
 * route, 78421000 Intramuscular route, 34206005 Subcutaneous route. HL7 v3 RouteOfAdministration
 * (2.16.840.1.113883.5.112, FHIR R4 terminology): PO "Swallow, oral", CHEW "Chew, oral",
 * SUCK "Suck, oromucosal", TRNSLING "Translingual", IM "Injection, intramuscular". Any other code
 * falls back to the coding's display and the route's text; none at all = not stated ('other').
 */
const ROUTE_CODES: readonly (readonly [
  systems: readonly string[],
  codes: Readonly<Record<string, DoseRoute>>,
])[] = [
  [
    SNOMED_SYSTEMS,
    {
      '26643006': 'oral',
      '45890007': 'transdermal',
      '37839007': 'transmucosal',
      '54471007': 'transmucosal',
      '46713006': 'nasal',
      '37161004': 'rectal',
      '47625008': 'parenteral',
      '78421000': 'parenteral',
      '34206005': 'parenteral',
    },
  ],
  [
    V3_ROUTE_SYSTEMS,
    { PO: 'oral', CHEW: 'oral', SUCK: 'transmucosal', TRNSLING: 'transmucosal', IM: 'parenteral' },
  ],
];

function codedRoute(coding: unknown): DoseRoute | undefined {
  const system = str(coding, 'system');
  const code = str(coding, 'code')?.trim();
  if (system === undefined || code === undefined) {
    return undefined;
  }
  const table = ROUTE_CODES.find(([systems]) => systems.includes(system))?.[1];
  return table !== undefined && Object.hasOwn(table, code) ? table[code] : undefined;
}

/**
 * The route a Dosage states: a known route code (ROUTE_CODES), else Dosage.route text or a
 * coding's display read with the dose form patterns ("Oral route", "Intravenous route",
 * "Transdermal route"), or 'other' when it says none.
 */
export function dosageRoute(dosage: unknown): DoseRoute {
  const route = rec(dosage, 'route');
  for (const coding of recs(route, 'coding')) {
    const coded = codedRoute(coding);
    if (coded !== undefined) {
      return coded;
    }
  }
  const words = [str(route, 'text'), ...recs(route, 'coding').map((c) => str(c, 'display'))];
  for (const word of words) {
    const found = word === undefined ? 'other' : classifyDoseForm(word).route;
    if (found !== 'other') {
      return found;
    }
  }
  return 'other';
}
