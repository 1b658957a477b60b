/**
 * End-to-end support for the app: the real sandbox on free ports, seeded for today (the app reads
 * the browser's clock), headless Chromium from the shared harness, and reads of what the sandbox
 * stores.
 */
import { parseSearchRequest } from '@medplum/core';
import type { Resource } from 'fhir/r4';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { RED_FLAGS, SCREENING_LINK_IDS } from '../../../src/domain/screening/screening.ts';
import type { Sandbox } from '../../../src/sandbox/server.ts';
import { startTestSandbox as startHarnessSandbox } from '../harness/sandbox.ts';

import { launchChromium } from '../harness/browser.ts';

export { launchChromium };

/** A sandbox whose seed dates are relative to today, as the app's own "today" is the clock's. */
export function startTestSandbox(env: Readonly<Record<string, string>> = {}): Promise<Sandbox> {
  return startHarnessSandbox({ env, asOf: new Date() });
}

/** Opens the EHR launch of a patient and waits until every section has rendered. */
export async function launchPatient(page: Page, sandbox: Sandbox, patient: string): Promise<void> {
  await page.goto(sandbox.launchUrl(patient, 'pcp-1'));
  await page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
}

/** Opens every closed disclosure under `scope` (their content renders once opened). */
export async function openDisclosures(page: Page, scope: string): Promise<void> {
  const closed = page.locator(`${scope} details:not([open]) > summary`);
  for (let left = await closed.count(); left > 0; left = await closed.count()) {
    await closed.first().click();
  }
}

export interface ScreeningAnswers {
  readonly duration: string;
  readonly frequency: string;
  readonly redFlag?: string;
}

/** Fills in the screening form: Task Force answers, red flags (all "no" unless named), programme. */
export async function screenPatient(page: Page, answers: ScreeningAnswers): Promise<void> {
  await page.click('button:has-text("Screen")');
  await page.check(`#screening-${SCREENING_LINK_IDS.duration}-${answers.duration}`);
  await page.check(`#screening-${SCREENING_LINK_IDS.frequency}-${answers.frequency}`);
  for (const flag of RED_FLAGS) {
    await page.check(`#screening-${flag.linkId}-${String(flag.linkId === answers.redFlag)}`);
  }
  // Not asked when the chart's sex is male.
  if ((await page.locator(`#screening-${SCREENING_LINK_IDS.pregnant}-false`).count()) > 0) {
    await page.check(`#screening-${SCREENING_LINK_IDS.pregnant}-false`);
  }
  await page.check(`#screening-${SCREENING_LINK_IDS.telehealthAble}-true`);
  await page.click('button:has-text("Save screening")');
}

/**
 * Opens the EHR's programme entry as a staff member (no patient in context), allows the user/
 * scopes on the consent screen, and waits for the referral queue.
 */
export async function launchProgramme(
  page: Page,
  sandbox: Sandbox,
  practitioner = 'coordinator-1',
): Promise<void> {
  await page.goto(sandbox.programmeLaunchUrl(practitioner));
  await page.click('#approve');
  await page.waitForSelector('main.programme .queue-view[aria-busy="false"] #queue-heading', {
    timeout: 30_000,
  });
}

/** Resources the sandbox holds for a search, read from its repository (no token involved). */
export async function stored<T extends Resource>(sandbox: Sandbox, query: string): Promise<T[]> {
  const resources = await sandbox.repo.searchResources(parseSearchRequest(query));
  return resources as unknown as T[];
}

export interface AppTestContext {
  readonly sandbox: Sandbox;
  readonly browser: Browser;
  readonly page: Page;
}

/**
 * Registers the hooks of an app e2e file: one sandbox and one Chromium for the file, a fresh browser
 * context per test, faults and scope narrowing reset after each. Read the fields inside tests.
 */
export function appTestContext(env: Readonly<Record<string, string>> = {}): AppTestContext {
  let sandbox: Sandbox | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  beforeAll(async () => {
    [sandbox, browser] = await Promise.all([startTestSandbox(env), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
  });
  beforeEach(async () => {
    context = await browser?.newContext();
    page = await context?.newPage();
  });
  afterEach(async () => {
    sandbox?.faults.reset();
    sandbox?.auth.setNarrowing([]);
    await context?.close();
  });
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) {
      throw new Error(`${name} is only available inside a test`);
    }
    return value;
  };
  return {
    get sandbox() {
      return ready(sandbox, 'sandbox');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get page() {
      return ready(page, 'page');
    },
  };
}

/**
 * Lets the next write (a POST of a transaction to the FHIR base) reach the EHR, then drops its
 * answer, as a timeout after the server committed would: the case conditional creates exist for.
 */
export async function loseNextWriteAnswer(page: Page): Promise<void> {
  let lost = false;
  await page.route(/\/fhir\/?$/, async (route) => {
    if (route.request().method() === 'POST' && !lost) {
      lost = true;
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
}

/**
 * Duplicates a tab as the browser does: a new tab of the same context on the same URL, whose
 * session storage starts as a copy of the original's (the copy is made once, before the app's
 * scripts run; later reloads keep the duplicate's own storage).
 */
export async function duplicateTab(page: Page): Promise<Page> {
  const url = page.url();
  const entries: [string, string][] = await page.evaluate(() =>
    Object.keys(sessionStorage).map((key): [string, string] => [
      key,
      sessionStorage.getItem(key) ?? '',
    ]),
  );
  const copy = await page.context().newPage();
  await copy.addInitScript(
    ({ origin, items }: { origin: string; items: [string, string][] }) => {
      if (location.origin === origin && sessionStorage.getItem('e2e:duplicated') === null) {
        for (const [key, value] of items) {
          sessionStorage.setItem(key, value);
        }
        sessionStorage.setItem('e2e:duplicated', 'yes');
      }
    },
    { origin: new URL(url).origin, items: entries },
  );
  await copy.goto(url);
  await copy.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
  return copy;
}
