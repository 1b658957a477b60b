/**
 * `clbp bulk --fhir <base> (--group <id> | --patient-level) --client-id <id> --key <jwk-file>
 *  --out <dir> [--type A,B] [--since <instant>]`: a FHIR Bulk Data export with SMART Backend
 * Services authorization, streamed into NDJSON files in --out (created 0600). Re-running the same
 * command with the same --out resumes an interrupted export; a folder holding a finished export is
 * only replaced with --force. Progress goes to stderr; exit 0 on success, 1 on failure (one line),
 * 2 on bad options or input (one line), 130 when interrupted.
 */
import { readFile } from 'node:fs/promises';
import { createBackendAuth, parsePrivateJwk } from '../fhir/bulk/backendAuth.ts';
import type { ExportLevel } from '../fhir/bulk/bulkClient.ts';
import {
  ANALYSIS_TYPES,
  exportFilesIn,
  runBulkExport,
  systemScopes,
} from '../fhir/bulk/bulkClient.ts';
import { readJobState } from '../fhir/bulk/jobState.ts';
import { FhirError } from '../fhir/errors.ts';
import { lineReporter } from './bulkReporter.ts';
import type { CliIo } from './io.ts';
import { fhirCommandOptions, type Parsed as ParsedArgs } from './args.ts';

const USAGE = `usage: clbp bulk --fhir <base> (--group <id> | --patient-level) --client-id <id> --key <jwk-file> --out <dir>
                 [--type <A,B,…>] [--since <instant>] [--force]

FHIR Bulk Data export (SMART Backend Services, private_key_jwt) into NDJSON files in --out.
  --group <id>       Group-level export: the Group's members and their data
  --patient-level    every patient on the server
  --client-id <id>   the registered backend client (sandbox: clbp-research)
  --key <file>       its private JWK (ES384 or RS384)
  --out <dir>        where the files go; re-run with the same --out to resume an interrupted export
  --force            replace the files of an earlier, finished export in --out
  --type <list>      resource types (default: ${ANALYSIS_TYPES.join(',')})
  --since <instant>  only resources changed since then (FHIR instant, e.g. 2026-01-01T00:00:00Z)
`;

const TYPE = /^[A-Z][A-Za-z]+$/;

interface Options {
  readonly fhirBase: string;
  readonly level: ExportLevel;
  readonly clientId: string;
  readonly keyFile: string;
  readonly outDir: string;
  readonly types: readonly string[];
  readonly since?: string;
  readonly force: boolean;
}

type Parsed = ParsedArgs<Options>;

function parse(argv: readonly string[]): Parsed {
  const common = fhirCommandOptions(
    argv,
    {
      fhir: { type: 'string' },
      group: { type: 'string' },
      'patient-level': { type: 'boolean' },
      'client-id': { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string' },
      type: { type: 'string' },
      since: { type: 'string' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    ['fhir', 'client-id', 'key', 'out'],
  );
  if (common.kind !== 'values') {
    return common;
  }
  const { values, fhirBase } = common;
  if ((values.group === undefined) === (values['patient-level'] !== true)) {
    return { kind: 'error', message: 'give exactly one of --group <id> and --patient-level' };
  }
  const types =
    values.type === undefined ? ANALYSIS_TYPES : values.type.split(',').map((s) => s.trim());
  const badType = types.find((t) => !TYPE.test(t));
  if (badType !== undefined) {
    return { kind: 'error', message: `--type: '${badType}' is not a resource type name` };
  }
  if (values.since !== undefined && Number.isNaN(Date.parse(values.since))) {
    return { kind: 'error', message: `--since must be an instant like 2026-01-01T00:00:00Z` };
  }
  return {
    kind: 'run',
    options: {
      fhirBase,
      level:
        values.group === undefined ? { kind: 'patient' } : { kind: 'group', groupId: values.group },
      clientId: values['client-id'] ?? '',
      keyFile: values.key ?? '',
      outDir: values.out ?? '',
      types,
      ...(values.since === undefined ? {} : { since: values.since }),
      force: values.force === true,
    },
  };
}

/** Why the options cannot run before anything is asked of the server, or undefined. */
async function outRefusal(o: Options): Promise<string | undefined> {
  const key = await readFile(o.keyFile, 'utf8').then(
    () => undefined,
    () => `cannot read the key file ${o.keyFile}`,
  );
  if (key !== undefined || o.force) {
    return key;
  }
  const finished = (await readJobState(o.outDir).catch(() => undefined)) === undefined;
  const files = await exportFilesIn(o.outDir);
  return finished && files.length > 0
    ? `${o.outDir} already holds an export (${files.length} file(s)); use another --out, or --force to replace it`
    : undefined;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(argv);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`clbp bulk: ${parsed.message}\n${USAGE}`);
    return 2;
  }
  const o = parsed.options;
  const refusal = await outRefusal(o);
  if (refusal !== undefined) {
    io.stderr(`clbp bulk: ${refusal}\n`);
    return 2;
  }
  const controller = new AbortController();
  const interrupt = (): void => {
    controller.abort(new Error('interrupted'));
  };
  process.once('SIGINT', interrupt);
  try {
    const keyText = await readFile(o.keyFile, 'utf8');
    const onEvent = lineReporter((text) => {
      io.stderr(text);
    });
    await runBulkExport({
      fhirBase: o.fhirBase,
      level: o.level,
      types: o.types,
      ...(o.since === undefined ? {} : { since: o.since }),
      outDir: o.outDir,
      auth: createBackendAuth({
        fhirBase: o.fhirBase,
        clientId: o.clientId,
        privateKey: parsePrivateJwk(keyText, o.keyFile),
        scope: systemScopes(o.types),
        onEvent,
      }),
      onEvent,
      signal: controller.signal,
      replace: o.force,
    });
    return 0;
  } catch (err) {
    if (controller.signal.aborted) {
      io.stderr('clbp bulk: interrupted; run the same command again to resume\n');
      return 130;
    }
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    io.stderr(`clbp bulk: ${message}\n`);
    return err instanceof FhirError && err.kind === 'config' ? 2 : 1; // a key that cannot be used
  } finally {
    process.off('SIGINT', interrupt);
  }
}
