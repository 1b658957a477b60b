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
