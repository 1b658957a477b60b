/**
 * The codes the sandbox's synthetic patients carry. Each table names its source. They describe
 * test data only; the app's own clinical tables live in src/domain.
 */
import type { Coding } from 'fhir/r4';

export const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  gtsAbbreviation: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  identifierType: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  taskCode: 'http://hl7.org/fhir/CodeSystem/task-code',
} as const;

const snomed = (code: string, display: string): Coding => ({
  system: SYSTEM.snomed,
  code,
  display,
});
const icd = (code: string, display: string): Coding => ({ system: SYSTEM.icd10cm, code, display });

/**
 * Problem-list codes, SNOMED CT (International edition) + ICD-10-CM (FY2022 onwards, when M54.5
 * was split into M54.50/51/59). Low back pain codes per the project's clinical reference.
 */
export const CONDITIONS = {
  chronicLowBackPain: [
    snomed('278860009', 'Chronic low back pain'),
    icd('M54.50', 'Low back pain, unspecified'),
  ],
  lowBackPain: [snomed('279039007', 'Low back pain'), icd('M54.50', 'Low back pain, unspecified')],
  hypertension: [
    snomed('38341003', 'Hypertensive disorder, systemic arterial'),
    icd('I10', 'Essential (primary) hypertension'),
  ],
  prostateCancer: [
    snomed('399068003', 'Malignant tumor of prostate'),
    icd('C61', 'Malignant neoplasm of prostate'),
  ],
  basalCellCarcinomaNose: [icd('C44.311', 'Basal cell carcinoma of skin of nose')],
  type2Diabetes: [
    snomed('44054006', 'Diabetes mellitus type 2'),
    icd('E11.9', 'Type 2 diabetes mellitus without complications'),
  ],
  hyperlipidemia: [
    snomed('55822004', 'Hyperlipidemia'),
    icd('E78.5', 'Hyperlipidemia, unspecified'),
  ],
} as const satisfies Record<string, readonly Coding[]>;

/** SNOMED CT 3457005 "Patient referral" (the referral category, project clinical reference). */
export const REFERRAL_CATEGORY = snomed('3457005', 'Patient referral');

/** SNOMED CT routes of administration. */
export const ROUTES = {
  oral: snomed('26643006', 'Oral route'),
  transdermal: snomed('45890007', 'Transdermal route'),
} as const;

export interface DrugCode {
  readonly rxcui: string;
  /** RxNorm name of the clinical drug, used as display. */
  readonly name: string;
  readonly ingredient: { readonly rxcui: string; readonly name: string };
  /** Strength of that ingredient per unit (mg per tablet/capsule, or mg/hr for a patch). */
  readonly strength: { readonly value: number; readonly unit: 'mg' | 'mg/h' };
  readonly unit: 'tablet' | 'capsule' | 'patch';
}

/**
 * Opioid clinical drugs: RxCUIs, names and ingredient strengths copied from the CDC Opioid
 * Management Terminology Knowledge extract of RxNorm 2020-10-20 (Apache-2.0; "This product uses
 * publicly available data courtesy of the U.S. National Library of Medicine (NLM) ..."), at
 * development time; nothing reads that file at run time. Non-opioids: RxNorm SCDs.
 */
export const DRUGS = {
  tramadol50: {
    rxcui: '835603',
    name: 'tramadol hydrochloride 50 MG Oral Tablet',
    ingredient: { rxcui: '10689', name: 'Tramadol' },
    strength: { value: 50, unit: 'mg' },
    unit: 'tablet',
  },
  morphineEr60: {
    rxcui: '891890',
    name: '12 HR morphine sulfate 60 MG Extended Release Oral Tablet',
    ingredient: { rxcui: '7052', name: 'Morphine' },
    strength: { value: 60, unit: 'mg' },
    unit: 'tablet',
  },
  morphineEr30: {
    rxcui: '891885',
    name: '12 HR morphine sulfate 30 MG Extended Release Oral Tablet',
    ingredient: { rxcui: '7052', name: 'Morphine' },
    strength: { value: 30, unit: 'mg' },
    unit: 'tablet',
  },
  oxycodoneEr20: {
    rxcui: '1049563',
    name: '12 HR oxycodone hydrochloride 20 MG Extended Release Oral Tablet',
    ingredient: { rxcui: '7804', name: 'Oxycodone' },
    strength: { value: 20, unit: 'mg' },
    unit: 'tablet',
  },
  oxycodone10: {
    rxcui: '1049683',
    name: 'oxycodone hydrochloride 10 MG Oral Tablet',
    ingredient: { rxcui: '7804', name: 'Oxycodone' },
    strength: { value: 10, unit: 'mg' },
    unit: 'tablet',
  },
  hydrocodoneApap10: {
    rxcui: '856999',
    name: 'acetaminophen 325 MG / hydrocodone bitartrate 10 MG Oral Tablet',
    ingredient: { rxcui: '5489', name: 'Hydrocodone' },
    strength: { value: 10, unit: 'mg' },
    unit: 'tablet',
  },
  hydrocodoneApap7_5: {
    rxcui: '857005',
    name: 'acetaminophen 325 MG / hydrocodone bitartrate 7.5 MG Oral Tablet',
    ingredient: { rxcui: '5489', name: 'Hydrocodone' },
    strength: { value: 7.5, unit: 'mg' },
    unit: 'tablet',
  },
  hydrocodoneApap5: {
    rxcui: '857002',
    name: 'acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet',
    ingredient: { rxcui: '5489', name: 'Hydrocodone' },
    strength: { value: 5, unit: 'mg' },
    unit: 'tablet',
  },
  fentanylPatch25: {
    rxcui: '245134',
    name: '72 HR fentanyl 0.025 MG/HR Transdermal System',
    ingredient: { rxcui: '4337', name: 'Fentanyl' },
    strength: { value: 0.025, unit: 'mg/h' },
    unit: 'patch',
  },
  methadone10: {
    rxcui: '864706',
    name: 'methadone hydrochloride 10 MG Oral Tablet',
    ingredient: { rxcui: '6813', name: 'Methadone' },
    strength: { value: 10, unit: 'mg' },
    unit: 'tablet',
  },
  /** Not an opioid: a benzodiazepine (CDC value set benzodiazepine-medications). */
  alprazolam0_5: {
    rxcui: '308048',
    name: 'alprazolam 0.5 MG Oral Tablet',
    ingredient: { rxcui: '596', name: 'alprazolam' },
    strength: { value: 0.5, unit: 'mg' },
    unit: 'tablet',
  },
  gabapentin300: {
    rxcui: '310431',
    name: 'gabapentin 300 MG Oral Capsule',
    ingredient: { rxcui: '25480', name: 'gabapentin' },
    strength: { value: 300, unit: 'mg' },
    unit: 'capsule',
  },
  ibuprofen600: {
    rxcui: '197806',
    name: 'ibuprofen 600 MG Oral Tablet',
    ingredient: { rxcui: '5640', name: 'Ibuprofen' },
    strength: { value: 600, unit: 'mg' },
    unit: 'tablet',
  },
} as const satisfies Record<string, DrugCode>;

/** UCUM units for a dose of one unit of each form (annotations, UCUM §2.2.5). */
export const DOSE_UNITS = {
  tablet: { unit: 'tablet', code: '{tbl}' },
  capsule: { unit: 'capsule', code: '{capsule}' },
  patch: { unit: 'patch', code: '{patch}' },
} as const;

/** HL7 v3 GTSAbbreviation timing codes with their meaning as repeat frequency per day. */
export const TIMING_CODES = {
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  Q6H: { frequency: 1, period: 6, periodUnit: 'h' },
} as const;
