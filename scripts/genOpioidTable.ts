/**
 * Generates src/domain/mme/opioidTable.generated.ts from the reference data in
 * ../shared/data/opioids (relative to the repository). This script is the only code that
 * reads that folder; the app and CLI use the committed, generated table.
 *
 * Run: `npm run gen:opioids`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { isRecord } from '../src/domain/fhir-primitives/json.ts';
import { packLines, tsString as q } from './codegen.ts';
import { NLM_ATTRIBUTION } from '../src/domain/mme/nlmAttribution.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dataDir = path.resolve(repoRoot, '../shared/data/opioids');
const outFile = path.join(repoRoot, 'src/domain/mme/opioidTable.generated.ts');

const DRUGS_FILE = 'rxnorm-opioid-ingredients-2020-10-20.json';
const FACTORS_FILE = 'cdc-2022-mme-conversion-factors.json';
const COMPARED_FILE = 'conversion-factor-sets-compared.csv';

const STRENGTH_UNITS = new Set(['MG', 'MG/ML', 'MG/HR', 'MG/ACTUAT']);

interface DrugRow {
  drugCode: number;
  drugName: string;
  doseFormCode: number;
  doseFormName: string;
  ingredientCode: number;
  ingredientName: string;
  strengthValue: number;
  strengthUnit: string;
}

interface FactorRow {
  opioid: string;
  rxcui: number;
  dose_form_rxcui?: number;
  factor: number;
}

function fail(message: string): never {
  process.stderr.write(`gen:opioids: ${message}\n`);
  process.exit(1);
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, file), 'utf8')) as unknown;
  } catch (error) {
    return fail(`cannot read ${path.join(dataDir, file)}: ${String(error)}`);
  }
}

function checkDrugRow(value: unknown, index: number): DrugRow {
  if (
    !isRecord(value) ||
    typeof value['drugCode'] !== 'number' ||
    typeof value['drugName'] !== 'string' ||
    typeof value['doseFormCode'] !== 'number' ||
    typeof value['doseFormName'] !== 'string' ||
    typeof value['ingredientCode'] !== 'number' ||
    typeof value['ingredientName'] !== 'string' ||
    typeof value['strengthValue'] !== 'number' ||
    typeof value['strengthUnit'] !== 'string' ||
    !STRENGTH_UNITS.has(value['strengthUnit'])
  ) {
    return fail(`${DRUGS_FILE}: row ${index} has an unexpected shape`);
  }
  return value as unknown as DrugRow;
}

function checkFactorRow(value: unknown, index: number): FactorRow {
  if (
    !isRecord(value) ||
    typeof value['opioid'] !== 'string' ||
    typeof value['rxcui'] !== 'number' ||
    typeof value['factor'] !== 'number' ||
    (value['dose_form_rxcui'] !== undefined && typeof value['dose_form_rxcui'] !== 'number')
  ) {
    return fail(`${FACTORS_FILE}: factor ${index} has an unexpected shape`);
  }
  return value as unknown as FactorRow;
}

/** "72 HR fentanyl …" → 72; "7 DAY …" → 168; other prefixes (1 ML, 80 ACTUAT) → 0. */
function durationHours(drugName: string): number {
  const match = /^(\d+(?:\.\d+)?) (HR|DAY) /.exec(drugName);
  if (!match) {
    return 0;
  }
  return Number(match[1]) * (match[2] === 'DAY' ? 24 : 1);
}

/** Opioid ingredients named in the comparison CSV (e.g. benzhydrocodone, sufentanil) but absent from the drug list. */
function csvIngredients(): [number, string][] {
  const text = readFileSync(path.join(dataDir, COMPARED_FILE), 'utf8');
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]?.split(',') ?? [];
  const nameCol = header.indexOf('opioid');
  const codeCol = header.indexOf('ingredient_rxcui');
  if (nameCol < 0 || codeCol < 0) {
    return fail(`${COMPARED_FILE}: missing opioid / ingredient_rxcui columns`);
  }
  const found: [number, string][] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const names = (cells[nameCol] ?? '').split(' / ');
    const codes = (cells[codeCol] ?? '').split(' / ');
    names.forEach((name, i) => {
      const code = Number(codes[i]);
      const word = name.trim().split(/\s+/)[0]?.toLowerCase();
      if (Number.isInteger(code) && code > 0 && word) {
        found.push([code, word]);
      }
    });
  }
  return found;
}

const drugsRaw = readJson(DRUGS_FILE);
if (!Array.isArray(drugsRaw)) {
  fail(`${DRUGS_FILE}: expected an array`);
}
const drugs = drugsRaw.map((row: unknown, i) => checkDrugRow(row, i));

