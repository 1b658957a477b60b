/**
 * `npm start` / `npm run sandbox [-- --cohort <n>]`: runs the EHR sandbox and the app server on
 * 127.0.0.1 until interrupted. Ports: SANDBOX_PORT (8110) and APP_PORT (5173).
 */
import { fileURLToPath } from 'node:url';
import { COHORT_GROUP_ID } from './cohort.ts';
import { ConfigError, portsFromEnv } from './config.ts';
import { startSandbox } from './server.ts';
import type { Sandbox } from './server.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface MainArgs {
  /** Research cohort size to add to the seed (`--cohort <n>`). */
  readonly cohort?: number;
  readonly help: boolean;
}

const USAGE = 'usage: npm run sandbox [-- --cohort <n>]   (ports: SANDBOX_PORT, APP_PORT)';
const MAX_COHORT = 100_000;

export function parseArgs(argv: readonly string[]): MainArgs {
  let cohort: number | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
    } else if (arg === '--cohort' || arg.startsWith('--cohort=')) {
      const raw = arg === '--cohort' ? argv[++i] : arg.slice('--cohort='.length);
      const n = Number(raw);
      if (raw === undefined || raw === '' || !Number.isInteger(n) || n < 1 || n > MAX_COHORT) {
        throw new UsageError(
          `--cohort needs a whole number from 1 to ${MAX_COHORT}, got "${raw ?? ''}"`,
        );
      }
      cohort = n;
    } else {
      throw new UsageError(`unknown argument "${arg}"; ${USAGE}`);
    }
  }
  return { help, ...(cohort === undefined ? {} : { cohort }) };
}

function describe(s: Sandbox, ms: number, cohort: string | undefined): string {
  const width = Math.max(...s.patients.map((p) => p.id.length));
  const rows = s.patients.map((p) => `  ${p.id.padEnd(width)}  ${p.scenario}`);
  return [
    `CLBP Pathway EHR sandbox is running (ready in ${Math.round(ms)} ms)`,
    `  EHR simulator:  ${s.origin}/`,
    `  FHIR base:      ${s.fhirBase}`,
    `  SMART config:   ${s.fhirBase}/.well-known/smart-configuration`,
    `  App:            ${s.appOrigin}/`,
    `  Launch example: ${s.launchUrl('clbp-eligible')}`,
    'Patients:',
    ...rows,
    ...(cohort === undefined ? [] : [cohort]),
    'Press Ctrl+C to stop.',
  ].join('\n');
}

function groupUrl(fhirBase: string, groupId: string): string {
  return `${fhirBase}/Group/${groupId}`;
}

function portInUse(err: unknown): number | undefined {
  if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') {
    return 'port' in err && typeof err.port === 'number' ? err.port : -1;
  }
  return undefined;
}

/** Runs the sandbox; resolves with the exit code when it stops (or fails to start). */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  try {
    const args = parseArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    const { sandboxPort, appPort } = portsFromEnv(env);
    const asOf = new Date();
    const sandbox = await startSandbox({
      port: sandboxPort,
      appPort,
      env,
      asOf,
      heavy30k: true,
      ...(args.cohort === undefined ? {} : { cohort: args.cohort }),
    });
    const cohortLine =
      args.cohort === undefined
        ? undefined
        : `Research cohort: ${args.cohort} synthetic patients; referred arm ${groupUrl(sandbox.fhirBase, COHORT_GROUP_ID)}`;
    console.log(describe(sandbox, performance.now() - started, cohortLine));
    return await new Promise<number>((done) => {
      const stop = (signal: string): void => {
        console.log(`\n${signal}: stopping the sandbox`);
        sandbox.close().then(
          () => {
            done(0);
          },
          () => {
            done(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  } catch (err) {
    const port = portInUse(err);
    if (port !== undefined) {
      console.error(
        `error: port ${port} is already in use; stop the other server or set SANDBOX_PORT / APP_PORT`,
      );
    } else if (err instanceof Error) {
      console.error(`error: ${err.message}`);
    } else {
      console.error(`error: ${String(err)}`);
    }
    return err instanceof UsageError || err instanceof ConfigError ? 2 : 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
