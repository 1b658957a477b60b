/**
 * `clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>]
 *  [--spill-after <patients>]`
 *
 * Streams the input twice: a quick first pass keeps the Questionnaires and Medications (few,
 * needed to read responses and medication statements that may come before them), the second feeds
 * every resource to a compact per-patient store. Once the store holds more than `--spill-after`
 * patients, their records go to hash partitions on disk (partitionStore.ts) and the store starts
 * empty again; at the end the partitions are read back one at a time (every record of a patient
 * is in one partition) and tallied. The compact records in memory are then bounded by the spill
 * threshold and the largest partition, whatever the input size; what still grows with the cohort
 * is the table's change scores (a few numbers per analysed patient, see outcomeTable.ts).
 */
import type { ArmMode } from '../domain/outcomes/armAssignment.ts';
import type { ReportFormat } from '../domain/outcomes/formatReport.ts';
import { formatReport } from '../domain/outcomes/formatReport.ts';
import { OutcomeStore } from '../domain/outcomes/outcomeStore.ts';
import type { Json } from '../domain/outcomes/resourceShape.ts';
import { OutcomeTally } from '../domain/outcomes/outcomeTable.ts';
import { stat } from 'node:fs/promises';
import { listInputFiles, readResources } from '../fhir/ndjson.ts';
import { PartitionStore, partitionsFor } from '../fhir/partitionStore.ts';
import { PEG_QUESTIONNAIRE } from '../fhir/questionnaires.ts';
import type { CliIo } from './io.ts';

/** Patients whose compact records (~1 KB each) are held before spilling them to disk. */
const DEFAULT_SPILL_AFTER = 20_000;

const USAGE = `usage: clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>] [--spill-after <patients>]

Trial-style PEG outcome table (week 8, month 6, month 12) from FHIR R4 NDJSON files or a Bundle.
  --format   md (default), csv or json
  --arm-by   referral (default): patients referred to the programme vs everyone else with a PEG
             group:<id>: members of Group/<id> vs everyone else with a PEG
  --spill-after  patients kept in memory before their records are spilled to disk partitions
             under the system temp directory (default ${String(DEFAULT_SPILL_AFTER)}; removed at the end)
`;

/** Malformed lines printed one by one before only counting them. */
const MAX_REPORTED_LINES = 50;

interface Options {
  readonly input: string;
  readonly format: ReportFormat;
  readonly mode: ArmMode;
  readonly spillAfter: number;
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
  const { input, format, mode, spillAfter } = parsed.options;
  let files: string[];
  try {
    files = await listInputFiles(input);
  } catch (error) {
    io.stderr(`clbp outcomes: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const store = new OutcomeStore(mode.kind === 'group' ? { groupId: mode.groupId } : {});
  // CLBP Pathway's own form is known even when an export leaves Questionnaires out; a copy in
  // the data (read next) takes its place.
  store.addDefinition(PEG_QUESTIONNAIRE as unknown as Json);
  for await (const item of readResources(files, { prefilter: mentionsDefinition })) {
    if (item.kind === 'resource') {
      store.addDefinition(item.resource);
    }
  }
  let malformed = 0;
  let spill: PartitionStore | undefined;
  const tally = new OutcomeTally(mode);
  try {
    for await (const item of readResources(files)) {
      if (item.kind === 'resource') {
        store.add(item.resource);
        if (store.heldPatients > spillAfter) {
          spill ??= await PartitionStore.create(partitionsFor(await totalBytes(files)));
          await spillAll(store, spill);
        }
        continue;
      }
      malformed += 1;
      if (malformed <= MAX_REPORTED_LINES) {
        io.stderr(`${item.file}:${item.line}: ${item.message}\n`);
      }
    }
    if (malformed > 0) {
      io.stderr(`clbp outcomes: ${malformed} malformed line(s) skipped; the rest was processed\n`);
    }
    if (mode.kind === 'group' && !store.groupFound) {
      io.stderr(`clbp outcomes: Group/${mode.groupId} is not in the input\n`);
      return 1;
    }
    if (spill === undefined) {
      tallyHeld(store, tally);
    } else {
      await spillAll(store, spill);
      io.stderr(
        `clbp outcomes: more than ${String(spillAfter)} patients; their records were spilled to ${String(spill.partitions)} disk partitions and tallied one partition at a time\n`,
      );
      for (let partition = 0; partition < spill.partitions; partition += 1) {
        for await (const line of spill.read(partition)) {
          store.restore(line);
        }
        tallyHeld(store, tally);
      }
    }
  } finally {
    await spill?.remove();
  }
  io.stdout(
    formatReport(
      tally.report(),
      { files, malformedLines: malformed, counts: store.counts },
      format,
    ),
  );
  return 0;
}

async function spillAll(store: OutcomeStore, spill: PartitionStore): Promise<void> {
  for (const { key, line } of store.spill()) {
    await spill.write(key, line);
  }
  await spill.flush();
}

function tallyHeld(store: OutcomeStore, tally: OutcomeTally): void {
  for (const { order, evidence } of store.drainEvidence()) {
    tally.add(evidence, order);
  }
}

async function totalBytes(files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const file of files) {
    bytes += (await stat(file)).size;
  }
  return bytes;
}

/** Lines that may be a Questionnaire or a Medication; only those are parsed in the first pass. */
function mentionsDefinition(text: string): boolean {
  return text.includes('"Questionnaire"') || text.includes('"Medication"');
}

type Parsed =
  { kind: 'options'; options: Options } | { kind: 'help' } | { kind: 'error'; message: string };

function parseArgs(argv: readonly string[]): Parsed {
  let input: string | undefined;
  let format: ReportFormat = 'md';
  let mode: ArmMode = { kind: 'referral' };
  let spillAfter = DEFAULT_SPILL_AFTER;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inlineValue] = arg.startsWith('--') ? splitFlag(arg) : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      return { kind: 'help' };
    }
    if (flag === '--spill-after') {
      const value = inlineValue ?? argv[++i];
      const patients = value === undefined ? Number.NaN : Number(value);
      if (value === undefined || !/^\d+$/.test(value) || !Number.isSafeInteger(patients)) {
        return {
          kind: 'error',
          message: `--spill-after needs a whole number of patients, not '${value ?? ''}'`,
        };
      }
      spillAfter = patients;
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
  return { kind: 'options', options: { input, format, mode, spillAfter } };
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
