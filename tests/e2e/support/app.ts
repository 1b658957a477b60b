/**
 * End-to-end support for the app: the real sandbox on free ports, seeded for today (the app reads
 * the browser's clock), headless Chromium from the shared harness, and reads of what the sandbox
 * stores.
 */
import { parseSearchRequest } from '@medplum/core';
import type { Resource } from 'fhir/r4';
import type { Page } from 'playwright-core';
import type { Sandbox } from '../../../src/sandbox/server.ts';
import { startTestSandbox as startHarnessSandbox } from '../harness/sandbox.ts';

export { launchChromium } from '../harness/browser.ts';

/** A sandbox whose seed dates are relative to today, as the app's own "today" is the clock's. */
export function startTestSandbox(env: Readonly<Record<string, string>> = {}): Promise<Sandbox> {
  return startHarnessSandbox({ env, asOf: new Date() });
}

/** Opens the EHR launch of a patient and waits until every section has rendered. */
export async function launchPatient(page: Page, sandbox: Sandbox, patient: string): Promise<void> {
  await page.goto(sandbox.launchUrl(patient, 'pcp-1'));
  await page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
}

/** Resources the sandbox holds for a search, read from its repository (no token involved). */
export async function stored<T extends Resource>(sandbox: Sandbox, query: string): Promise<T[]> {
  const resources = await sandbox.repo.searchResources(parseSearchRequest(query));
  return resources as unknown as T[];
}
