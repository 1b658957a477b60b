import type { CodeListSource } from './codeLists.ts';
import type { CodeRule } from './codeMatch.ts';

/**
 * Chart evidence for the red flags and exclusions of the CLBP pathway. The project's clinical
 * reference names the red flags in words only; it lists NONE of these codes. Each table below is
 * a project addition taken from the code system named in its `*_SOURCE`, and a clinician must
 * review it before use (reviewStatus 'needs-clinician-review'). A match only prompts a clinician.
 * SNOMED lists are exact concepts: no hierarchy is available here, so a subtype (e.g. a specific
 * cancer) matches only if it is listed or also coded in ICD-10-CM.
 */
export interface RedFlagCode {
  readonly rule: CodeRule;
}

const icd10 = (code: string, display: string, descendants = true): RedFlagCode => ({
  rule: { kind: 'icd10', code, descendants, display },
});
const range = (from: string, to: string, display: string): RedFlagCode => ({
  rule: { kind: 'icd10-range', from, to, display },
});
const snomed = (code: string, display: string): RedFlagCode => ({
  rule: { kind: 'snomed', code, display },
});

const ICD10CM = 'ICD-10-CM tabular list (CMS/NCHS, FY2025)';
const SNOMED_INTL = 'SNOMED CT International Edition';
const REVIEW = 'needs-clinician-review';

/** History of cancer (red flag "history of cancer"): any recorded Condition, resolved ones too. */
export const CANCER_HISTORY_CODES: readonly RedFlagCode[] = [
  range('C00', 'C96', 'Malignant neoplasms'),
  icd10('Z85', 'Personal history of malignant neoplasm'),
  snomed('363346000', 'Malignant neoplastic disease'),
  snomed('128462008', 'Secondary malignant neoplastic disease'),
];
export const CANCER_HISTORY_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `${ICD10CM}: C00–C96 malignant neoplasms (chapter 2; in situ D00–D09 and benign neoplasms are not included); Z85 personal history of malignant neoplasm (category, every code under it)`,
    `${SNOMED_INTL}: 363346000 "Malignant neoplastic disease (disorder)"; 128462008 "Secondary malignant neoplastic disease (disorder)"`,
  ],
};

/**
 * Metastatic cancer (programme exclusion "no metastatic cancer"). C80.1 "malignant (primary)
 * neoplasm, unspecified" is deliberately NOT here: it does not say the cancer has spread (it still
 * counts as cancer history).
 */
export const METASTATIC_CANCER_CODES: readonly RedFlagCode[] = [
  range('C77', 'C79', 'Secondary malignant neoplasm'),
  icd10('C7B', 'Secondary neuroendocrine tumours'),
  icd10('C80.0', 'Disseminated malignant neoplasm, unspecified'),
  snomed('128462008', 'Secondary malignant neoplastic disease'),
];
export const METASTATIC_CANCER_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `${ICD10CM}: C77–C79 secondary malignant neoplasms; C7B secondary neuroendocrine tumors (category); C80.0 disseminated malignant neoplasm, unspecified`,
    `${SNOMED_INTL}: 128462008 "Secondary malignant neoplastic disease (disorder)"`,
  ],
};

/** Immunosuppression (red flag "fever, IV drug use or immunosuppression"). */
export const IMMUNOSUPPRESSION_CODES: readonly RedFlagCode[] = [
  icd10('B20', 'Human immunodeficiency virus [HIV] disease'),
  icd10('Z21', 'Asymptomatic HIV infection status'),
  range('D80', 'D84', 'Immunodeficiency disorders'),
  snomed('86406008', 'Human immunodeficiency virus infection'),
  snomed('234532001', 'Immunodeficiency disorder'),
];
export const IMMUNOSUPPRESSION_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `${ICD10CM}: B20 HIV disease; Z21 asymptomatic HIV infection status; D80–D84 immunodeficiencies (D84.821 immunodeficiency due to drugs included)`,
    `${SNOMED_INTL}: 86406008 "Human immunodeficiency virus infection (disorder)"; 234532001 "Immunodeficiency disorder (disorder)"`,
  ],
};

/** IV drug use (red flag). ICD-10-CM has no code for the route of drug use: SNOMED only. */
export const IV_DRUG_USE_CODES: readonly RedFlagCode[] = [
  snomed('228388006', 'Intravenous drug user'),
];
export const IV_DRUG_USE_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [`${SNOMED_INTL}: 228388006 "Intravenous drug user (finding)"`],
};

/** Spinal trauma (red flag "major trauma"): vertebral fractures and spinal cord injury. */
export const SPINAL_TRAUMA_CODES: readonly RedFlagCode[] = [
  icd10('S22.0', 'Fracture of thoracic vertebra'),
  icd10('S32.0', 'Fracture of lumbar vertebra'),
  icd10('S34', 'Injury of lumbar and sacral spinal cord and nerves'),
];
export const SPINAL_TRAUMA_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `${ICD10CM}: S22.0 fracture of thoracic vertebra; S32.0 fracture of lumbar vertebra; S34 injury of lumbar and sacral spinal cord and nerves at abdomen, lower back and pelvis level (every code under each, any encounter)`,
  ],
};

/** Osteoporosis: shown with spinal trauma (the red flag "minor trauma with osteoporosis"). */
export const OSTEOPOROSIS_CODES: readonly RedFlagCode[] = [
  icd10('M80', 'Osteoporosis with current pathological fracture'),
  icd10('M81', 'Osteoporosis without current pathological fracture'),
  snomed('64859006', 'Osteoporosis'),
];
export const OSTEOPOROSIS_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `${ICD10CM}: M80 osteoporosis with current pathological fracture; M81 osteoporosis without current pathological fracture`,
    `${SNOMED_INTL}: 64859006 "Osteoporosis (disorder)"`,
  ],
};

/** Long-term steroid use: shown with spinal trauma ("minor trauma with long-term steroids"). */
export const LONG_TERM_STEROID_CODES: readonly RedFlagCode[] = [
  icd10('Z79.52', 'Long term (current) use of systemic steroids'),
];
export const LONG_TERM_STEROID_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [`${ICD10CM}: Z79.52 long term (current) use of systemic steroids`],
};
