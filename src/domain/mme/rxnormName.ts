/**
 * Parser for RxNorm normalized clinical drug names, used when a code is missing from the 2020
 * table (RxNorm moves on) but coding.display or text carries the name:
 *   "oxycodone hydrochloride 5 MG Oral Tablet"
 *   "72 HR fentanyl 0.025 MG/HR Transdermal System"
 *   "acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet [Norco]"
 * Shape: [quantity factor] ingredient strength unit { / ingredient strength unit } dose form [brand].
 * Case-insensitive, lenient about "5mg" for "5 MG"; packs ("{…} Pack") are not parsed.
 */
import type { StrengthUnit } from './drugTable.ts';
import { mgPerUnit } from '../fhir-primitives/quantities.ts';

export interface ParsedComponent {
  /** The ingredient as written, e.g. "oxycodone hydrochloride". */
  readonly text: string;
  /** Strength converted to `unit`, or null for units the MME engine does not use (UNT, MEQ, %). */
  readonly strength: number | null;
  readonly unit: StrengthUnit | null;
}

export type ParsedName =
  | {
      readonly kind: 'parsed';
      readonly components: readonly ParsedComponent[];
      readonly doseFormName: string | null;
      /** From a "72 HR" / "7 DAY" prefix; 0 when absent. */
      readonly durationHours: number;
    }
  | { readonly kind: 'unparseable'; readonly detail: string };

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const PREFIX = new RegExp(String.raw`^${NUMBER}\s*(HR|HRS|HOUR|HOURS|DAY|DAYS|ML|ACTUAT)\s+`, 'i');
/** RxNorm names are well under this; longer text is free text, not a name (and bounds regex work). */
const MAX_NAME_LENGTH = 400;
const BRAND = /\s*\[[^\]]*\]\s*$/;
const COMPONENT = new RegExp(
  String.raw`^(.*?[a-z)].*?)\s+${NUMBER}\s*([a-z%]+)(?:\s*\/\s*${NUMBER}?\s*(ML|HR|H|ACTUAT))?(?:\s+(.+))?$`,
  'i',
);

const PER_UNIT: Readonly<Record<string, StrengthUnit>> = {
  ml: 'mg/mL',
  hr: 'mg/hr',
  h: 'mg/hr',
  actuat: 'mg/actuat',
};

function component(
  text: string,
  value: string,
  unit: string,
  perAmount: string | undefined,
  per: string | undefined,
): ParsedComponent {
  const toMg = mgPerUnit(unit);
  const perDivisor = perAmount === undefined ? 1 : Number(perAmount);
  const strengthUnit: StrengthUnit | undefined =
    per === undefined ? 'mg' : PER_UNIT[per.toLowerCase()];
  if (toMg === undefined || strengthUnit === undefined || !(perDivisor > 0)) {
    return { text: text.trim(), strength: null, unit: null };
  }
  return { text: text.trim(), strength: (Number(value) * toMg) / perDivisor, unit: strengthUnit };
}

/** Names repeat across a chart and parsing is pure, so results are remembered (bounded). */
const CACHE_LIMIT = 5000;
const cache = new Map<string, ParsedName>();

/** Parses an RxNorm-style clinical drug name; never throws. */
export function parseRxNormName(name: string): ParsedName {
  const cached = cache.get(name);
  if (cached !== undefined) {
    return cached;
  }
  const parsed = parse(name);
  if (cache.size < CACHE_LIMIT) {
    cache.set(name, parsed);
  }
  return parsed;
}

function parse(name: string): ParsedName {
  let rest = name.trim().replace(BRAND, '');
  if (rest === '' || rest.startsWith('{') || rest.length > MAX_NAME_LENGTH) {
    return { kind: 'unparseable', detail: `cannot read a drug and strength from "${name}"` };
  }
  let durationHours = 0;
  const prefix = PREFIX.exec(rest);
  if (prefix) {
    const unit = (prefix[2] ?? '').toUpperCase();
    if (unit.startsWith('H') || unit.startsWith('D')) {
      durationHours = Number(prefix[1]) * (unit.startsWith('D') ? 24 : 1);
    }
    rest = rest.slice(prefix[0].length);
  }
  const parts = rest.split(/\s+\/\s+/);
  const components: ParsedComponent[] = [];
  let doseFormName: string | null = null;
  for (const [i, part] of parts.entries()) {
    const match = COMPONENT.exec(part.trim());
    if (!match?.[1] || match[2] === undefined || match[3] === undefined) {
      return { kind: 'unparseable', detail: `cannot read a drug and strength from "${name}"` };
    }
    const trailing = match[6];
    if (trailing !== undefined && i < parts.length - 1) {
      return { kind: 'unparseable', detail: `cannot read a drug and strength from "${name}"` };
    }
    components.push(component(match[1], match[2], match[3], match[4], match[5]));
    doseFormName = trailing?.trim() ?? null;
  }
  return { kind: 'parsed', components, doseFormName, durationHours };
}
