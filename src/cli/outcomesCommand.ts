/**
 * `clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>]`
 *
 * One pass reads the NDJSON (or Bundle) files resource by resource into each patient's small
 * records (domain/outcomes/patientRecord.ts, by the domain's readers), kept in the analytic engine
 * (DuckDB, src/fhir/analytics) within a fixed memory limit; the engine hands them back sorted by
 * patient key, in batches of whole patients, to the per-patient step (patientStep.ts, two worker
 * threads on large inputs): the domain turns each patient's records into evidence
 * (patientEvidence.ts) and the table is tallied patient by patient, the batches in order. Memory
 * holds a few batches and the table's running sums (and the MME/day changes of patients on
 * opioids at baseline, for their median), whatever the input size.
 */
import type { ArmMode } from '../domain/outcomes/armAssignment.ts';
import type { ReportFormat } from '../domain/outcomes/formatReport.ts';
import { formatReport } from '../domain/outcomes/formatReport.ts';
import type { EvidenceCounts } from '../domain/outcomes/patientEvidence.ts';
import { sumCounts } from '../domain/outcomes/patientEvidence.ts';
import type { Json } from '../domain/outcomes/resourceShape.ts';
import { DatasetWriter } from '../fhir/analytics/datasetWriter.ts';
import { AnalyticsEngine } from '../fhir/analytics/engine.ts';
import { PatientRecordStore } from '../fhir/analytics/patientRecords.ts';
import { readAllRecords } from '../fhir/analytics/recordPass.ts';
import { assertReadable, InputError, listInputFiles } from '../fhir/ndjson.ts';
import { PEG_QUESTIONNAIRE } from '../fhir/questionnaires.ts';
import { readExportTransactionTime } from '../fhir/bulk/jobState.ts';
import {
  fullDayIndex,
  isoDate,
  localDayIndex,
  parseIsoDay,
} from '../domain/fhir-primitives/dates.ts';
import { stat } from 'node:fs/promises';
import type { CliIo } from './io.ts';
import { perPatientStep, STEP_WORKER_THRESHOLD_BYTES, STEP_WORKERS } from './patientStep.ts';

const USAGE = `usage: clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>]
                     [--as-of YYYY-MM-DD] [--dataset <dir>]

Trial-style PEG outcome table (week 8, month 6, month 12) from FHIR R4 NDJSON files or a Bundle.
  --format   md (default), csv or json
  --arm-by   referral (default): patients referred to the programme vs patients who were
             eligible for it on a PEG day (the app's criteria then); observational
             group:<id>: members of Group/<id> vs everyone else with a PEG
  --as-of    the analysis as it stood on that day: PEGs and referrals dated after it are left
             out, and a patient with no PEG in a time point's window that has not closed by
             then is "not yet due", not lost to follow-up. Default: the day of the
             transactionTime of the clbp bulk export in the input directory (its
             bulk-export.manifest; a later --as-of is refused), else the day of the run; the
             day used is printed with the method
  --dataset  also write the analysis dataset (one row per patient and time point) to <dir>:
             clbp_analysis.parquet, clbp_analysis.csv and data_dictionary.md (patient-level
             data: files 0600, a new <dir> 0700)
Exit 0; 2 on a usage or input error (one line: a bad option, an unreadable file or line, a
Group not in the input); 1 on other failures.
`;

/**
 * DuckDB's share of the 1 GB memory target: it holds and sorts the patients' records (spilling
 * past this), while Node holds one patient's records and the first pass's two workers. Measured
 * (2026-12-04): 250 MB sorts a 10 M input's 4.5 GB of records (3.6 GB since a PEG Observation's
 * record is its fact) in about the time 350 MB does, with
 * ~100 MB less peak memory; 200 MB runs out of memory at 10 M.
 */
const OUTCOMES_MEMORY_LIMIT = '250MB';
/**
 * DuckDB's threads: one. With two, the 10 M input's sort (3.6 GB of records) ran out of its 250 MB
 * once in three runs (2026-12-04: "could not allocate block of size 256.0 KiB"): each sorting
 * thread holds its own blocks. With one it finished, and its step took 124 s, not ~168 s: the
 * Node threads (the per-patient step's two workers and the main thread handing them the sorted
 * lines) keep both cores busy, and a second DuckDB thread only competed with them. The sort alone
 * takes 59 s with one thread and 64 s with two (Node taking the lines as fast as it can).
 */
const OUTCOMES_THREADS = 1;

/** Malformed lines printed one by one before only counting them. */
const MAX_REPORTED_LINES = 50;

interface Options {
  readonly input: string;
  readonly format: ReportFormat;
  readonly mode: ArmMode;
  readonly dataset: string | undefined;
  /** --as-of as a calendar day number; undefined: the default (see asOfDay). */
  readonly asOfDay: number | undefined;
}

