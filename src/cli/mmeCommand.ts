/**
 * `clbp mme <file> [--as-of YYYY-MM-DD] [--timeline FROM..TO]`: MME/day per medication and in total
 * from a FHIR JSON file (a Bundle or one resource) or NDJSON holding MedicationStatements,
 * MedicationRequests and Medications. Prints JSON to stdout; exit 0, or 2 with one line on stderr
 * when the input or the options are unusable.
 */
import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { MedicationMmeResult } from '../domain/mme/mme.ts';
import {
  bundleEntries,
  computeMmeForResources,
  isActiveOn,
  MME_FACTOR_TABLE,
  mmeTimeline,
  totalMmePerDay,
  NLM_ATTRIBUTION,
} from '../domain/mme/mme.ts';
import { assertReadable, InputError, readNdjson } from '../fhir/ndjson.ts';
import type { CliIo } from './io.ts';
import { isRecord } from '../domain/fhir-primitives/json.ts';
import { localDayOf, parseIsoDay } from '../domain/fhir-primitives/dates.ts';

const USAGE = 'usage: clbp mme <file.json|file.ndjson> [--as-of YYYY-MM-DD] [--timeline FROM..TO]';

const HELP = `${USAGE}

Prints JSON: MME/day per MedicationStatement/MedicationRequest (counted, excluded or unknown, with
the reason and an explanation) and the total. Factors: CDC 2022 (${MME_FACTOR_TABLE.citation}).
  --as-of DATE         count only medications active on DATE (default: every medication, asOf today)
  --timeline FROM..TO  add the daily total MME for each day FROM..TO

${NLM_ATTRIBUTION}`;

interface Loaded {
  readonly resources: unknown[];
  readonly fullUrls: [string, unknown][];
}

/** Largest .json file read whole (a Bundle); bigger inputs should be NDJSON, which streams. */
const MAX_JSON_BYTES = 256 * 1024 * 1024;

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

function add(loaded: Loaded, value: unknown, where: string): void {
  if (!isRecord(value) || typeof value['resourceType'] !== 'string') {
    throw new InputError(`${where}: not a FHIR resource (no resourceType)`);
  }
  if (value['resourceType'] === 'Bundle') {
    const { resources, fullUrls } = bundleEntries(value);
    loaded.resources.push(...resources);
    loaded.fullUrls.push(...fullUrls);
  } else {
    loaded.resources.push(value);
  }
}

/** Streams NDJSON (src/fhir/ndjson.ts); the first bad line stops it, naming the file and line. */
async function loadNdjson(file: string): Promise<Loaded> {
  const loaded: Loaded = { resources: [], fullUrls: [] };
  for await (const item of readNdjson(file)) {
    if (item.kind === 'malformed') {
      throw new InputError(`${item.file}:${item.line}: ${item.message}`);
    }
    add(loaded, item.resource, `${item.file}:${item.line}`);
  }
  return loaded;
}

async function loadJson(file: string): Promise<Loaded> {
  await assertReadable([file]);
  const size = (await stat(file)).size;
  if (size > MAX_JSON_BYTES) {
    throw new InputError(
      `${file}: ${Math.round(size / 1024 / 1024)} MB is too large to read as one JSON document; give NDJSON (.ndjson), which is streamed`,
    );
  }
  const text = await readFile(file, 'utf8');
  const loaded: Loaded = { resources: [], fullUrls: [] };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (lines.length > 1 && text.trimStart().startsWith('{')) {
      return loadNdjson(file); // NDJSON without the .ndjson extension
    }
    throw new InputError(`${file}: invalid JSON (${oneLine(error)})`);
  }
  add(loaded, value, file);
  return loaded;
}

function validDate(value: string): boolean {
  return parseIsoDay(value) !== undefined;
}

function today(): string {
  return localDayOf(new Date());
}

