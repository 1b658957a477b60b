/**
 * End-to-end support for the app: the real sandbox on free ports and headless Debian Chromium
 * (playwright-core, no downloaded browser), plus helpers that read what the sandbox stores.
 */
import { parseSearchRequest } from '@medplum/core';
import type { Resource } from 'fhir/r4';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../../src/sandbox/server.ts';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function startTestSandbox(env: NodeJS.ProcessEnv = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, appPort: 0, env: { ...env } });
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
