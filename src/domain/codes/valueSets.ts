/**
 * Membership in the generated CDC value sets (cdcValueSets.generated.ts): by system + code, never
 * by display. ICD-10-CM codes compare without their dot and case-insensitively, as in codeMatch.ts;
 * the OIDs some EHRs send for ICD-10-CM, SNOMED CT and RxNorm are accepted.
 */
import type { CdcValueSet } from './cdcValueSets.generated.ts';
import type { CodingLike } from '../fhir-primitives/codings.ts';
import {
  ICD10CM_SYSTEM,
  ICD10CM_SYSTEMS,
  RXNORM_SYSTEM,
  SNOMED_SYSTEM,
  SNOMED_SYSTEMS,
} from '../fhir-primitives/codings.ts';
import { normalizeIcd10 } from './codeMatch.ts';
const RXNORM_SYSTEMS: readonly string[] = [RXNORM_SYSTEM, 'urn:oid:2.16.840.1.113883.6.88'];

function canonicalSystem(system: string): string | undefined {
  if (ICD10CM_SYSTEMS.includes(system)) {
    return ICD10CM_SYSTEM;
  }
  if (SNOMED_SYSTEMS.includes(system)) {
    return SNOMED_SYSTEM;
  }
  return RXNORM_SYSTEMS.includes(system) ? RXNORM_SYSTEM : undefined;
}

const key = (system: string, code: string): string =>
  `${system}|${system === ICD10CM_SYSTEM ? normalizeIcd10(code) : code.trim()}`;

const INDEXES = new WeakMap<CdcValueSet, ReadonlySet<string>>();

function index(set: CdcValueSet): ReadonlySet<string> {
  let found = INDEXES.get(set);
  if (found === undefined) {
    found = new Set(set.codes.flatMap(([system, codes]) => codes.map((c) => key(system, c))));
    INDEXES.set(set, found);
  }
  return found;
}

/** The first coding that is in the value set, or undefined. */
export function codingInValueSet(
  set: CdcValueSet,
  codings: readonly CodingLike[] | undefined,
): CodingLike | undefined {
  const members = index(set);
  return (codings ?? []).find((coding) => {
    const system = coding.system === undefined ? undefined : canonicalSystem(coding.system);
    return (
      system !== undefined && coding.code !== undefined && members.has(key(system, coding.code))
    );
  });
}
