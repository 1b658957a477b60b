/**
 * `clbp export --fhir <base> --patient <id> (--token <t> | --client-id <id> --key <jwk-file>)
 *  --out <file|-> [--deidentify [--deid-secret <s>]]`: one patient's CLBP pathway data as a FHIR
 * collection Bundle. Exit 0, 1 on failure (one line on stderr), 2 on bad options.
 *
 * De-identification keys: with --deid-secret (or CLBP_DEID_SECRET) the date shift and the id
 * pseudonyms are HMAC-SHA256 of the patient id / resource id under that secret, so repeated
 * extracts of a patient line up; without it a random key is drawn per run, so two runs cannot be
 * linked. The shift is 1–365 days either way and never 0.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Bundle } from 'fhir/r4';
import { deidentifyBundle } from '../domain/deidentify/deidentify.ts';
import { createBackendAuth, parsePrivateJwk } from '../fhir/bulk/backendAuth.ts';
import { systemScopes } from '../fhir/bulk/bulkClient.ts';
import { exportPatient } from '../fhir/patientExport.ts';
import type { TokenSource } from '../fhir/transport.ts';
import { COMMAND_LINE_RETRIES, createTransport } from '../fhir/transport.ts';
import type { CliIo } from './io.ts';
import { fhirBaseOption, missingOptions, parseError, type Parsed as ParsedArgs } from './args.ts';

const USAGE = `usage: clbp export --fhir <base> --patient <id> (--token <t> | --client-id <id> --key <jwk-file>)
                   --out <file|-> [--deidentify [--deid-secret <s>]]

One patient's CLBP pathway data (Patient, low back pain Conditions, PEG, opioid medications,
programme referrals and Tasks, wearable activity/sleep) as a FHIR collection Bundle.
  --token <t>            a bearer token with read access to the patient's data, or
  --client-id, --key     a backend client and its private JWK (SMART Backend Services)
  --out <file>           where the Bundle goes ('-' = stdout)
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
    { kind: 'token'; token: string } | { kind: 'backend'; clientId: string; keyFile: string };
  readonly out: string;
  readonly deidentify: boolean;
  readonly secret: string | undefined;
}

type Parsed = ParsedArgs<Options>;

function parse(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        fhir: { type: 'string' },
        patient: { type: 'string' },
        token: { type: 'string' },
        'client-id': { type: 'string' },
        key: { type: 'string' },
        out: { type: 'string' },
        deidentify: { type: 'boolean' },
        'deid-secret': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return parseError(err);
  }
  if (values.help === true) {
    return { kind: 'help' };
  }
  const missing = missingOptions(values, ['fhir', 'patient', 'out']);
  if (missing !== undefined) {
    return { kind: 'error', message: missing };
  }
  const fhir = fhirBaseOption(values.fhir);
  if ('error' in fhir) {
    return { kind: 'error', message: fhir.error };
  }
  const fhirBase = fhir.base;
  const patientId = values.patient ?? '';
  if (!FHIR_ID.test(patientId)) {
    return { kind: 'error', message: `--patient must be a FHIR id, got '${patientId}'` };
  }
  const backend = values['client-id'] !== undefined || values.key !== undefined;
  if ((values.token !== undefined) === backend) {
    return { kind: 'error', message: 'give either --token or --client-id with --key' };
  }
  if (backend && (values['client-id'] === undefined || values.key === undefined)) {
    return { kind: 'error', message: '--client-id and --key go together' };
  }
  const secret = values['deid-secret'] ?? env['CLBP_DEID_SECRET'];
  if (values['deid-secret'] !== undefined && values.deidentify !== true) {
    return { kind: 'error', message: '--deid-secret only makes sense with --deidentify' };
  }
  // An empty secret is a mistake (an unset shell variable, a missing value), not a request for a
  // random key: extracts made with it could never be linked, and nobody would know why.
  if (values.deidentify === true && secret === '') {
    return {
      kind: 'error',
      message: `${values['deid-secret'] === '' ? '--deid-secret' : 'CLBP_DEID_SECRET'} is empty: give the study's secret, or leave it out for a random key per run`,
    };
  }
  return {
    kind: 'run',
    options: {
      fhirBase,
      patientId,
      auth: backend
        ? { kind: 'backend', clientId: values['client-id'] ?? '', keyFile: values.key ?? '' }
        : { kind: 'token', token: values.token ?? '' },
      out: values.out ?? '',
      deidentify: values.deidentify === true,
      secret,
    },
  };
}

async function tokenSource(o: Options): Promise<TokenSource> {
  if (o.auth.kind === 'token') {
    const token = o.auth.token;
    return { token: () => Promise.resolve(token) };
  }
  const { keyFile, clientId } = o.auth;
  const keyText = await readFile(keyFile, 'utf8').catch(() => {
    throw new Error(`cannot read the key file ${keyFile}`);
  });
  return createBackendAuth({
    fhirBase: o.fhirBase,
    clientId,
    privateKey: parsePrivateJwk(keyText, keyFile),
    scope: systemScopes(EXPORT_TYPES),
  });
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
      await writeFile(`${o.out}.part`, text, 'utf8');
      await rename(`${o.out}.part`, o.out);
    }
    const where = o.out === '-' ? 'stdout' : o.out;
    io.stderr(
      `clbp export: ${summary(bundle)}${o.deidentify ? ' (de-identified)' : ''} → ${where}\n`,
    );
    return 0;
  } catch (err) {
    const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
    io.stderr(`clbp export: ${message}\n`);
    return 1;
  }
}
