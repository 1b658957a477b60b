import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { launchChromium, launchPatient, openDisclosures, startTestSandbox } from './support/app.ts';

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

/** Rows of both tables: the last 12 months, and the earlier records behind a disclosure (opened). */
async function rows(): Promise<string[]> {
  await openDisclosures(page, 'section#opioids');
  return page.locator('[data-testid^="mme-table"] tbody tr').allTextContents();
}

describe('the opioid dose trend', () => {
  it('shows the two-year decrease from 120 to 30 MME/day with its monthly rates, never "tapering"', async () => {
    await launchPatient(page, sandbox, 'opioid-taper');
    await expect(page.textContent('[data-testid="mme-current"]')).resolves.toContain('30 MME/day');
    const trajectory = page.locator('[data-testid="mme-trajectory"]');
    await expect(trajectory.getAttribute('data-kind')).resolves.toBe('decreasing');
    const words = await trajectory.textContent();
    expect(words).toMatch(
      /^Decreasing: 40 → 30 MME\/day over the last month \(−25% a month\); 60 → 30 MME\/day over the last 3 months \(−16\.67% a month\)\. Faster than the guideline's usual taper: check withdrawal and the plan\./,
    );
    expect(words).toContain('Tapers of approximately 10% per month or slower');
    expect(words).not.toMatch(/tapering/i);
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
    await expect(page.textContent('[data-testid="methadone-caution"]')).resolves.toContain(
      'Do not use the calculated dose in MMEs to determine the doses to use when converting one opioid to another',
    );
    await expect(page.textContent('[data-testid="risk-offer-naloxone"]')).resolves.toContain(
      'Offer naloxone (CDC 2022 Recommendation 8): no naloxone for overdose reversal is on record, and the dose is 154 MME/day (≥ 50).',
    );
    await expect(page.textContent('[data-testid="naloxone-substance-use-checked"]')).resolves.toBe(
      'Checked: opioid use disorder codes (CDC value set opioid-misuse-disorders); other substance use disorders not checked.',
    );
  });
});