function toOutput(result: MedicationMmeResult, asOf: string | undefined): Record<string, unknown> {
  const inactive =
    asOf !== undefined && result.kind === 'counted' && !isActiveOn(result.interval, asOf);
  const common = {
    id: result.id,
    resourceType: result.resourceType,
    name: result.label,
    interval: result.interval,
    ingredients: result.ingredients,
  };
  if (inactive) {
    const span = `${result.interval.start ?? 'unknown start'} to ${result.interval.end ?? 'ongoing'}`;
    return {
      ...common,
      status: 'excluded',
      mmePerDay: null,
      reason: 'not-active-on-as-of',
      explanation: `not active on ${asOf} (active ${span}); when active: ${result.explanation}`,
    };
  }
  return {
    ...common,
    status: result.kind,
    mmePerDay: result.mmePerDay,
    reason: result.reason,
    explanation: result.explanation,
  };
}

interface Options {
  file: string;
  asOf: string | undefined;
  timeline: [string, string] | undefined;
}

/** Parsed options, 'help', or an error message. */
function options(argv: readonly string[]): Options | 'help' | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        'as-of': { type: 'string' },
        timeline: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return { error: oneLine(error) };
  }
  if (parsed.values.help === true) {
    return 'help';
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) {
    return {
      error: file === undefined ? 'missing <file>' : `unexpected argument '${extra.join(' ')}'`,
    };
  }
  const asOf = parsed.values['as-of'];
  if (asOf !== undefined && !validDate(asOf)) {
    return { error: `--as-of must be a date YYYY-MM-DD, got '${asOf}'` };
  }
  const window = parsed.values.timeline;
  if (window === undefined) {
    return { file, asOf, timeline: undefined };
  }
  const [from, to, ...rest] = window.split('..');
  if (
    from === undefined ||
    to === undefined ||
    rest.length > 0 ||
    !validDate(from) ||
    !validDate(to) ||
    to < from
  ) {
    return {
      error: `--timeline must be FROM..TO with dates YYYY-MM-DD and FROM not after TO, got '${window}'`,
    };
  }
  return { file, asOf, timeline: [from, to] };
}

/** Runs `clbp mme`; see the module comment. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const opts = options(argv);
  if (opts === 'help') {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  if ('error' in opts) {
    io.stderr(`clbp mme: ${opts.error}\n${USAGE}\n`);
    return 2;
  }
  let loaded: Loaded;
  try {
    loaded = /\.(ndjson|jsonl)$/i.test(opts.file)
      ? await loadNdjson(opts.file)
      : await loadJson(opts.file);
  } catch (error) {
    const message =
      error instanceof InputError ? error.message : `cannot read ${opts.file} (${oneLine(error)})`;
    io.stderr(`clbp mme: ${message}\n`);
    return 2;
  }
  if (loaded.resources.length === 0) {
    io.stderr(`clbp mme: ${opts.file}: no FHIR resources\n`);
    return 2;
  }
  const results = computeMmeForResources(loaded.resources, loaded.fullUrls);
  const asOf = opts.asOf ?? today();
  const medications = results.map((r) => toOutput(r, opts.asOf));
  // On a day (--as-of), overlapping records of one product count once (the engine's reconciled
  // total); without it every counted record in the file adds up, whatever its dates.
  let total = 0;
  if (opts.asOf !== undefined) {
    total = totalMmePerDay(results, opts.asOf);
  } else {
    for (const m of medications) {
      total += typeof m['mmePerDay'] === 'number' ? m['mmePerDay'] : 0;
    }
  }
  const output: Record<string, unknown> = {
    asOf,
    factors: MME_FACTOR_TABLE.version,
    medications,
    totalMmePerDay: Math.round(total * 1e6) / 1e6,
  };
  if (opts.timeline) {
    const [from, to] = opts.timeline;
    output['timeline'] = mmeTimeline(results, { from, to, asOf });
  }
  io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  return 0;
}
