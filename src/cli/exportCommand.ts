/**
 * `clbp export --fhir <base> --patient <id> (CLBP_TOKEN | --token-file <f> | --token <t> |
 *  --client-id <id> --key <jwk-file>) --out <file|-> [--force] [--deidentify [--deid-secret <s>]]`:
 * one patient's CLBP pathway data as a FHIR collection Bundle, written whole or not at all (a
 * temporary file, 0600, renamed into place; an existing file only with --force). Exit 0, 1 on
 * failure (one line on stderr), 2 on bad options or input (one line).
 *
 * De-identification keys: with --deid-secret (or CLBP_DEID_SECRET) the date shift and the id
 * pseudonyms are HMAC-SHA256 of the patient id / resource id under that secret, so repeated
 * extracts of a patient line up; without it a random key is drawn per run, so two runs cannot be
 * linked. The shift is 1–365 days either way and never 0.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Bundle } from 'fhir/r4';
import { deidentifyBundle } from '../domain/deidentify/deidentify.ts';
import { createBackendAuth, parsePrivateJwk } from '../fhir/bulk/backendAuth.ts';
import { systemScopes } from '../fhir/bulk/bulkClient.ts';
import { FhirError } from '../fhir/errors.ts';
import { exportPatient } from '../fhir/patientExport.ts';
import type { TokenSource } from '../fhir/transport.ts';
import { COMMAND_LINE_RETRIES, createTransport } from '../fhir/transport.ts';
import type { CliIo } from './io.ts';
import { fhirCommandOptions, type Parsed as ParsedArgs } from './args.ts';

const USAGE = `usage: clbp export --fhir <base> --patient <id> (--token-file <f> | --client-id <id> --key <jwk-file>)
                   --out <file|-> [--force] [--deidentify [--deid-secret <s>]]

One patient's CLBP pathway data (Patient, low back pain Conditions, PEG, opioid medications,
programme referrals and Tasks, wearable activity/sleep) as a FHIR collection Bundle.
  a bearer token with read access to the patient's data, from (first found):
    CLBP_TOKEN           the environment variable, or
    --token-file <f>     a file holding it, or
    --token <t>          the command line (other users of the machine can see it: avoid), or
  --client-id, --key     a backend client and its private JWK (SMART Backend Services)
  --out <file>           where the Bundle goes ('-' = stdout); created 0600 (patient data)
  --force                replace --out if it exists
  --deidentify           drop names, addresses, telecom, identifiers, narrative and free text;
                         shift every date by one per-patient offset; pseudonymise ids
  --deid-secret <s>      key for the offset and pseudonyms (default: CLBP_DEID_SECRET, else random
                         per run); the same secret gives the same offset and ids every time
`;

/** What `clbp export` reads, for a backend token's scopes. */
const EXPORT_TYPES = [
  'Patient',
  'Condition',
  'Observation',
  'QuestionnaireResponse',
  'MedicationStatement',
  'MedicationRequest',
  'Medication',
  'ServiceRequest',
  'Task',
];
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_SHIFT_DAYS = 365;

interface Options {
  readonly fhirBase: string;
  readonly patientId: string;
  readonly auth:
    | { kind: 'token'; token: string }
    | { kind: 'token-file'; file: string }
    | { kind: 'backend'; clientId: string; keyFile: string };
  readonly out: string;
  readonly force: boolean;
  readonly deidentify: boolean;
  readonly secret: string | undefined;
}

type Parsed = ParsedArgs<Options>;

