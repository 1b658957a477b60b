import { resolve } from 'node:path';
import { main } from '../../src/cli/clbp.ts';

export interface ClbpRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `clbp <argv>` in-process through main(), capturing what it prints. */
export async function runClbp(argv: readonly string[]): Promise<ClbpRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** The research backend client's key, registered with the sandbox (clients.json). */
export const RESEARCH_KEY_FILE = resolve(
  import.meta.dirname,
  '../fixtures/backend-client.private.jwk.json',
);

/** `clbp bulk --patient-level` of the whole server into `out`, as the research client. */
export function bulkExportAll(fhirBase: string, out: string): Promise<ClbpRun> {
  return runClbp([
    'bulk',
    '--fhir',
    fhirBase,
    '--patient-level',
    '--client-id',
    'clbp-research',
    '--key',
    RESEARCH_KEY_FILE,
    '--out',
    out,
  ]);
}
