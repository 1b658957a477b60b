/**
 * `clbp pathway <bundle | ndjson-dir> [--as-of YYYY-MM-DD] [--format json|csv]`: where every
 * patient of a chart or a clinic's panel is on the CLBP pathway, from the same pathway function
 * the app's first screen uses (domain/pathway). JSON (default) or CSV on stdout; exit 0, or 2
 * with one line on stderr when the options or the input cannot be used.
 */
import { parseArgs } from 'node:util';
import { evaluatePathway } from '../domain/pathway/pathway.ts';
import { localDate, localDayOf, parseIsoDay } from '../domain/fhir-primitives/dates.ts';
import { pathwayRecord, type PathwayRecord } from '../domain/pathway/record.ts';
import { InputError, listInputFiles } from '../fhir/ndjson.ts';
import { chartFromResources } from '../fhir/pathwayChart.ts';
import { panelPatients, type PanelReading } from '../fhir/patientPanel.ts';
import { parseError, type Parsed } from './args.ts';
import type { CliIo } from './io.ts';

const USAGE = `usage: clbp pathway <bundle.json | ndjson-dir | file.ndjson> [--as-of YYYY-MM-DD] [--format json|csv]

Where each patient is on the CLBP pathway (state, eligibility, red flags, PEG, MME, referral,
follow-ups and the next action), as the app's first screen shows it.
  --as-of DATE    the day to evaluate on (default: today): records dated after it are left out
  --format        json (default: {"asOf", "patients": [...]}) or csv (one row per patient)
`;

interface Options {
  readonly input: string;
  readonly asOf: Date;
  readonly format: 'json' | 'csv';
}

/** Local noon of a 'YYYY-MM-DD' day (its local day is the day given), or undefined. */
function dayOption(value: string): Date | undefined {
  const index = parseIsoDay(value);
  if (index === undefined) {
    return undefined;
  }
  const day = localDate(index);
  day.setHours(12);
  return day;
}

function parse(argv: readonly string[], now: Date): Parsed<Options> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        'as-of': { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return parseError(error);
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    return { kind: 'help' };
  }
  const [input, ...extra] = positionals;
  if (input === undefined || extra.length > 0) {
    return {
      kind: 'error',
      message: 'give exactly one input (a Bundle file or an NDJSON directory)',
    };
  }
  const asOf = values['as-of'] === undefined ? now : dayOption(values['as-of']);
  if (asOf === undefined) {
    return {
      kind: 'error',
      message: `--as-of must be a date YYYY-MM-DD, got '${values['as-of'] ?? ''}'`,
    };
  }
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') {
    return { kind: 'error', message: `--format must be json or csv, got '${format}'` };
  }
  return { kind: 'run', options: { input, asOf, format } };
}

export const CSV_COLUMNS = [
  'id',
  'state',
  'status',
  'eligibility',
  'red_flags',
  'peg_latest',
  'peg_latest_date',
  'peg_latest_reported_by',
  'peg_baseline',
  'peg_change',
  'mme_current',
  'mme_trajectory',
  'referral_stage',
  'programme_start',
  'follow_up',
  'follow_up_due',
  'follow_up_status',
  'next_action',
] as const;

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row: the first follow-up not yet done stands for the schedule. */
export function csvRow(r: PathwayRecord): string {
  const next = r.followUps.find((f) => f.status !== 'done');
  const cells: (string | number | null)[] = [
    r.id,
    r.state,
    r.status,
    r.eligibility.verdict,
    r.redFlags.map((f) => f.finding).join('; '),
    r.peg.latest,
    r.peg.latestDate?.slice(0, 10) ?? null,
    r.peg.latestReportedBy,
    r.peg.baseline,
    r.peg.change,
    r.mme?.current ?? null,
    r.mme?.trajectory ?? null,
    r.referral?.stage ?? null,
    r.referral?.programmeStart ?? null,
    next?.timePoint ?? null,
    next?.due ?? null,
    next === undefined ? null : `${next.status}${next.provisional ? ' (provisional)' : ''}`,
    r.nextAction,
  ];
  return cells.map(csvCell).join(',');
}

export async function run(
  argv: readonly string[],
  io: CliIo,
  now: Date = new Date(),
): Promise<number> {
  const parsed = parse(argv, now);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`clbp pathway: ${parsed.message}\n${USAGE}`);
    return 2;
  }
  const { input, asOf, format } = parsed.options;
  const reading: PanelReading = { skipped: 0 };
  let count = 0;
  // The input is checked whole before the first patient comes out, so an unreadable line stops
  // the command before anything is printed.
  const begin = (): void => {
    if (count === 0) {
      io.stdout(
        format === 'csv'
          ? `${CSV_COLUMNS.join(',')}\n`
          : `{"asOf":${JSON.stringify(localDayOf(asOf))},"patients":[`,
      );
    }
  };
  try {
    const files = await listInputFiles(input);
    for await (const patient of panelPatients(files, reading)) {
      const record = pathwayRecord(
        patient.id,
        evaluatePathway(chartFromResources(patient.resources), asOf),
      );
      begin();
      io.stdout(
        format === 'csv'
          ? `${csvRow(record)}\n`
          : `${count > 0 ? ',' : ''}${JSON.stringify(record)}`,
      );
      count += 1;
    }
  } catch (error) {
    if (error instanceof InputError || (error instanceof Error && count === 0)) {
      io.stderr(`clbp pathway: ${error.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    throw error;
  }
  begin();
  if (format === 'json') {
    io.stdout(']}\n');
  }
  if (reading.skipped > 0) {
    io.stderr(
      `clbp pathway: skipped ${String(reading.skipped)} resource(s) that are not usable FHIR for the pathway\n`,
    );
  }
  return 0;
}