export async function run(
  argv: readonly string[],
  io: CliIo,
  now: Date = new Date(),
): Promise<number> {
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
    const asOf = await asOfOf(parsed.options, now);
    const engine = await AnalyticsEngine.open({
      memoryLimit: OUTCOMES_MEMORY_LIMIT,
      threads: OUTCOMES_THREADS,
    });
    try {
      return await analyse(engine, files, parsed.options, io, asOf);
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

async function analyse(
  engine: AnalyticsEngine,
  files: readonly string[],
  { format, mode, dataset }: Options,
  io: CliIo,
  asOf: AsOf,
): Promise<number> {
  const reporter = malformedReporter(io);
  // CLBP Pathway's own form is known even when an export leaves Questionnaires out; a copy in
  // the data takes its place.
  const { parts, recordFiles } = await readAllRecords(
    files,
    [PEG_QUESTIONNAIRE as unknown as Json],
    mode.kind === 'group' ? mode.groupId : undefined,
    engine.tempDir,
  );
  const order = new Map(files.map((file, index) => [file, index]));
  const malformed = parts
    .flatMap((part) => part.malformed)
    .sort((a, b) => (order.get(a.file) ?? 0) - (order.get(b.file) ?? 0) || a.line - b.line);
  for (const line of malformed) {
    reporter.report(line.file, line.line, line.message);
  }
  reporter.countMore(parts.reduce((n, part) => n + part.malformedCount, 0) - malformed.length);
  const resources = parts.reduce((n, part) => n + part.resources, 0);
  if (resources === 0) {
    // No table from nothing: the first bad line, or the input's emptiness, is the one error.
    throw reporter.first ?? new InputError(`${files.join(', ')}: no FHIR resources`);
  }
  reporter.print();
  if (reporter.count > 0) {
    io.stderr(
      `clbp outcomes: ${reporter.count} malformed line(s) skipped; the rest was processed\n`,
    );
  }
  if (mode.kind === 'group' && !parts.some((part) => part.groupFound)) {
    // A usage error found in the input: exit 2, as for an unknown option or an unreadable file.
    io.stderr(
      `clbp outcomes: Group/${mode.groupId} is not in the input; --arm-by group:<id> needs a Group in it\n`,
    );
    return 2;
  }
  const store = await PatientRecordStore.load(
    engine,
    recordFiles,
    parts.flatMap((part) => part.members),
  );
  const writer = dataset === undefined ? undefined : await DatasetWriter.open(engine);
  const recordBytes = (
    await Promise.all(recordFiles.map(async (file) => (await stat(file)).size))
  ).reduce((a, b) => a + b, 0);
  const step = await perPatientStep(
    store,
    {
      mode,
      asOfDay: asOf.day,
      medicationRecords: parts.some((part) => part.medicationRecords),
      dataset: writer !== undefined,
    },
    { workers: recordBytes < STEP_WORKER_THRESHOLD_BYTES ? 0 : STEP_WORKERS },
    (rows) => writer?.add(rows),
  );
  const tally = step.tally;
  const members = mode.kind === 'group' ? await store.membersWithoutRecords() : 0;
  for (let i = 0; i < members; i += 1) {
    tally.add({ pegs: [], referralDays: [], undatedReferral: false, inGroup: true });
  }
  const counts = sumCounts([...parts.map((part) => part.counts), ...step.counts]);
  const total: EvidenceCounts = { ...counts, resources };
  if (writer !== undefined && dataset !== undefined) {
    const written = await writer.finish(dataset);
    io.stderr(`clbp outcomes: analysis dataset, ${writer.rows} rows: ${written.join(', ')}\n`);
  }
  io.stdout(
    formatReport(
      tally.report(),
      { asOfSource: asOf.source, files, malformedLines: reporter.count, counts: total },
      format,
    ),
  );
  return 0;
}

interface MalformedReporter {
  readonly count: number;
  /** The first malformed line, as the error when nothing else could be read. */
  readonly first: InputError | undefined;
  report(file: string, line: number, message: string): void;
  /** Malformed lines beyond those reported one by one. */
  countMore(n: number): void;
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
    countMore(n) {
      count += n;
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
  let asOfDay: number | undefined;
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
    if (flag === '--as-of') {
      const value = inlineValue ?? argv[++i] ?? '';
      asOfDay = parseIsoDay(value);
      if (asOfDay === undefined) {
        return { kind: 'error', message: `--as-of must be a date YYYY-MM-DD, got '${value}'` };
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
  return { kind: 'options', options: { input, format, mode, dataset, asOfDay } };
}

interface AsOf {
  readonly day: number;
  /** Where the day came from, for the report's method text. */
  readonly source: string;
}

/**
 * --as-of; else the day of the transactionTime a clbp bulk export recorded in the input directory
 * (the time the server says its data stand for), as written in it (the project's day rule, so the
 * table does not depend on the analyst's time zone); else the local day of the run. An --as-of
 * after the export's day is refused: follow-ups due after the data were taken could not be in them,
 * and would all be counted lost.
 */
async function asOfOf(options: Options, now: Date): Promise<AsOf> {
  let transactionTime: string | undefined;
  try {
    transactionTime = await readExportTransactionTime(options.input);
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const exportDay = transactionTime === undefined ? undefined : fullDayIndex(transactionTime);
  if (transactionTime !== undefined && exportDay === undefined) {
    throw new InputError(
      `bulk-export.manifest: transactionTime ${transactionTime} has no calendar day`,
    );
  }
  if (options.asOfDay !== undefined) {
    if (exportDay !== undefined && options.asOfDay > exportDay) {
      throw new InputError(
        `--as-of ${isoDate(options.asOfDay)} is after the export's data (transactionTime ${String(transactionTime)}): follow-ups due later cannot be in it and would all count as lost`,
      );
    }
    return { day: options.asOfDay, source: '--as-of' };
  }
  return exportDay === undefined
    ? { day: localDayIndex(now), source: 'the day of the run; give --as-of to fix it' }
    : { day: exportDay, source: `the bulk export's transactionTime, ${String(transactionTime)}` };
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