const factorsRaw = readJson(FACTORS_FILE);
if (!isRecord(factorsRaw) || !Array.isArray(factorsRaw['factors'])) {
  fail(`${FACTORS_FILE}: expected an object with "factors"`);
}
const factors = (factorsRaw['factors'] as unknown[]).map((row, i) => checkFactorRow(row, i));
const factorSource = String(factorsRaw['source']);
const factorBasis = String(factorsRaw['basis']);
const factorExclusions = String(factorsRaw['exclusions']);

const ingredients = new Map<number, string>();
for (const row of drugs) {
  ingredients.set(row.ingredientCode, row.ingredientName.toLowerCase());
}
for (const [code, name] of csvIngredients()) {
  if (!ingredients.has(code)) {
    ingredients.set(code, name);
  }
}
const doseForms = new Map<number, string>();
for (const row of drugs) {
  doseForms.set(row.doseFormCode, row.doseFormName);
}

const sortedDrugs = [...drugs].sort(
  (a, b) => a.drugCode - b.drugCode || a.ingredientCode - b.ingredientCode,
);
const drugTuples = sortedDrugs.map(
  (row) =>
    `[${row.drugCode},${row.doseFormCode},${row.ingredientCode},${row.strengthValue},'${row.strengthUnit}',${durationHours(row.drugName)}],`,
);
const rxcuiCount = new Set(drugs.map((row) => row.drugCode)).size;

const output = `// GENERATED by scripts/genOpioidTable.ts (npm run gen:opioids) from ../shared/data/opioids. Do not edit.
//
// ${NLM_ATTRIBUTION}
//
// Sources: ${DRUGS_FILE} (RxNorm clinical drugs containing an opioid, as of 2020-10-20; Opioid
// Management Terminology Knowledge (OMTK) data of the CDC opioid MME implementation guide,
// Apache-2.0), ${FACTORS_FILE} (CDC Clinical Practice Guideline for Prescribing Opioids for Pain,
// 2022, MMWR Recomm Rep 2022;71(RR-3); US Government work) and ${COMPARED_FILE} (opioid
// ingredient codes only).

/** The NLM attribution that must accompany this table wherever it is shipped. */
export { NLM_ATTRIBUTION } from './nlmAttribution.ts';

export const OPIOID_TABLE_SOURCE = {
  file: ${q(DRUGS_FILE)},
  rxnormAsOf: '2020-10-20',
  rows: ${drugs.length},
  rxcuis: ${rxcuiCount},
} as const;

/** CDC 2022 conversion factors exactly as the source file lists them. */
export const CDC_2022_FACTORS_SOURCE = {
  file: ${q(FACTORS_FILE)},
  citation: 'MMWR Recomm Rep 2022;71(RR-3)',
  source: ${q(factorSource)},
  basis: ${q(factorBasis)},
  exclusions: ${q(factorExclusions)},
} as const;

export const CDC_2022_FACTOR_ROWS: readonly {
  readonly opioid: string;
  readonly rxcui: string;
  readonly doseFormRxcui: string | null;
  readonly factor: number;
}[] = [
${factors
  .map(
    (f) =>
      `  { opioid: ${q(f.opioid)}, rxcui: '${f.rxcui}', doseFormRxcui: ${f.dose_form_rxcui === undefined ? 'null' : `'${f.dose_form_rxcui}'`}, factor: ${f.factor} },`,
  )
  .join('\n')}
];

/** Opioid ingredient RxCUI → lower-case ingredient name. */
export const OPIOID_INGREDIENTS: readonly (readonly [rxcui: number, name: string])[] = [
${packLines(
  [...ingredients].sort((a, b) => a[0] - b[0]).map(([code, name]) => `[${code}, ${q(name)}],`),
  '  ',
)}
];

/** RxNorm dose form RxCUI → name, for the forms the table uses. */
export const DOSE_FORMS: readonly (readonly [rxcui: number, name: string])[] = [
${packLines(
  [...doseForms].sort((a, b) => a[0] - b[0]).map(([code, name]) => `[${code}, ${q(name)}],`),
  '  ',
)}
];

export type StrengthUnitCode = 'MG' | 'MG/ML' | 'MG/HR' | 'MG/ACTUAT';

/**
 * One row per clinical drug × opioid ingredient: [drug RxCUI, dose form RxCUI, ingredient RxCUI,
 * strength value, strength unit, duration in hours from the name's "N HR"/"N DAY" prefix (0 if none;
 * for transdermal systems this is how long one patch is worn)]. Non-opioid ingredients are not listed.
 */
export const OPIOID_DRUGS: readonly (readonly [number, number, number, number, StrengthUnitCode, number])[] = [
${packLines(drugTuples, '  ')}
];
`;

writeFileSync(outFile, output);
process.stdout.write(
  `gen:opioids: wrote ${path.relative(repoRoot, outFile)} (${drugs.length} rows, ${rxcuiCount} RxCUIs, ${factors.length} factors, ${ingredients.size} ingredients)\n`,
);
