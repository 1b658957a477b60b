/**
 * Starts the real sandbox for an e2e test on free ports (port 0). The environment is NOT inherited
 * from the shell, so a developer's SANDBOX_* switches cannot change a test; pass `env` to set them.
 */
import { startSandbox } from '../../../src/sandbox/server.ts';
import type { Sandbox } from '../../../src/sandbox/server.ts';

export type { Sandbox } from '../../../src/sandbox/server.ts';

/** The e2e tests' fixed "today" (a Monday afternoon in Denver). */
export const E2E_AS_OF = new Date('2026-03-16T21:00:00Z');

export interface TestSandboxOptions {
  readonly env?: Readonly<Record<string, string>>;
  readonly asOf?: Date;
  /** Also seed the 30,000-resource patient heavy-30k (a second or two more to start). */
  readonly heavy30k?: boolean;
}

/** Every sandbox this test file started: the US Core check reads what the app wrote to each. */
export const startedSandboxes: Sandbox[] = [];

export async function startTestSandbox(o: TestSandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({
    port: 0,
    appPort: 0,
    asOf: o.asOf ?? E2E_AS_OF,
    env: { ...o.env },
    heavy30k: o.heavy30k === true,
  });
  startedSandboxes.push(sandbox);
  return sandbox;
}
