/**
 * Matching codings against the code tables in this folder: by system + code, never by display.
 * ICD-10-CM codes compare without their dot and case-insensitively ('M54.50' = 'm5450').
 */
import { ICD10CM_SYSTEMS, SNOMED_SYSTEMS } from '../fhir-primitives/codings.ts';
import type { CodingLike } from '../fhir-primitives/codings.ts';

/**
 * One row of a code table.
 * - `icd10`: one code; with `descendants` also every code under it ('Z85' → 'Z85.3', 'Z85.038').
 * - `icd10-range`: every code whose 3-character category lies in [from, to] ('C00'–'C96').
 * - `snomed`: exactly this concept. No SNOMED hierarchy is available here, so subtypes of a
 *   listed concept do NOT match unless they are listed too.
 */
export type CodeRule =
  | { kind: 'icd10'; code: string; descendants: boolean; display: string }
  | { kind: 'icd10-range'; from: string; to: string; display: string }
  | { kind: 'snomed'; code: string; display: string };

export function normalizeIcd10(code: string): string {
  return code.replaceAll('.', '').trim().toUpperCase();
}

function matchesIcd10(rule: CodeRule, code: string): boolean {
  const normalized = normalizeIcd10(code);
  switch (rule.kind) {
    case 'icd10': {
      const target = normalizeIcd10(rule.code);
      return rule.descendants ? normalized.startsWith(target) : normalized === target;
    }
    case 'icd10-range': {
      const category = normalized.slice(0, 3);
      return category.length === 3 && category >= rule.from && category <= rule.to;
    }
    case 'snomed':
      return false;
  }
}

/** True when the coding matches the rule (system and code; display is never read). */
export function matchesRule(rule: CodeRule, coding: CodingLike): boolean {
  if (coding.system === undefined || coding.code === undefined) {
    return false;
  }
  if (ICD10CM_SYSTEMS.includes(coding.system)) {
    return matchesIcd10(rule, coding.code);
  }
  if (SNOMED_SYSTEMS.includes(coding.system)) {
    return rule.kind === 'snomed' && rule.code === coding.code.trim();
  }
  return false;
}

/** The first rule of a table that one of the codings matches, with the coding that matched. */
export function findMatch<R extends { readonly rule: CodeRule }>(
  table: readonly R[],
  codings: readonly CodingLike[] | undefined,
): { entry: R; coding: CodingLike } | undefined {
  for (const coding of codings ?? []) {
    const entry = table.find((candidate) => matchesRule(candidate.rule, coding));
    if (entry !== undefined) {
      return { entry, coding };
    }
  }
  return undefined;
}
