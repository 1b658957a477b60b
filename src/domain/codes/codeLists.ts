/**
 * Where each code table of this folder comes from, whether a clinician has to review it, and the
 * plain clinical words shown for it. One place, so the README and the screen agree.
 *
 * Only the low back pain codes are in the project's clinical reference (clinical.md, "Codes"
 * table). Every other list was added by the project straight from the code systems named in its
 * `*_SOURCE`, and must be reviewed by a clinician before its matches are relied on.
 */
import type { CodeRule } from './codeMatch.ts';
import { LOW_BACK_PAIN_CODES, LOW_BACK_PAIN_SOURCE } from './lowBackPain.ts';
import { PREGNANCY_CODES, PREGNANCY_SOURCE } from './pregnancy.ts';
import {
  CANCER_HISTORY_CODES,
  CANCER_HISTORY_SOURCE,
  CAUDA_EQUINA_SYNDROME_CODES,
  CAUDA_EQUINA_SYNDROME_SOURCE,
  IMMUNOSUPPRESSION_CODES,
  IMMUNOSUPPRESSION_SOURCE,
  IMMUNOSUPPRESSIVE_DRUG_CODES,
  IMMUNOSUPPRESSIVE_DRUG_SOURCE,
  IV_DRUG_USE_CODES,
  IV_DRUG_USE_SOURCE,
  METASTATIC_CANCER_CODES,
  METASTATIC_CANCER_SOURCE,
  OSTEOPOROSIS_CODES,
  OSTEOPOROSIS_SOURCE,
  SPINAL_INFECTION_CODES,
  SPINAL_INFECTION_SOURCE,
  VERTEBRAL_FRACTURE_CODES,
  VERTEBRAL_FRACTURE_SOURCE,
} from './redFlagConditions.ts';
import type { CdcValueSet } from './cdcValueSets.generated.ts';
import {
  BENZODIAZEPINE_MEDICATIONS,
  NALOXONE_MEDICATIONS,
  OPIOID_MISUSE_DISORDERS,
} from './cdcValueSets.generated.ts';
import { NALOXONE_RESCUE_MEDICATIONS } from './naloxoneRescue.ts';
import { WEARABLE_CODES, WEARABLE_SOURCE } from './wearables.ts';

/**
 * - `clinical-reference`: every code is listed in the project's clinical reference.
 * - `needs-clinician-review`: a project addition taken from the named code system; not reviewed
 *   by a clinician yet. Matches only prompt a clinician; they never decide on their own.
 * - `cdc-value-set`: a published CDC opioid guideline value set, generated from its expansion.
 */
export type ReviewStatus = 'clinical-reference' | 'needs-clinician-review' | 'cdc-value-set';

export interface CodeListSource {
  readonly reviewStatus: ReviewStatus;
  /** Code system, edition, and the codes of the table it supplies. */
  readonly sources: readonly string[];
}

export interface CodeListSummary {
  readonly table: string;
  /** What the app uses the list for. */
  readonly use: string;
  readonly reviewStatus: ReviewStatus;
  readonly sources: readonly string[];
  /** Every code, as the rule matches it (a range as "C00–C96", a code and all under it as "Z85*"). */
  readonly codes: readonly string[];
}

function ruleText(rule: CodeRule): string {
  switch (rule.kind) {
    case 'icd10':
      return `ICD-10-CM ${rule.code}${rule.descendants ? '*' : ''}`;
    case 'icd10-range':
      return `ICD-10-CM ${rule.from}–${rule.to}`;
    case 'snomed':
      return `SNOMED CT ${rule.code}`;
  }
}

function summary(
  table: string,
  use: string,
  source: CodeListSource,
  rules: readonly { readonly rule: CodeRule }[],
): CodeListSummary {
  return { table, use, ...source, codes: rules.map((entry) => ruleText(entry.rule)) };
}

const SYSTEM_NAMES: Readonly<Record<string, string>> = {
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://snomed.info/sct': 'SNOMED CT',
};

/** A generated CDC value set: counted per code system rather than listed (hundreds of codes). */
function valueSetSummary(table: string, use: string, set: CdcValueSet): CodeListSummary {
  return {
    table,
    use,
    reviewStatus: 'cdc-value-set',
    sources: [`${set.title}, ${set.url} (expansion ${set.expansion.slice(0, 10)}; CC0-1.0, © CDC)`],
    codes: set.codes.map(
      ([system, codes]) => `${codes.length} ${SYSTEM_NAMES[system] ?? system} codes`,
    ),
  };
}

