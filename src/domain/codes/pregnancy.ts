import type { CodeRule } from './codeMatch.ts';

/**
 * Conditions that say the patient may be pregnant. A STARTING POINT a clinic must review:
 * Z33.1 and SNOMED 77386006 come from the project's clinical reference; the O00–O9A range
 * (ICD-10-CM chapter 15, pregnancy, childbirth and the puerperium) and Z3A (weeks of gestation)
 * are ICD-10-CM FY2024 categories. Chapter 15 includes puerperal codes, so an active O-code
 * only prompts a clinician to confirm (the screening answer decides), it never excludes alone.
 * SNOMED: the exact concept only (no hierarchy here).
 */
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
  { rule: { kind: 'snomed', code: '77386006', display: 'Pregnancy' } },
];
