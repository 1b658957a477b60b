/**
 * `clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>]`
 *
 * The analytic engine (DuckDB, src/fhir/analytics) reads the NDJSON in parallel within a fixed
 * memory limit and hands over the Questionnaires and Medications, then each patient's PEG,
 * referral and medication resources, one patient at a time in patient-key order; the domain
 * reads them (patientEvidence.ts) and the table is tallied patient by patient. Memory holds one
 * patient's resources and the change scores, whatever the input size. A Bundle file is first
 * written out as NDJSON (entry by entry, reporting broken entries) into the engine's temp dir.
 */
import { join } from 'node:path';
import type { ArmMode } from '../domain/outcomes/armAssignment.ts';
import type { ReportFormat } from '../domain/outcomes/formatReport.ts';
import { formatReport } from '../domain/outcomes/formatReport.ts';
import type { EvidenceCounts } from '../domain/outcomes/patientEvidence.ts';
import { Definitions, emptyCounts, patientEvidence } from '../domain/outcomes/patientEvidence.ts';
import type { Json } from '../domain/outcomes/resourceShape.ts';
import { OutcomeTally } from '../domain/outcomes/outcomeTable.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../domain/screening/eligibilityConfig.ts';
import { datasetRows } from '../domain/outcomes/dataset.ts';
import { DatasetWriter } from '../fhir/analytics/datasetWriter.ts';
import { AnalyticsEngine } from '../fhir/analytics/engine.ts';
import { PatientResourceSource } from '../fhir/analytics/patientResources.ts';
import {
  assertReadable,
  bundlesAsNdjson,
  InputError,
  isNdjson,
  listInputFiles,
  readResources,
} from '../fhir/ndjson.ts';
import { PEG_QUESTIONNAIRE } from '../fhir/questionnaires.ts';
import type { CliIo } from './io.ts';

const USAGE = `usage: clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>] [--dataset <dir>]

Trial-style PEG outcome table (week 8, month 6, month 12) from FHIR R4 NDJSON files or a Bundle.
  --format   md (default), csv or json
  --arm-by   referral (default): patients referred to the programme vs patients who were
             eligible for it on a PEG day (the app's criteria then); observational
             group:<id>: members of Group/<id> vs everyone else with a PEG
  --dataset  also write the analysis dataset (one row per patient and time point) to <dir>:
             clbp_analysis.parquet, clbp_analysis.csv and data_dictionary.md
Exit 0; 2 when the input cannot be read (one line naming the file and line); 1 on other failures.
`;

/** Malformed lines printed one by one before only counting them. */
const MAX_REPORTED_LINES = 50;

interface Options {
  readonly input: string;
  readonly format: ReportFormat;
  readonly mode: ArmMode;
  readonly dataset: string | undefined;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`clbp outcomes: ${parsed.message}\n${USAGE}`);
    return 2;
  }
  const { input } = parsed.options;
  try {
    const files = await listInputFiles(input);
    await assertReadable(files);
    const engine = await AnalyticsEngine.open();
    try {
      return await analyse(engine, files, parsed.options, io);
    } finally {
      await engine.close();
    }
  } catch (error) {
    // Unreadable input: exit 2 and one line; anything else: exit 1 and one line, never a trace.
    const line = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
    io.stderr(`clbp outcomes: ${line}\n`);
    return error instanceof InputError ? 2 : 1;
  }
}

/**
 * The first thing wrong with the NDJSON files, as the line-by-line reader finds it: a line too long
 * or unreadable (thrown), else the first malformed line.
 */
async function firstProblem(files: readonly string[]): Promise<InputError | undefined> {
  for await (const item of readResources(files)) {
    if (item.kind === 'malformed') {
      return new InputError(`${item.file}:${item.line}: ${item.message}`);
    }
  }
  return undefined;
}

