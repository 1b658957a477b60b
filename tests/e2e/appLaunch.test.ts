import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { appTestContext, launchPatient } from './support/app.ts';

const t = appTestContext();

const SECTIONS = ['Screening and eligibility', 'PEG', 'Opioids (MME)', 'Referral'];

async function sectionStatus(id: string): Promise<string | null> {
  return t.page.getAttribute(`section#${id}`, 'data-status');
}

describe('launching CLBP Pathway', () => {
  it('opens from the EHR with the patient name and the four sections', async () => {
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(t.page.textContent('[data-testid="patient-name"]')).resolves.toBe(
      'Dolores Ann Reyes',
    );
    const headings = await t.page.locator('section h2').allTextContents();
    expect(headings).toEqual(SECTIONS);
    for (const id of ['screening', 'peg', 'opioids', 'referral']) {
      await expect(sectionStatus(id)).resolves.toBe('ready');
    }
    await expect(t.page.textContent('[data-testid="mme-current"]')).resolves.toContain(
      '40 MME/day',
    );
  });

  it('completes a standalone launch through the patient picker and consent', async () => {
    await t.page.goto(`${t.sandbox.appOrigin}/launch/launch.html`);
    await t.page.check('input[name="practitioner"][value="pcp-1"]');
    await t.page.click('#sign-in');
    await t.page.check('input[name="patient"][value="opioid-taper"]');
    await t.page.click('#choose-patient');
    await t.page.click('#approve');
    await t.page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
    await expect(t.page.textContent('[data-testid="patient-name"]')).resolves.toBe(
      'Raymond Tessier',
    );
    await expect(t.page.textContent('[data-testid="mme-current"]')).resolves.toContain(
      '30 MME/day',
    );
  });

  it('runs inside the EHR iframe and leaves the banner to the EHR', async () => {
    await t.page.goto(`${t.sandbox.origin}/ehr/frame?patient=clbp-eligible&practitioner=pcp-1`);
    const frame = t.page.frameLocator('#app-frame');
    await frame
      .locator('main[aria-busy="false"] section#opioids[data-status="ready"]')
      .waitFor({ timeout: 30_000 });
    await expect(frame.locator('section h2').allTextContents()).resolves.toEqual(SECTIONS);
    await expect(frame.locator('[data-testid="patient-name"]').count()).resolves.toBe(0);
  });

  it('sends a Content-Security-Policy that lets only the configured EHR frame it, and keeps to it', async () => {
    const violations: string[] = [];
    t.page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) {
        violations.push(message.text());
      }
    });
    const res = await fetch(`${t.sandbox.appOrigin}/`);
    const policy = res.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(`frame-ancestors 'self' ${t.sandbox.origin}`);
    expect(policy).toContain(`connect-src 'self' ${t.sandbox.origin}`);
    // A launch in the EHR's frame and a plain one both work under it, with no violation reported.
    await t.page.goto(`${t.sandbox.origin}/ehr/frame?patient=opioid-taper&practitioner=pcp-1`);
    await t.page
      .frameLocator('#app-frame')
      .locator('main[aria-busy="false"] section#opioids[data-status="ready"]')
      .waitFor({ timeout: 30_000 });
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    expect(violations).toEqual([]);
  });

  it('says which feature is off when the EHR grants fewer scopes', async () => {
    t.sandbox.auth.setNarrowing(['MedicationStatement', 'MedicationRequest']);
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(sectionStatus('opioids')).resolves.toBe('off');
    const notice = await t.page.textContent('section#opioids');
    expect(notice).toContain('patient/MedicationStatement.rs');
    await expect(t.page.textContent('[data-testid="narrowed-grant"]')).resolves.toContain(
      'Not read: patient/MedicationStatement.rs, patient/MedicationRequest.rs',
    );
    await expect(sectionStatus('peg')).resolves.toBe('ready');
  });

  it('shows a failed search in its own section, with a retry, and the other three sections', async () => {
    t.sandbox.faults.failNext({
      status: 500,
      method: 'GET',
      match: /\/fhir\/MedicationStatement\?/,
    });
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(sectionStatus('opioids')).resolves.toBe('error');
    const error = await t.page.textContent('section#opioids');
    expect(error).toContain('MedicationStatement search failed: HTTP 500');
    for (const id of ['screening', 'peg', 'referral']) {
      await expect(sectionStatus(id)).resolves.toBe('ready');
    }
    await t.page.click('section#opioids button:has-text("Retry")');
    await t.page.waitForSelector('section#opioids[data-status="ready"]');
    await expect(t.page.textContent('[data-testid="mme-current"]')).resolves.toContain(
      '40 MME/day',
    );
  });

  it('has no serious or critical accessibility violations on the summary', async () => {
    await launchPatient(t.page, t.sandbox, 'referred-followup');
    const results = await new AxeBuilder({ page: t.page }).analyze();
    const serious = results.violations.filter(
      (v) => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(
      serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    ).toEqual([]);
  });

  it('can be used by keyboard alone: Tab reaches the PEG action and Enter opens the form', async () => {
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'Record a PEG'; i++) {
      await t.page.keyboard.press('Tab');
      focused = await t.page.evaluate(() => document.activeElement?.textContent ?? '');
    }
    expect(focused).toBe('Record a PEG');
    await t.page.keyboard.press('Enter');
    await t.page.waitForSelector('form[aria-label="Record a PEG"]');
    await t.page.keyboard.press('Tab');
    await t.page.keyboard.press('ArrowRight');
    const checked = await t.page.locator('input[name="peg-peg-pain"]:checked').count();
    expect(checked).toBe(1);
  });

  it('shows a clear screen when opened without a launch', async () => {
    await t.page.goto(`${t.sandbox.appOrigin}/`);
    await t.page.waitForSelector('.error-screen');
    await expect(t.page.getAttribute('.error-screen', 'data-error-kind')).resolves.toBe(
      'no-launch',
    );
    await expect(t.page.textContent('.error-screen')).resolves.toContain(
      'Open CLBP Pathway from the patient chart',
    );
  });

  it('refuses a launch link that names another server as the EHR', async () => {
    await t.page.goto(
      `${t.sandbox.appOrigin}/launch/launch.html?iss=${encodeURIComponent('https://evil.example/fhir')}&launch=x`,
    );
    await t.page.waitForSelector('#launch-status[data-state="error"]');
    await expect(t.page.textContent('#launch-status')).resolves.toContain(
      'not configured for the EHR at https://evil.example/fhir',
    );
  });

  it('refuses to launch when the EHR does not offer PKCE S256', async () => {
    t.sandbox.auth.setAdvertiseS256(false);
    try {
      await t.page.goto(t.sandbox.launchUrl('clbp-eligible', 'pcp-1'));
      await t.page.waitForSelector('#launch-status[data-state="error"]');
      await expect(t.page.textContent('#launch-status')).resolves.toContain('PKCE S256');
      expect(t.page.url()).toContain('/launch/launch.html');
    } finally {
      t.sandbox.auth.setAdvertiseS256(true);
    }
  });
});
