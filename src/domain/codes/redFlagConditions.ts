import type { CodeRule } from './codeMatch.ts';

/**
 * Chart evidence for the red flags and exclusions of the CLBP pathway. Each list is a STARTING
 * POINT a clinic must review: codes named in the project's clinical reference are marked
 * "clinical.md"; the others are ICD-10-CM FY2024 categories / SNOMED CT concepts added because
 * their meaning is unambiguous. SNOMED lists are exact concepts: no hierarchy is available here,
 * so a subtype (e.g. a specific cancer) matches only if it is listed or also coded in ICD-10-CM.
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

/** History of cancer (red flag). C00–C96 and Z85 from clinical.md; 128462008 added (metastatic). */
export const CANCER_HISTORY_CODES: readonly RedFlagCode[] = [
  range('C00', 'C96', 'Malignant neoplasms'),
  icd10('Z85', 'Personal history of malignant neoplasm'),
  snomed('363346000', 'Malignant neoplastic disease'),
  snomed('128462008', 'Secondary malignant neoplastic disease'),
];

/**
 * Metastatic cancer (programme exclusion). C77–C79 secondary malignant neoplasms and SNOMED
 * 128462008 from clinical.md; C7B (secondary neuroendocrine tumours) and C80.0 (disseminated
 * malignant neoplasm) added. C80.1 "malignant (primary) neoplasm, unspecified" is deliberately
 * NOT here: it does not say the cancer has spread (it still counts as cancer history).
 */
export const METASTATIC_CANCER_CODES: readonly RedFlagCode[] = [
  range('C77', 'C79', 'Secondary malignant neoplasm'),
  icd10('C7B', 'Secondary neuroendocrine tumours'),
  icd10('C80.0', 'Disseminated malignant neoplasm, unspecified'),
  snomed('128462008', 'Secondary malignant neoplastic disease'),
];

/** Immunosuppression (red flag, infection risk). */
export const IMMUNOSUPPRESSION_CODES: readonly RedFlagCode[] = [
  icd10('B20', 'Human immunodeficiency virus [HIV] disease'),
  icd10('Z21', 'Asymptomatic HIV infection status'),
  range('D80', 'D84', 'Immunodeficiency disorders'),
  snomed('86406008', 'Human immunodeficiency virus infection'),
  snomed('234532001', 'Immunodeficiency disorder'),
];

/** IV drug use (red flag). ICD-10-CM has no code for the route of drug use: SNOMED only. */
export const IV_DRUG_USE_CODES: readonly RedFlagCode[] = [
  snomed('228388006', 'Intravenous drug user'),
];

/** Spinal trauma (red flag): vertebral fractures and spinal cord injury, any encounter. */
export const SPINAL_TRAUMA_CODES: readonly RedFlagCode[] = [
  icd10('S22.0', 'Fracture of thoracic vertebra'),
  icd10('S32.0', 'Fracture of lumbar vertebra'),
  icd10('S34', 'Injury of lumbar and sacral spinal cord and nerves'),
];

/** Osteoporosis: turns minor trauma into a red flag (clinical.md). */
export const OSTEOPOROSIS_CODES: readonly RedFlagCode[] = [
  icd10('M80', 'Osteoporosis with current pathological fracture'),
  icd10('M81', 'Osteoporosis without current pathological fracture'),
  snomed('64859006', 'Osteoporosis'),
];

/** Long-term steroid use: turns minor trauma into a red flag. Z79.52 from clinical.md. */
export const LONG_TERM_STEROID_CODES: readonly RedFlagCode[] = [
  icd10('Z79.52', 'Long term (current) use of systemic steroids'),
];
