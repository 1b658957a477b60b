import AxeBuilder from '@axe-core/playwright';
import type { Observation, QuestionnaireResponse, Task } from 'fhir/r4';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { localDayOf } from '../../src/domain/fhir-primitives/dates.ts';
import { pegRequestTask } from '../../src/domain/pathway/pegRequest.ts';
import { PEG_ITEMS, pegAnswerCodeFor } from '../../src/domain/peg/peg.ts';
import { EVENT_BASED_ON_URL } from '../../src/fhir/pegWrite.ts';
import type { Sandbox } from './harness/sandbox.ts';
import { appTestContext, launchPatient, loseNextWriteAnswer, stored } from './support/app.ts';

const t = appTestContext();

const PATIENT = 'referred-followup';
const REQUEST = `${PATIENT}-peg-request-month6`;

async function records(sandbox: Sandbox) {
  return {
    responses: await stored<QuestionnaireResponse>(
      sandbox,
      `QuestionnaireResponse?patient=${PATIENT}`,
    ),
    observations: await stored<Observation>(
      sandbox,
      `Observation?patient=${PATIENT}&code=http://loinc.org|91147-9`,
    ),
  };
}

/** The patient's standalone launch: the app's launch page, sign in as the patient, allow. */
async function signInAsPatient(page: Page, sandbox: Sandbox, patient: string): Promise<void> {
  await page.goto(`${sandbox.appOrigin}/launch/launch.html?workspace=patient`);
  await page.check(`#patient-user-${patient}`);
  await page.click('#sign-in-patient');
  await page.click('#approve');
  await page.waitForSelector('main.patient-mode[aria-busy="false"]', { timeout: 30_000 });
}

async function answer(page: Page, values: readonly number[]): Promise<void> {
  for (const [i, item] of PEG_ITEMS.entries()) {
    await page.check(`#peg-${item.linkId}-${pegAnswerCodeFor(values[i] ?? 0) ?? ''}`);
  }
}

const save = 'form[aria-label="Month 6 check-in"] button[type="submit"]';

/** Presses Tab until the element matching `selector` has focus (keyboard only, no clicks). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((q) => document.activeElement?.matches(q) === true, selector)) {
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Serious or critical axe violations, as "id: help (n nodes)". */
async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

