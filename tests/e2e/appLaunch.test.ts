import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/server.ts';
import { launchChromium, launchPatient, startTestSandbox } from './support/app.ts';

let sandbox: Sandbox;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startTestSandbox(), launchChromium()]);
});
afterAll(async () => {
  await browser.close();
  await sandbox.close();
});
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
});
afterEach(async () => {
  sandbox.faults.reset();
  sandbox.auth.setNarrowing([]);
  await context.close();
});

const SECTIONS = ['Screening and eligibility', 'PEG', 'Opioids (MME)', 'Referral'];

async function sectionStatus(id: string): Promise<string | null> {
  return page.getAttribute(`section#${id}`, 'data-status');
}

describe('launching CLBP Pathway', () => {
  it('opens from the EHR with the patient name and the four sections', async () => {
    await launchPatient(page, sandbox, 'clbp-eligible');
    await expect(page.textContent('[data-testid="patient-name"]')).resolves.toBe('Dolores Ann Reyes');
    const headings = await page.locator('section h2').allTextContents();
    expect(headings).toEqual(SECTIONS);
    for (const id of ['screening', 'peg', 'opioids', 'referral']) {
      await expect(sectionStatus(id)).resolves.toBe('ready');
    }
    await expect(page.textContent('[data-testid="mme-current"]')).resolves.toContain('40 MME/day');
  });

  it('completes a standalone launch through the patient picker and consent', async () => {
    await page.goto(`${sandbox.appOrigin}/launch/launch.html`);
    await page.check('input[name="practitioner"][value="pcp-1"]');
    await page.click('#sign-in');
    await page.check('input[name="patient"][value="opioid-taper"]');
    await page.click('#choose-patient');
    await page.click('#approve');
    await page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
    await expect(page.textContent('[data-testid="patient-name"]')).resolves.toBe('Raymond Tessier');
    await expect(page.textContent('[data-testid="mme-current"]')).resolves.toContain('30 MME/day');
  });

  it('runs inside the EHR iframe and leaves the banner to the EHR', async () => {
    await page.goto(`${sandbox.origin}/ehr/frame?patient=clbp-eligible&practitioner=pcp-1`);
    const frame = page.frameLocator('#app-frame');
    await frame.locator('main[aria-busy="false"] section#opioids[data-status="ready"]').waitFor({ timeout: 30_000 });
    await expect(frame.locator('section h2').allTextContents()).resolves.toEqual(SECTIONS);
    await expect(frame.locator('[data-testid="patient-name"]').count()).resolves.toBe(0);
  });

  it('says which feature is off when the EHR grants fewer scopes', async () => {
    sandbox.auth.setNarrowing(['MedicationStatement', 'MedicationRequest']);
    await launchPatient(page, sandbox, 'clbp-eligible');
    await expect(sectionStatus('opioids')).resolves.toBe('off');
    const notice = await page.textContent('section#opioids');
    expect(notice).toContain('patient/MedicationStatement.rs');
    await expect(page.textContent('[data-testid="narrowed-grant"]')).resolves.toContain('opioids');
    await expect(sectionStatus('peg')).resolves.toBe('ready');
  });

  it('shows a failed search in its own section, with a retry, and the other three sections', async () => {
    sandbox.faults.failNext({ status: 500, method: 'GET', match: /\/fhir\/MedicationStatement\?/ });
    await launchPatient(page, sandbox, 'clbp-eligible');
    await expect(sectionStatus('opioids')).resolves.toBe('error');
    const error = await page.textContent('section#opioids');
    expect(error).toContain('MedicationStatement search failed: HTTP 500');
    for (const id of ['screening', 'peg', 'referral']) {
      await expect(sectionStatus(id)).resolves.toBe('ready');
    }
    await page.click('section#opioids button:has-text("Retry")');
    await page.waitForSelector('section#opioids[data-status="ready"]');
    await expect(page.textContent('[data-testid="mme-current"]')).resolves.toContain('40 MME/day');
  });

  it('has no serious or critical accessibility violations on the summary', async () => {
    await launchPatient(page, sandbox, 'referred-followup');
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });

  it('can be used by keyboard alone: Tab reaches the PEG action and Enter opens the form', async () => {
    await launchPatient(page, sandbox, 'clbp-eligible');
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'Record a PEG'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(focused).toBe('Record a PEG');
    await page.keyboard.press('Enter');
    await page.waitForSelector('form[aria-label="Record a PEG"]');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    const checked = await page.locator('input[name="peg-peg-pain"]:checked').count();
    expect(checked).toBe(1);
  });

  it('shows a clear screen when opened without a launch', async () => {
    await page.goto(`${sandbox.appOrigin}/`);
    await page.waitForSelector('.error-screen');
    await expect(page.getAttribute('.error-screen', 'data-error-kind')).resolves.toBe('no-launch');
    await expect(page.textContent('.error-screen')).resolves.toContain('Open CLBP Pathway from the patient chart');
  });
});

describe('an expired access token', () => {
  let shortLived: Sandbox;
  beforeAll(async () => {
    shortLived = await startTestSandbox({ SANDBOX_TOKEN_TTL_S: '2' });
  });
  afterAll(async () => {
    await shortLived.close();
  });

  it('is refreshed with the refresh token, so a retry after expiry still loads', async () => {
    await launchPatient(page, shortLived, 'clbp-eligible');
    await page.waitForTimeout(3_000);
    // Reload the page: the session is restored from storage and the expired token must be refreshed.
    await page.reload();
    await page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
    const opioids = await page.textContent('section#opioids');
    expect(opioids).toContain('40 MME/day');
  });
});
