import type { CodeListSource } from './codeLists.ts';
import type { CodeRule } from './codeMatch.ts';

/**
 * Chart evidence for the red flags and exclusions of the CLBP pathway. The project's clinical
 * reference (clinical.md, "Screening") names the chart red flags and some of their codes (cauda
 * equina syndrome, spinal infection, vertebral fracture, immunosuppressive drugs); the other codes
 * are project additions taken from the code system named in each `*_SOURCE`. Every table is a
 * project table that a clinician must review before use (reviewStatus 'needs-clinician-review');
 * a match only prompts a clinician, it never diagnoses. SNOMED lists are exact concepts: no
 * hierarchy is available here, so a subtype (e.g. a specific cancer) matches only if it is listed
 * or also coded in ICD-10-CM.
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

/**
 * Cauda equina syndrome on the chart. Code named in the clinical reference (clinical.md,
 * "Screening": "cauda equina syndrome (G83.4)"); *verify*.
 */
export const CAUDA_EQUINA_SYNDROME_CODES: readonly RedFlagCode[] = [
  icd10('G83.4', 'Cauda equina syndrome'),
];
export const CAUDA_EQUINA_SYNDROME_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `project clinical reference (clinical.md, 'Screening'): G83.4; ${ICD10CM}: G83.4 cauda equina syndrome (every code under it)`,
  ],
};

/**
 * Spinal infection (red flag "fever …"). Codes named in the clinical reference (clinical.md,
 * "Screening": vertebral osteomyelitis M46.2x, discitis M46.3x–M46.4x, spinal epidural abscess
 * G06.1); *verify*.
 */
export const SPINAL_INFECTION_CODES: readonly RedFlagCode[] = [
  icd10('M46.2', 'Osteomyelitis of vertebra'),
  icd10('M46.3', 'Infection of intervertebral disc (pyogenic)'),
  icd10('M46.4', 'Discitis, unspecified'),
  icd10('M46.5', 'Other infective spondylopathies'),
  icd10('G06.1', 'Intraspinal abscess and granuloma'),
];
export const SPINAL_INFECTION_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `project clinical reference (clinical.md, 'Screening'): M46.2x, M46.3x, M46.4x, G06.1; ${ICD10CM}: M46.2 osteomyelitis of vertebra; M46.3 infection of intervertebral disc (pyogenic); M46.4 discitis, unspecified; M46.5 other infective spondylopathies (project addition: an infection of the spine coded outside the named families); G06.1 intraspinal abscess and granuloma (every code under each)`,
  ],
};

/**
 * Vertebral fracture (red flag "major trauma, or minor trauma with osteoporosis …"). S22.0x,
 * S32.0x, osteoporotic M80.08 and collapsed vertebra M48.5x are named in the clinical reference
 * (clinical.md, "Screening"); S34 (lumbar and sacral spinal cord injury), M80.88 (the same fracture
 * in osteoporosis other than age-related, e.g. from long-term steroids) and M48.4 (fatigue fracture
 * of vertebra) are project additions, vertebral fractures by their ICD-10-CM titles.
 * Any encounter character (A initial, D subsequent, S sequela) matches; *verify*.
 */
export const VERTEBRAL_FRACTURE_CODES: readonly RedFlagCode[] = [
  icd10('S22.0', 'Fracture of thoracic vertebra'),
  icd10('S32.0', 'Fracture of lumbar vertebra'),
  icd10('M80.08', 'Age-related osteoporosis with current pathological fracture, vertebra(e)'),
  icd10('M80.88', 'Other osteoporosis with current pathological fracture, vertebra(e)'),
  icd10('M48.4', 'Fatigue fracture of vertebra'),
  icd10('M48.5', 'Collapsed vertebra, not elsewhere classified'),
  icd10('S34', 'Injury of lumbar and sacral spinal cord and nerves'),
];
export const VERTEBRAL_FRACTURE_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `project clinical reference (clinical.md, 'Screening'): S22.0x, S32.0x, M80.08, M48.5x`,
    `${ICD10CM}: S22.0 fracture of thoracic vertebra; S32.0 fracture of lumbar vertebra; M80.08 age-related osteoporosis with current pathological fracture, vertebra(e); M80.88 other osteoporosis (e.g. drug-induced, as with long-term steroids) with current pathological fracture, vertebra(e) (project addition); M48.4 fatigue fracture of vertebra (project addition); M48.5 collapsed vertebra, NEC; S34 injury of lumbar and sacral spinal cord and nerves (project addition) (every code under each)`,
  ],
};

/** Osteoporosis: shown with a vertebral fracture (the red flag "minor trauma with osteoporosis"). */
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

/**
 * Immunosuppressive drugs (red flag "immunosuppression"). Named in the clinical reference
 * (clinical.md, "Screening": "long-term steroids Z79.52, biologics Z79.6x"); Z79.6 covers
 * Z79.60–Z79.69 (immunomodulators and immunosuppressants, ICD-10-CM since FY2024, e.g. Z79.620
 * immunosuppressive biologic); *verify*.
 */
export const IMMUNOSUPPRESSIVE_DRUG_CODES: readonly RedFlagCode[] = [
  icd10('Z79.52', 'Long term (current) use of systemic steroids'),
  icd10('Z79.6', 'Long term (current) use of immunomodulators and immunosuppressants'),
];
export const IMMUNOSUPPRESSIVE_DRUG_SOURCE: CodeListSource = {
  reviewStatus: REVIEW,
  sources: [
    `project clinical reference (clinical.md, 'Screening'): Z79.52, Z79.6x`,
    `${ICD10CM}: Z79.52 long term (current) use of systemic steroids; Z79.6 long term (current) use of immunomodulators and immunosuppressants (category, every code under it, e.g. Z79.620)`,
  ],
};
