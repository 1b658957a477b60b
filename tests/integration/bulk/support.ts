/**
 * Shared set-up of the bulk tests: the real sandbox (FHIR and authorization servers, no app) on port 0 with a small research cohort, the
 * sandbox's backend client and its SANDBOX-ONLY private key, and a fetch that counts requests.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JWK } from 'jose';
import { startSandbox } from '../../../src/sandbox/server.ts';
import type { Sandbox } from '../../../src/sandbox/server.ts';

export const AS_OF = new Date('2026-03-16T21:00:00Z');
export const CLIENT_ID = 'clbp-research';
export const KEY_FILE = resolve(
  import.meta.dirname,
  '../../fixtures/backend-client.private.jwk.json',
);
export const PRIVATE_KEY = JSON.parse(readFileSync(KEY_FILE, 'utf8')) as JWK;

export async function startBulkSandbox(
  env: Record<string, string> = {},
  cohort = 20,
): Promise<Sandbox> {
  return startSandbox({
    port: 0,
    serveApp: false,
    asOf: AS_OF,
    cohort,
    env: { SANDBOX_EXPORT_STEP_MS: '40', ...env },
  });
}

export interface CountingFetch {
  readonly fetch: typeof fetch;
  /** "METHOD url" of every request, in order. */
  readonly calls: string[];
  count(pattern: RegExp): number;
}

export function countingFetch(): CountingFetch {
  const calls: string[] = [];
  return {
    calls,
    fetch: (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (init?.signal?.aborted !== true) {
        calls.push(`${init?.method ?? 'GET'} ${url}`); // an aborted call never reaches the server
      }
      return fetch(input, init);
    },
    count: (pattern) => calls.filter((c) => pattern.test(c)).length,
  };
}
