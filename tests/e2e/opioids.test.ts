import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { launchChromium, launchPatient, startTestSandbox } from './support/app.ts';

let sandbox: Sandbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startTestSandbox(), launchChromium()]);
  page = await browser.newPage();
});
afterAll(async () => {
  await browser.close();
  await sandbox.close();
});

/** Rows of both tables: the last 12 months, and the earlier records behind a disclosure. */
const rows = () => page.locator('[data-testid^="mme-table"] tbody tr').allTextContents();

describe('the opioid dose trend', () => {
  it('shows the two-year taper from 120 to 30 MME/day with a taper verdict', async () => {
    await launchPatient(page, sandbox, 'opioid-taper');
    await expect(page.textContent('[data-testid="mme-current"]')).resolves.toContain('30 MME/day');
    await expect(page.textContent('[data-testid="mme-taper"]')).resolves.toMatch(/^Tapering/);
    const mme = (await rows()).map((r) => /Counted(\d+)/.exec(r)?.[1]);
    expect(mme).toEqual(['30', '40', '45', '60', '90', '120']);
    await expect(page.textContent('section#opioids svg title')).resolves.toContain('now 30');
  });

  it('counts the 25 mcg/hr fentanyl patch as 60 MME/day and methadone with the 4.7 factor', async () => {
    await launchPatient(page, sandbox, 'fentanyl-patch');
    await expect(page.textContent('[data-testid="mme-current"]')).resolves.toContain('154 MME/day');
    const all = (await rows()).join('\n');
    expect(all).toContain('= 60 MME/day');
    expect(all).toMatch(/methadone .*× 4\.7 = 94 MME\/day/);
  });
});