async function analyse(
  engine: AnalyticsEngine,
  files: readonly string[],
  { format, mode, dataset }: Options,
  io: CliIo,
): Promise<number> {
  const reporter = malformedReporter(io);
  const ndjson = files.filter(isNdjson);
  const bundles = files.filter((file) => !isNdjson(file));
  if (bundles.length > 0) {
    ndjson.push(
      await bundlesAsNdjson(bundles, join(engine.tempDir, 'bundles.ndjson'), (m) => {
        reporter.report(m.file, m.line, m.message);
      }),
    );
  }
  const source = new PatientResourceSource(engine, ndjson);
  const lines = await source.lineCounts().catch(async (error: unknown) => {
    // DuckDB refuses an oversized line without saying where; the streaming reader does.
    throw (await firstProblem(files.filter(isNdjson))) ?? error;
  });
  if (lines.malformed > 0 || lines.resources === 0) {
    // DuckDB counts them; the line-by-line reader says where they are, and whether any line at
    // all is a resource (DuckDB takes any JSON, binary garbage has some).
    let resources = 0;
    for await (const item of readResources(ndjson)) {
      if (item.kind === 'malformed') {
        reporter.report(item.file, item.line, item.message);
      } else {
        resources += 1;
      }
    }
    if (resources === 0) {
      // No table from nothing: the first bad line, or the input's emptiness, is the one error.
      throw reporter.first ?? new InputError(`${files.join(', ')}: no FHIR resources`);
    }
  }
  reporter.print();
  if (reporter.count > 0) {
    io.stderr(
      `clbp outcomes: ${reporter.count} malformed line(s) skipped; the rest was processed\n`,
    );
  }
  const definitions = new Definitions();
  // CLBP Pathway's own form is known even when an export leaves Questionnaires out; a copy in
  // the data (read next) takes its place.
  definitions.add(PEG_QUESTIONNAIRE as unknown as Json);
  for (const text of await source.definitions()) {
    definitions.add(JSON.parse(text) as Json);
  }
  const withGroup = mode.kind === 'group';
  if (mode.kind === 'group' && !(await source.loadGroup(mode.groupId))) {
    io.stderr(`clbp outcomes: Group/${mode.groupId} is not in the input\n`);
    return 1;
  }
  const medicationRecords = await source.hasMedicationRecords();
  const counts = emptyCounts();
  const tally = new OutcomeTally(mode);
  const writer = dataset === undefined ? undefined : await DatasetWriter.open(engine);
  for await (const group of source.patients(withGroup)) {
    const resources = group.resources.map((text) => JSON.parse(text) as Json);
    const evidence = patientEvidence(resources, definitions, counts, {
      inGroup: group.inGroup,
      medicationRecords,
      eligibility: DEFAULT_ELIGIBILITY_CONFIG,
    });
    if (group.patient === undefined) {
      withoutSubject(counts, evidence.pegs.length);
      continue;
    }
    tally.add(evidence);
    writer?.add(datasetRows(group.patient, evidence, mode));
  }
  const members = withGroup ? await source.membersWithoutRecords() : 0;
  for (let i = 0; i < members; i += 1) {
    tally.add({ pegs: [], referralDays: [], undatedReferral: false, inGroup: true });
  }
  const total: EvidenceCounts = { ...counts, resources: lines.resources };
  if (writer !== undefined && dataset !== undefined) {
    const written = await writer.finish(dataset);
    io.stderr(`clbp outcomes: analysis dataset, ${writer.rows} rows: ${written.join(', ')}\n`);
  }
  io.stdout(
    formatReport(tally.report(), { files, malformedLines: reporter.count, counts: total }, format),
  );
  return 0;
}

/** PEG administrations of resources without a subject cannot be placed in an arm. */
function withoutSubject(counts: EvidenceCounts, administrations: number): void {
  counts.pegAdministrations -= administrations;
  if (administrations > 0) {
    counts.skipped['peg-without-subject'] =
      (counts.skipped['peg-without-subject'] ?? 0) + administrations;
  }
}

interface MalformedReporter {
  readonly count: number;
  /** The first malformed line, as the error when nothing else could be read. */
  readonly first: InputError | undefined;
  report(file: string, line: number, message: string): void;
  /** Prints the lines kept so far (the first MAX_REPORTED_LINES), then each new one. */
  print(): void;
}

function malformedReporter(io: CliIo): MalformedReporter {
  const kept: string[] = [];
  let count = 0;
  let printing = false;
  return {
    get count() {
      return count;
    },
    get first() {
      return kept[0] === undefined ? undefined : new InputError(kept[0]);
    },
    report(file, line, message) {
      count += 1;
      if (count <= MAX_REPORTED_LINES) {
        kept.push(`${file}:${line}: ${message}`);
        if (printing) {
          io.stderr(`${file}:${line}: ${message}\n`);
        }
      }
    },
    print() {
      if (!printing) {
        printing = true;
        for (const text of kept) {
          io.stderr(`${text}\n`);
        }
      }
    },
  };
}

type Parsed =
  { kind: 'options'; options: Options } | { kind: 'help' } | { kind: 'error'; message: string };

function parseArgs(argv: readonly string[]): Parsed {
  let input: string | undefined;
  let format: ReportFormat = 'md';
  let mode: ArmMode = { kind: 'referral' };
  let dataset: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inlineValue] = arg.startsWith('--') ? splitFlag(arg) : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      return { kind: 'help' };
    }
    if (flag === '--dataset') {
      dataset = inlineValue ?? argv[++i];
      if (dataset === undefined || dataset === '') {
        return { kind: 'error', message: '--dataset needs a directory' };
      }
      continue;
    }
    if (flag === '--format' || flag === '--arm-by') {
      const value = inlineValue ?? argv[++i];
      if (value === undefined) {
        return { kind: 'error', message: `${flag} needs a value` };
      }
      if (flag === '--format') {
        if (value !== 'md' && value !== 'csv' && value !== 'json') {
          return { kind: 'error', message: `unknown format '${value}' (md, csv or json)` };
        }
        format = value;
      } else {
        const parsedMode = parseArmBy(value);
        if (parsedMode === undefined) {
          return {
            kind: 'error',
            message: `--arm-by must be 'referral' or 'group:<id>', not '${value}'`,
          };
        }
        mode = parsedMode;
      }
      continue;
    }
    if (flag.startsWith('-')) {
      return { kind: 'error', message: `unknown option '${flag}'` };
    }
    if (input !== undefined) {
      return { kind: 'error', message: `one input only (got '${input}' and '${flag}')` };
    }
    input = flag;
  }
  if (input === undefined) {
    return { kind: 'error', message: 'an NDJSON directory or a Bundle file is required' };
  }
  return { kind: 'options', options: { input, format, mode, dataset } };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf('=');
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function parseArmBy(value: string): ArmMode | undefined {
  if (value === 'referral') {
    return { kind: 'referral' };
  }
  const match = /^group:([A-Za-z0-9\-.]{1,64})$/.exec(value);
  return match?.[1] === undefined ? undefined : { kind: 'group', groupId: match[1] };
}
