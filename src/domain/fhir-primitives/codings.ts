/**
 * Code system URIs (https://terminology.hl7.org) and coding tests. Codings match on system and
 * code, never on display text.
 */

export const LOINC_SYSTEM = 'http://loinc.org';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';
export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

/** ICD-10-CM: the FHIR URI and the HL7 OID some EHRs still send. */
export const ICD10CM_SYSTEMS: readonly string[] = [
  ICD10CM_SYSTEM,
  'urn:oid:2.16.840.1.113883.6.90',
];
/** SNOMED CT: the FHIR URI and the HL7 OID. */
export const SNOMED_SYSTEMS: readonly string[] = [SNOMED_SYSTEM, 'urn:oid:2.16.840.1.113883.6.96'];

export interface CodingLike {
  readonly system?: string | undefined;
  readonly code?: string | undefined;
}

/** True when one of the codings is `system`|`code`. */
function hasCoding(
  codings: readonly CodingLike[] | undefined,
  system: string,
  code: string,
): boolean {
  return (codings ?? []).some((c) => c.system === system && c.code === code);
}

/** True when one of the codings is the LOINC code. */
export function hasLoinc(codings: readonly CodingLike[] | undefined, code: string): boolean {
  return hasCoding(codings, LOINC_SYSTEM, code);
}
