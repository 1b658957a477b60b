/**
 * Runs after every e2e file (vitest setupFiles): every resource version the app wrote to any
 * sandbox the file started (client `clbp-pathway`, from a page on the app's origin: the tests' own
 * hand-made writes with that client's tokens are not the app's) must pass the US Core conformance
 * check of tests/support/usCore/. A write that breaks a profile fails the file that made it.
 */
import { afterAll } from 'vitest';
import { checkConformance } from '../../support/usCore/conformance.ts';
import { startedSandboxes } from './sandbox.ts';

const APP_CLIENT_ID = 'clbp-pathway';

afterAll(() => {
  const written = startedSandboxes.flatMap((sandbox) =>
    sandbox.repo
      .journal()
      .filter((e) => e.writer?.clientId === APP_CLIENT_ID && e.writer.origin === sandbox.appOrigin)
      .map((e) => e.resource),
  );
  const issues = written.flatMap((resource) => checkConformance(resource as never));
  if (issues.length > 0) {
    throw new Error(
      `US Core conformance: ${issues.length} issue(s) in what the app wrote:\n${issues
        .map((i) => `  ${i.resource} (${i.profile}): ${i.message}`)
        .join('\n')}`,
    );
  }
  if (written.length > 0) {
    const types = new Map<string, number>();
    for (const r of written) {
      types.set(r.resourceType, (types.get(r.resourceType) ?? 0) + 1);
    }
    console.info(
      `US Core conformance: ${written.length} resource versions the app wrote passed (${[...types].map(([t, n]) => `${n} ${t}`).join(', ')})`,
    );
  }
});