function parse(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  const common = fhirCommandOptions(
    argv,
    {
      fhir: { type: 'string' },
      patient: { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      'client-id': { type: 'string' },
      key: { type: 'string' },
      out: { type: 'string' },
      force: { type: 'boolean' },
      deidentify: { type: 'boolean' },
      'deid-secret': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    ['fhir', 'patient', 'out'],
  );
  if (common.kind !== 'values') {
    return common;
  }
  const { values, fhirBase } = common;
  const patientId = values.patient ?? '';
  if (!FHIR_ID.test(patientId)) {
    return { kind: 'error', message: `--patient must be a FHIR id, got '${patientId}'` };
  }
  const auth = authOption(values, env);
  if ('error' in auth) {
    return { kind: 'error', message: auth.error };
  }
  const deidentify = values.deidentify === true;
  const secret = deidSecretOption(values, env, deidentify);
  if (typeof secret === 'object') {
    return { kind: 'error', message: secret.error };
  }
  return {
    kind: 'run',
    options: {
      fhirBase,
      patientId,
      auth,
      out: values.out ?? '',
      force: values.force === true,
      deidentify,
      secret,
    },
  };
}

interface AuthValues {
  readonly token?: string | undefined;
  readonly 'token-file'?: string | undefined;
  readonly 'client-id'?: string | undefined;
  readonly key?: string | undefined;
}

/** Exactly one way to authenticate: a token (CLBP_TOKEN, --token-file, --token) or a backend key. */
function authOption(
  values: AuthValues,
  env: NodeJS.ProcessEnv,
): Options['auth'] | { error: string } {
  const backend = values['client-id'] !== undefined || values.key !== undefined;
  const envToken = env['CLBP_TOKEN'] === '' ? undefined : env['CLBP_TOKEN'];
  const given = [values.token, values['token-file'], backend ? 'backend' : undefined].filter(
    (v) => v !== undefined,
  );
  if (given.length > 1) {
    return { error: 'give one of --token, --token-file and --client-id with --key' };
  }
  if (given.length === 0 && envToken === undefined) {
    return {
      error: 'give a token (CLBP_TOKEN, --token-file or --token) or --client-id with --key',
    };
  }
  if (backend) {
    return values['client-id'] === undefined || values.key === undefined
      ? { error: '--client-id and --key go together' }
      : { kind: 'backend', clientId: values['client-id'], keyFile: values.key };
  }
  return values['token-file'] !== undefined
    ? { kind: 'token-file', file: values['token-file'] }
    : { kind: 'token', token: values.token ?? envToken ?? '' };
}

/** The de-identification key: --deid-secret, else CLBP_DEID_SECRET, else undefined (random). */
function deidSecretOption(
  values: { readonly 'deid-secret'?: string | undefined },
  env: NodeJS.ProcessEnv,
  deidentify: boolean,
): string | undefined | { error: string } {
  const secret = values['deid-secret'] ?? env['CLBP_DEID_SECRET'];
  if (values['deid-secret'] !== undefined && !deidentify) {
    return { error: '--deid-secret only makes sense with --deidentify' };
  }
  // An empty secret is a mistake (an unset shell variable, a missing value), not a request for a
  // random key: extracts made with it could never be linked, and nobody would know why.
  if (deidentify && secret === '') {
    const where = values['deid-secret'] === '' ? '--deid-secret' : 'CLBP_DEID_SECRET';
    return {
      error: `${where} is empty: give the study's secret, or leave it out for a random key per run`,
    };
  }
  return secret;
}

/** Bad input found before anything is asked of the server: exit 2 with this line. */
class UsageError extends Error {}

async function readOption(file: string, what: string): Promise<string> {
  return readFile(file, 'utf8').catch(() => {
    throw new UsageError(`cannot read the ${what} ${file}`);
  });
}

async function tokenSource(o: Options): Promise<TokenSource> {
  switch (o.auth.kind) {
    case 'token': {
      const token = o.auth.token;
      return { token: () => Promise.resolve(token) };
    }
    case 'token-file': {
      const token = (await readOption(o.auth.file, 'token file')).trim();
      if (token === '' || /\s/.test(token)) {
        throw new UsageError(`${o.auth.file} must hold one bearer token and nothing else`);
      }
      return { token: () => Promise.resolve(token) };
    }
    case 'backend': {
      const { keyFile, clientId } = o.auth;
      const keyText = await readOption(keyFile, 'key file');
      return createBackendAuth({
        fhirBase: o.fhirBase,
        clientId,
        privateKey: parsePrivateJwk(keyText, keyFile),
        scope: systemScopes(EXPORT_TYPES),
      });
    }
  }
}

/** Refuses an --out that exists (without --force) or whose folder does not. */
async function checkOut(o: Options): Promise<void> {
  if (o.out === '-') {
    return;
  }
  if (!o.force && (await stat(o.out).catch(() => undefined)) !== undefined) {
    throw new UsageError(`${o.out} exists; use --force to replace it, or another --out`);
  }
  const folder = await stat(dirname(o.out)).catch(() => undefined);
  if (folder?.isDirectory() !== true) {
    throw new UsageError(`--out: the folder ${dirname(o.out)} does not exist`);
  }
}

/**
 * Writes the extract whole or not at all: a new temporary file beside --out (0600: it holds
 * patient data), then linked into place (refusing a file that appeared meanwhile) or, with
 * --force, renamed over it. The temporary file never survives a failure.
 */
async function writeExtract(out: string, text: string, force: boolean): Promise<void> {
  const part = join(dirname(out), `.${basename(out)}.${randomUUID()}.part`);
  try {
    await writeFile(part, text, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    if (force) {
      await rename(part, out);
    } else {
      await link(part, out).catch((err: unknown) => {
        throw (err as NodeJS.ErrnoException).code === 'EEXIST'
          ? new UsageError(`${out} exists; use --force to replace it, or another --out`)
          : err;
      });
    }
  } finally {
    await rm(part, { force: true });
  }
}

/** Date shift in days (±1…365, never 0) for a patient under a key. */
export function dateShiftDays(key: Buffer | string, patientId: string): number {
  const n = createHmac('sha256', key).update(`date-shift\0${patientId}`).digest().readUInt32BE(0);
  const step = n % (2 * MAX_SHIFT_DAYS);
  return step < MAX_SHIFT_DAYS ? -(step + 1) : step - MAX_SHIFT_DAYS + 1;
}

function pseudonymizer(key: Buffer | string): (type: string, id: string) => string {
  return (type, id) => createHmac('sha256', key).update(`${type}/${id}`).digest('hex').slice(0, 32);
}

function summary(bundle: Bundle): string {
  const counts = new Map<string, number>();
  for (const e of bundle.entry ?? []) {
    const type = e.resource?.resourceType ?? 'unknown';
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parse(argv, process.env);
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.stderr(`clbp export: ${parsed.message}\n${USAGE}`);
    return 2;
  }
  const o = parsed.options;
  try {
    await checkOut(o);
    const transport = createTransport({
      baseUrl: o.fhirBase,
      auth: await tokenSource(o),
      retry: COMMAND_LINE_RETRIES,
    });
    let bundle = await exportPatient(transport, o.patientId, new Date());
    if (o.deidentify) {
      const key = o.secret ?? randomBytes(32);
      bundle = deidentifyBundle(bundle, {
        shiftDays: dateShiftDays(key, o.patientId),
        pseudonym: pseudonymizer(key),
      });
    }
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    if (o.out === '-') {
      io.stdout(text);
    } else {
      await writeExtract(o.out, text, o.force);
    }
    const where = o.out === '-' ? 'stdout' : o.out;
    io.stderr(
      `clbp export: ${summary(bundle)}${o.deidentify ? ' (de-identified)' : ''} → ${where}\n`,
    );
    return 0;
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    io.stderr(`clbp export: ${message}\n`);
    return err instanceof UsageError || (err instanceof FhirError && err.kind === 'config') ? 2 : 1;
  }
}
