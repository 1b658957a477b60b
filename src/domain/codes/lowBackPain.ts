import type { CodeListSource } from './codeLists.ts';
import type { CodeRule } from './codeMatch.ts';

export interface LowBackPainCode {
  readonly rule: CodeRule;
  /** The code says the problem is low back pain. */
  readonly lowBackPain: boolean;
  /** The code says the problem is chronic. */
  readonly chronic: boolean;
}

/**
 * Low back pain Conditions. Every code here is listed in the project's clinical reference
 * (clinical.md, "Codes" table), which takes them from ICD-10-CM (M54.5 became a non-billable
 * header in Oct 2021, split into M54.50/M54.51/M54.59, but still appears in older records) and
 * SNOMED CT. G89.29 (other chronic pain) and G89.4 (chronic pain syndrome) say nothing about the
 * site: they only add chronicity to a low back pain code on the same chart.
 * SNOMED: exact concepts only (no hierarchy here); subtypes must be added explicitly.
 */
export const LOW_BACK_PAIN_SOURCE: CodeListSource = {
  reviewStatus: 'clinical-reference',
  sources: [
    "project clinical reference (clinical.md, 'Codes'): ICD-10-CM M54.50, M54.51, M54.59, M54.5 (legacy header), M54.40, M54.41, M54.42, G89.29, G89.4",
    "project clinical reference (clinical.md, 'Codes'): SNOMED CT 279039007, 278860009, 134407002, 161891005",
  ],
};

export const LOW_BACK_PAIN_CODES: readonly LowBackPainCode[] = [
  {
    rule: {
      kind: 'icd10',
      code: 'M54.50',
      descendants: false,
      display: 'Low back pain, unspecified',
    },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: {
      kind: 'icd10',
      code: 'M54.51',
      descendants: false,
      display: 'Vertebrogenic low back pain',
    },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: { kind: 'icd10', code: 'M54.59', descendants: false, display: 'Other low back pain' },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: {
      kind: 'icd10',
      code: 'M54.5',
      descendants: false,
      display: 'Low back pain (legacy header code, before Oct 2021)',
    },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: {
      kind: 'icd10',
      code: 'M54.40',
      descendants: false,
      display: 'Lumbago with sciatica, unspecified side',
    },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: {
      kind: 'icd10',
      code: 'M54.41',
      descendants: false,
      display: 'Lumbago with sciatica, right side',
    },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: {
      kind: 'icd10',
      code: 'M54.42',
      descendants: false,
      display: 'Lumbago with sciatica, left side',
    },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: { kind: 'icd10', code: 'G89.29', descendants: false, display: 'Other chronic pain' },
    lowBackPain: false,
    chronic: true,
  },
  {
    rule: { kind: 'icd10', code: 'G89.4', descendants: false, display: 'Chronic pain syndrome' },
    lowBackPain: false,
    chronic: true,
  },
  {
    rule: { kind: 'snomed', code: '279039007', display: 'Low back pain' },
    lowBackPain: true,
    chronic: false,
  },
  {
    rule: { kind: 'snomed', code: '278860009', display: 'Chronic low back pain' },
    lowBackPain: true,
    chronic: true,
  },
  {
    rule: { kind: 'snomed', code: '134407002', display: 'Chronic back pain' },
    lowBackPain: true,
    chronic: true,
  },
  {
    rule: { kind: 'snomed', code: '161891005', display: 'Backache' },
    lowBackPain: true,
    chronic: false,
  },
];

/**
 * The problem-list entry a clinician confirms after a screening that meets the NIH Task Force
 * definition: SNOMED CT 278860009 "Chronic low back pain" and its ICD-10-CM coding M54.50 (low
 * back pain, unspecified) with G89.29 (other chronic pain) for the chronicity (clinical.md, Codes;
 * issue 12).
 */
export const CLBP_PROBLEM_CODINGS = [
  { system: 'http://snomed.info/sct', code: '278860009', display: 'Chronic low back pain' },
  {
    system: 'http://hl7.org/fhir/sid/icd-10-cm',
    code: 'M54.50',
    display: 'Low back pain, unspecified',
  },
  { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'G89.29', display: 'Other chronic pain' },
] as const;
