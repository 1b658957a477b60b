/**
 * `clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>]`
 *
 * Streams the input twice: a quick first pass keeps the Questionnaires and Medications (few,
 * needed to read responses and medication statements that may come before them), the second feeds every resource to a compact
 * per-patient store. Memory grows with the number of patients (tens of bytes of PEG data each),
 * never with the number or size of resources.
 */
import type { ArmMode } from '../domain/outcomes/armAssignment.ts';
import type { ReportFormat } from '../domain/outcomes/formatReport.ts';
import { formatReport } from '../domain/outcomes/formatReport.ts';
import { OutcomeStore } from '../domain/outcomes/outcomeStore.ts';
import type { Json } from '../domain/outcomes/resourceShape.ts';
import { OutcomeTally } from '../domain/outcomes/outcomeTable.ts';
import { listInputFiles, readResources } from '../fhir/ndjson.ts';
import { PEG_QUESTIONNAIRE } from '../fhir/questionnaires.ts';
import type { CliIo } from './io.ts';

const USAGE = `usage: clbp outcomes <ndjson-dir | bundle-file> [--format md|csv|json] [--arm-by referral|group:<id>]

Trial-style PEG outcome table (week 8, month 6, month 12) from FHIR R4 NDJSON files or a Bundle.
  --format   md (default), csv or json
  --arm-by   referral (default): patients referred to the programme vs everyone else with a PEG
             group:<id>: members of Group/<id> vs everyone else with a PEG
`;

/** Malformed lines printed one by one before only counting them. */
const MAX_REPORTED_LINES = 50;

interface Options {
  readonly input: string;
  readonly format: ReportFormat;
  readonly mode: ArmMode;
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
  const { input, format, mode } = parsed.options;
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
  for await (const item of readResources(files)) {
    if (item.kind === 'resource') {
      store.add(item.resource);
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
  const tally = new OutcomeTally(mode);
  for (const patient of store.drainEvidence()) {
    tally.add(patient);
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
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag, inlineValue] = arg.startsWith('--') ? splitFlag(arg) : [arg, undefined];
    if (flag === '--help' || flag === '-h') {
      return { kind: 'help' };
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
  return { kind: 'options', options: { input, format, mode } };
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