describe('the patient answers their month-6 check-in on a phone', () => {
  it('reads at 360 px without a serious accessibility problem, and keeps half-given answers through a reload', async () => {
    const { page } = t;
    await page.setViewportSize({ width: 360, height: 740 });
    await signInAsPatient(page, t.sandbox, PATIENT);
    await page.waitForSelector('.check-in-card h3:has-text("Month 6 check-in due")');
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await page.screenshot({ path: '/tmp/clbp-e2e/patient-home-360.png', fullPage: true });
    await page.click('button:has-text("Answer the Month 6 check-in")');
    await page.waitForSelector('form[aria-label="Month 6 check-in"]');
    // Opened by the patient: keyboard focus is in the form.
    await expect(
      page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label')),
    ).resolves.toBe('Month 6 check-in');
    await page.check(`#peg-${PEG_ITEMS[0]?.linkId ?? ''}-${pegAnswerCodeFor(7) ?? ''}`);
    await expect(seriousViolations(page)).resolves.toEqual([]);
    await page.screenshot({ path: '/tmp/clbp-e2e/patient-form-360.png', fullPage: true });
    await page.reload();
    await page.waitForSelector(
      'main.patient-mode[aria-busy="false"] form[aria-label="Month 6 check-in"]',
      {
        timeout: 30_000,
      },
    );
    await expect(
      page.isChecked(`#peg-${PEG_ITEMS[0]?.linkId ?? ''}-${pegAnswerCodeFor(7) ?? ''}`),
    ).resolves.toBe(true);
    await expect(page.isDisabled(save)).resolves.toBe(true);
  });

  it('answers a check-in the programme requested by keyboard alone, from the portal', async () => {
    const { page } = t;
    const day = (offset: number) => localDayOf(new Date(Date.now() + offset * 86_400_000));
    const request: Task = await t.sandbox.repo.createResource({
      ...pegRequestTask({
        patientId: 'opioid-taper',
        referral: 'ServiceRequest/none',
        timePoint: 'week8',
        window: { start: day(-3), end: day(11) },
        authoredOn: new Date().toISOString(),
      }),
    } as never);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(t.sandbox.portalLaunchUrl('opioid-taper'));
    await page.waitForSelector('.check-in-card h3:has-text("Week 8 check-in due")', {
      timeout: 30_000,
    });
    await tabTo(page, '.check-in-card button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('form[aria-label="Week 8 check-in"] h3:focus');
    // Escape closes the form and gives focus back to the check-in's button; Enter reopens it.
    await page.keyboard.press('Escape');
    await page.waitForSelector('.check-in-card button:focus');
    await page.keyboard.press('Enter');
    await page.waitForSelector('form[aria-label="Week 8 check-in"] h3:focus');
    for (const [i, item] of PEG_ITEMS.entries()) {
      // Tab reaches a group's first choice (0); the arrow keys move and choose within it.
      await tabTo(page, `#peg-${item.linkId}-${pegAnswerCodeFor(0) ?? ''}`);
      for (let n = 0; n < 3 - i; n++) {
        await page.keyboard.press('ArrowRight');
      }
    }
    await expect(page.textContent('.calculated output')).resolves.toBe('2.00');
    await tabTo(page, 'form[aria-label="Week 8 check-in"] button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="thanks"]:has-text("Week 8 check-in")');
    await expect(
      page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    ).resolves.toBe('thanks');
    const [task] = await stored<Task>(t.sandbox, `Task?_id=${String(request.id)}`);
    expect(task?.status).toBe('completed');
  });

  it("opens from the patient portal (the EHR's launch, the patient as the user) on the same page", async () => {
    const { page } = t;
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(t.sandbox.portalLaunchUrl('in-programme'));
    await page.waitForSelector('main.patient-mode[aria-busy="false"]', { timeout: 30_000 });
    await expect(page.textContent('h1')).resolves.toBe('Your back pain check-ins');
    await expect(page.textContent('[data-testid="nothing-due"]')).resolves.toMatch(
      /Nothing is due now\. Your next check-in \(Week 8 check-in\) opens on /,
    );
    await expect(page.locator('[data-testid="patient-history"] tbody tr').count()).resolves.toBe(1);
    // The chart's words are as large on the phone as the page's small print (they were drawn at
    // about 6 px), and its days are spelled out as everywhere else on the patient's page.
    const labels = await page.$$eval('svg.trend-chart text', (texts) =>
      texts.map((text) => ({ words: text.textContent, px: text.getBoundingClientRect().height })),
    );
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.filter((l) => l.px < 10)).toEqual([]);
    expect(labels.map((l) => l.words)).toContainEqual(
      expect.stringMatching(/^[A-Z][a-z]+ \d{1,2}, \d{4}$/),
    );
  });

  it('signs in standalone, answers 5/4/4 through a failed save and a lost answer, and the clinician sees month 6 done, patient-reported', async () => {
    const before = await records(t.sandbox);
    const { page } = t;
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAsPatient(page, t.sandbox, PATIENT);
    await page.waitForSelector('.check-in-card h3:has-text("Month 6 check-in due")');
    await page.screenshot({ path: '/tmp/clbp-e2e/patient-home-390.png', fullPage: true });
    // Nothing clinical beyond the check-ins and the patient's own scores.
    await expect(page.locator('text=/MME|eligib|opioid/i').count()).resolves.toBe(0);

    await page.click('button:has-text("Answer the Month 6 check-in")');
    await page.waitForSelector('form[aria-label="Month 6 check-in"]');
    await answer(page, [5, 4, 4]);
    await expect(page.textContent('.calculated output')).resolves.toBe('4.33');
    await page.screenshot({ path: '/tmp/clbp-e2e/patient-form-390.png', fullPage: true });

    // 1: the EHR fails the save; nothing is written and the answers stay.
    t.sandbox.faults.failNext({ status: 503, method: 'POST', match: /^POST \/fhir\/?(\?|$)/ });
    await page.click(save);
    await page.waitForSelector('[data-testid="peg-save-error"]');
    expect((await records(t.sandbox)).responses).toHaveLength(before.responses.length);
    // 2: the save reaches the EHR but its answer is lost.
    await loseNextWriteAnswer(page);
    await page.click(save);
    await page.waitForSelector('[data-testid="peg-save-error-locked"]');
    // 3: the retry finds what the EHR holds and creates nothing new.
    await page.click(save);
    await page.waitForSelector('[data-testid="thanks"]:has-text("Month 6 check-in")');
    await page.waitForSelector('[data-testid="nothing-due"]');
    await page.waitForSelector('[data-testid="patient-history"] td:has-text("4.33")');
    await page.screenshot({ path: '/tmp/clbp-e2e/patient-done-390.png', fullPage: true });

    const after = await records(t.sandbox);
    const responses = after.responses.filter((r) => !before.responses.some((b) => b.id === r.id));
    const observations = after.observations.filter(
      (o) => !before.observations.some((b) => b.id === o.id),
    );
    expect(responses).toHaveLength(1);
    expect(observations).toHaveLength(1);
    const [response] = responses;
    const [observation] = observations;
    expect(response?.author?.reference).toBe(`Patient/${PATIENT}`);
    expect(response?.source?.reference).toBe(`Patient/${PATIENT}`);
    expect(observation?.performer?.[0]?.reference).toBe(`Patient/${PATIENT}`);
    expect(observation?.valueQuantity?.value).toBe(4.33);
    expect(observation?.derivedFrom?.[0]?.reference).toBe(
      `QuestionnaireResponse/${response?.id ?? ''}`,
    );
    for (const written of [response, observation]) {
      expect(written?.extension).toContainEqual({
        url: EVENT_BASED_ON_URL,
        valueReference: { reference: `Task/${REQUEST}` },
      });
      expect(written?.basedOn?.[0]?.reference).toBe(`ServiceRequest/${PATIENT}-referral`);
    }
    const [task] = await stored<Task>(t.sandbox, `Task?_id=${REQUEST}`);
    expect(task?.status).toBe('completed');
    expect(task?.output?.map((o) => o.valueReference?.reference)).toEqual([
      `QuestionnaireResponse/${response?.id ?? ''}`,
      `Observation/${observation?.id ?? ''}`,
    ]);

    // The clinician's launch: month 6 done, patient-reported.
    await page.setViewportSize({ width: 1000, height: 800 });
    await launchPatient(page, t.sandbox, PATIENT);
    const month6 = page.locator('[data-follow-up="month6"]');
    await expect(month6.getAttribute('data-status')).resolves.toBe('done');
    await expect(month6.textContent()).resolves.toContain('PEG 4.33');
    await expect(month6.textContent()).resolves.toContain('patient-reported');
    await expect(
      page.locator('[data-testid="peg-history"] td[data-reported-by="patient"]').count(),
    ).resolves.toBe(1);
  });
});
