import type { CodeListSource } from './codeLists.ts';
import type { CodeRule } from './codeMatch.ts';

/**
 * Conditions that say the patient may be pregnant. None of these codes is in the project's
 * clinical reference (it only says "not pregnant"): the project took them from the code systems
 * named in PREGNANCY_SOURCE, and a clinician must review them before use. Chapter 15 also holds
 * puerperal codes, so an active O-code only prompts a clinician to confirm (the screening answer
 * decides); it never excludes on its own. SNOMED: the exact concept only (no hierarchy here).
 */
export const PREGNANCY_SOURCE: CodeListSource = {
  reviewStatus: 'needs-clinician-review',
  sources: [
    'ICD-10-CM tabular list (CMS/NCHS, FY2025): Z33.1 pregnant state, incidental; Z3A weeks of gestation (category); O00–O9A chapter 15, pregnancy, childbirth and the puerperium',
    'SNOMED CT International Edition: 77386006 "Pregnant (finding)"',
  ],
};

export const PREGNANCY_CODES: readonly { readonly rule: CodeRule }[] = [
  {
    rule: {
      kind: 'icd10',
      code: 'Z33.1',
      descendants: false,
      display: 'Pregnant state, incidental',
    },
  },
  { rule: { kind: 'icd10', code: 'Z3A', descendants: true, display: 'Weeks of gestation' } },
  {
    rule: {
      kind: 'icd10-range',
      from: 'O00',
      to: 'O9A',
      display: 'Pregnancy, childbirth and the puerperium',
    },
  },
  { rule: { kind: 'snomed', code: '77386006', display: 'Pregnant' } },
];

/** US Core pregnancy status Observation code (clinical.md: "US Core pregnancy status is LOINC 82810-3"). */
export const PREGNANCY_STATUS_LOINC = '82810-3';

export type PregnancyStatusValue = 'pregnant' | 'not-pregnant' | 'unknown';

/**
 * Values of a pregnancy status Observation (valueCodeableConcept). Source: US Core Pregnancy
 * Status Codes (http://hl7.org/fhir/us/core/ValueSet/us-core-pregnancy-status: the VSAC Extended
 * Pregnancy Status codes and v3-NullFlavor UNK) and the IPS pregnancy status value set (SNOMED CT
 * 77386006, 60001007, 152231000119106, 146799005). "Possible" and "not yet confirmed" read as
 * unknown: they prompt a clinician to confirm, as does any value not listed here.
 */
export const PREGNANCY_STATUS_VALUES: readonly {
  readonly system: string;
  readonly code: string;
  readonly display: string;
  readonly status: PregnancyStatusValue;
}[] = [
  { system: 'http://snomed.info/sct', code: '77386006', display: 'Pregnant', status: 'pregnant' },
  {
    system: 'http://snomed.info/sct',
    code: '60001007',
    display: 'Not pregnant',
    status: 'not-pregnant',
  },
  {
    system: 'http://snomed.info/sct',
    code: '152231000119106',
    display: 'Pregnancy not yet confirmed',
    status: 'unknown',
  },
  {
    system: 'http://snomed.info/sct',
    code: '146799005',
    display: 'Possible pregnancy',
    status: 'unknown',
  },
  {
    system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor',
    code: 'UNK',
    display: 'Unknown',
    status: 'unknown',
  },
];
