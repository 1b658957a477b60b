import { describe, expect, it } from 'vitest';
import { CODE_LIST_SUMMARY, codeListSummaryMarkdown } from '../../../src/domain/codes/codeLists.ts';
import { CONDITION_LIST_LABELS } from '../../../src/domain/codes/conditionLists.ts';

// The low back pain codes of the project's clinical reference ("Codes" table), copied by hand:
// a code added to the table without being in the reference must fail here.
const CLINICAL_REFERENCE_LOW_BACK_PAIN = [
  'ICD-10-CM M54.50',
  'ICD-10-CM M54.51',
  'ICD-10-CM M54.59',
  'ICD-10-CM M54.5',
  'ICD-10-CM M54.40',
  'ICD-10-CM M54.41',
  'ICD-10-CM M54.42',
  'ICD-10-CM G89.29',
  'ICD-10-CM G89.4',
  'SNOMED CT 279039007',
  'SNOMED CT 278860009',
  'SNOMED CT 134407002',
  'SNOMED CT 161891005',
];

const table = (name: string) => CODE_LIST_SUMMARY.find((list) => list.table === name);

describe('code list sources and review status', () => {
  it('marks only the low back pain codes as coming from the clinical reference', () => {
    expect(
      CODE_LIST_SUMMARY.filter((list) => list.reviewStatus === 'clinical-reference').map(
        (list) => list.table,
      ),
    ).toEqual(['LOW_BACK_PAIN_CODES']);
  });

  it('holds exactly the low back pain codes the clinical reference lists', () => {
    expect([...(table('LOW_BACK_PAIN_CODES')?.codes ?? [])].sort()).toEqual(
      [...CLINICAL_REFERENCE_LOW_BACK_PAIN].sort(),
    );
  });

  it.each([
    ['CANCER_HISTORY_CODES', false],
    ['METASTATIC_CANCER_CODES', false],
    ['IMMUNOSUPPRESSION_CODES', false],
    ['IMMUNOSUPPRESSIVE_DRUG_CODES', true],
    ['IV_DRUG_USE_CODES', false],
    ['VERTEBRAL_FRACTURE_CODES', true],
    ['SPINAL_INFECTION_CODES', true],
    ['CAUDA_EQUINA_SYNDROME_CODES', true],
    ['OSTEOPOROSIS_CODES', false],
    ['PREGNANCY_CODES', false],
    ['WEARABLE_CODES', false],
  ])(
    'marks %s as a project table that needs clinician review (codes from clinical.md: %s)',
    (name, fromReference) => {
      const list = table(name);
      expect(list?.reviewStatus).toBe('needs-clinician-review');
      expect(list?.sources.join(' ').includes('clinical.md')).toBe(fromReference);
    },
  );

  it.each(['BENZODIAZEPINE_MEDICATIONS', 'NALOXONE_MEDICATIONS', 'OPIOID_MISUSE_DISORDERS'])(
    'marks %s as a CDC value set, with its canonical URL and expansion date',
    (name) => {
      const list = table(name);
      expect(list?.reviewStatus).toBe('cdc-value-set');
      expect(list?.sources.join(' ')).toMatch(
        /http:\/\/fhir\.org\/guides\/cdc\/opioid-cds\/ValueSet\/.+expansion \d{4}-\d{2}-\d{2}/,
      );
    },
  );

  it('counts the opioid misuse disorder codes per code system (57 ICD-10-CM, 155 SNOMED CT)', () => {
    expect(table('OPIOID_MISUSE_DISORDERS')?.codes).toEqual([
      '57 ICD-10-CM codes',
      '155 SNOMED CT codes',
    ]);
  });

  it.each(
    CODE_LIST_SUMMARY.filter((list) => list.reviewStatus !== 'cdc-value-set').map(
      (list) => [list.table, list] as const,
    ),
  )("names every code of %s in its source, with the code system's edition", (_name, list) => {
    const sources = list.sources.join(' ');
    for (const code of list.codes) {
      // "ICD-10-CM Z85*" → "Z85", "ICD-10-CM C00–C96" → "C00–C96", "SNOMED CT 363346000" → …
      const bare = code.replace(/^(ICD-10-CM|SNOMED CT|LOINC) /, '').replace(/\*$/, '');
      expect(sources, `${list.table}: ${code}`).toContain(bare);
    }
    const editions =
      list.reviewStatus === 'clinical-reference'
        ? []
        : [
            ...(list.codes.some((code) => code.startsWith('ICD-10-CM'))
              ? ['ICD-10-CM tabular list (CMS/NCHS, FY2025)']
              : []),
            ...(list.codes.some((code) => code.startsWith('SNOMED'))
              ? ['SNOMED CT International Edition']
              : []),
          ];
    expect(editions.filter((edition) => !sources.includes(edition))).toEqual([]);
  });

  it('lists the cancer codes as a range, a category and two SNOMED concepts', () => {
    expect(table('CANCER_HISTORY_CODES')?.codes).toEqual([
      'ICD-10-CM C00–C96',
      'ICD-10-CM Z85*',
      'SNOMED CT 363346000',
      'SNOMED CT 128462008',
    ]);
  });

  it('renders a Markdown row per table with its review status', () => {
    const markdown = codeListSummaryMarkdown().split('\n');
    expect(markdown).toHaveLength(2 + CODE_LIST_SUMMARY.length);
    // five cells per row: no unescaped '|' inside a cell
    expect(markdown.map((row) => row.split(/(?<!\\)\|/).length - 2)).toEqual(markdown.map(() => 5));
    expect(markdown.find((row) => row.startsWith('| PREGNANCY_CODES '))).toContain(
      'project table: needs clinician review |',
    );
    expect(markdown.find((row) => row.startsWith('| LOW_BACK_PAIN_CODES '))).toContain(
      '| in the clinical reference |',
    );
  });
});

describe('clinical words for chart code lists', () => {
  it.each(Object.entries(CONDITION_LIST_LABELS))(
    'shows the list %s as plain words (%s)',
    (id, label) => {
      expect(label).toMatch(/^[a-z][a-z ,-]*[a-z]$/);
      // an internal hyphenated key ('cancer-history') must never reach the screen as is
      expect(label === id && id.includes('-')).toBe(false);
    },
  );
});