/** Every code table of the app, with its source and review status (the README lists this). */
export const CODE_LIST_SUMMARY: readonly CodeListSummary[] = [
  summary(
    'LOW_BACK_PAIN_CODES',
    'low back pain and its chronicity on the problem list',
    LOW_BACK_PAIN_SOURCE,
    LOW_BACK_PAIN_CODES,
  ),
  summary(
    'CANCER_HISTORY_CODES',
    'red flag: history of cancer',
    CANCER_HISTORY_SOURCE,
    CANCER_HISTORY_CODES,
  ),
  summary(
    'METASTATIC_CANCER_CODES',
    'exclusion: current metastatic cancer',
    METASTATIC_CANCER_SOURCE,
    METASTATIC_CANCER_CODES,
  ),
  summary(
    'IMMUNOSUPPRESSION_CODES',
    'red flag: immunosuppression',
    IMMUNOSUPPRESSION_SOURCE,
    IMMUNOSUPPRESSION_CODES,
  ),
  summary(
    'IMMUNOSUPPRESSIVE_DRUG_CODES',
    'red flag: immunosuppressive drugs',
    IMMUNOSUPPRESSIVE_DRUG_SOURCE,
    IMMUNOSUPPRESSIVE_DRUG_CODES,
  ),
  summary(
    'IV_DRUG_USE_CODES',
    'red flag: intravenous drug use',
    IV_DRUG_USE_SOURCE,
    IV_DRUG_USE_CODES,
  ),
  summary(
    'VERTEBRAL_FRACTURE_CODES',
    'red flag: vertebral fracture or spinal cord injury',
    VERTEBRAL_FRACTURE_SOURCE,
    VERTEBRAL_FRACTURE_CODES,
  ),
  summary(
    'SPINAL_INFECTION_CODES',
    'red flag: spinal infection',
    SPINAL_INFECTION_SOURCE,
    SPINAL_INFECTION_CODES,
  ),
  summary(
    'CAUDA_EQUINA_SYNDROME_CODES',
    'red flag: cauda equina syndrome (not clearable in the app)',
    CAUDA_EQUINA_SYNDROME_SOURCE,
    CAUDA_EQUINA_SYNDROME_CODES,
  ),
  summary(
    'OSTEOPOROSIS_CODES',
    'context shown with a vertebral fracture red flag',
    OSTEOPOROSIS_SOURCE,
    OSTEOPOROSIS_CODES,
  ),
  summary(
    'PREGNANCY_CODES',
    'prompt to confirm pregnancy status',
    PREGNANCY_SOURCE,
    PREGNANCY_CODES,
  ),
  {
    table: 'WEARABLE_CODES',
    use: 'wearable activity and sleep Observations kept in research extracts',
    ...WEARABLE_SOURCE,
    codes: WEARABLE_CODES.map((code) => `LOINC ${code.code}`),
  },
  valueSetSummary(
    'BENZODIAZEPINE_MEDICATIONS',
    'concurrent benzodiazepine flag and naloxone prompt (CDC 2022 Recommendations 8 and 11)',
    BENZODIAZEPINE_MEDICATIONS,
  ),
  valueSetSummary(
    'NALOXONE_MEDICATIONS',
    'all naloxone products, buprenorphine/naloxone and pentazocine/naloxone included (not opioids for the MME table)',
    NALOXONE_MEDICATIONS,
  ),
  valueSetSummary(
    'NALOXONE_RESCUE_MEDICATIONS',
    'naloxone for overdose reversal on record: naloxone alone, no combination product (CDC 2022 Recommendation 8; subset verify)',
    NALOXONE_RESCUE_MEDICATIONS,
  ),
  valueSetSummary(
    'OPIOID_MISUSE_DISORDERS',
    'opioid use disorder: methadone and buprenorphine are treatment, not pain MME; naloxone prompt',
    OPIOID_MISUSE_DISORDERS,
  ),
];

/** CODE_LIST_SUMMARY as a Markdown table (for the README and `clbp` output). */
export function codeListSummaryMarkdown(): string {
  const status: Readonly<Record<ReviewStatus, string>> = {
    'clinical-reference': 'in the clinical reference',
    'needs-clinician-review': 'project table: needs clinician review',
    'cdc-value-set': 'CDC value set (as published)',
  };
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  const rows = CODE_LIST_SUMMARY.map(
    (list) =>
      `| ${list.table} | ${cell(list.use)} | ${list.codes.join(', ')} | ${cell(list.sources.join('; '))} | ${status[list.reviewStatus]} |`,
  );
  return [
    '| table | used for | codes | source | review status |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
