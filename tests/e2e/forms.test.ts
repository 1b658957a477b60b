/**
 * The forms as a clinician uses them: screening a patient without red flags in a handful of
 * clicks (counted), the first screen's actions opening the right form with focus inside, the PEG
 * form closing on save with its confirmation in view, Escape keeping the draft.
 */
import type { ServiceRequest } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { PEG_ITEMS, pegAnswerCodeFor } from '../../src/domain/peg/peg.ts';
import { SCREENING_LINK_IDS } from '../../src/domain/screening/screening.ts';
import { appTestContext, launchPatient, stored } from './support/app.ts';

const t = appTestContext();

/** Every click of a flow, so the test can count them. */
function clicker() {
  const clicks: string[] = [];
  return {
    clicks,
    async click(selector: string) {
      clicks.push(selector);
      await t.page.click(selector);
    },
  };
}

const focusedFormLabel = () =>
  t.page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label'));

const inViewport = (selector: string) =>
  t.page.locator(selector).evaluate((element) => {
    const box = element.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  });

async function answerPeg(values: readonly number[]) {
  for (const [i, item] of PEG_ITEMS.entries()) {
    await t.page.check(`#peg-${item.linkId}-${pegAnswerCodeFor(values[i] ?? 0) ?? ''}`);
  }
}

describe('screening a patient without red flags', () => {
  it('clbp-eligible: 5 answers with the duration from the chart, then eligible, referred and provisional follow-ups', async () => {
    await t.page.setViewportSize({ width: 1000, height: 800 });
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    const flow = clicker();
    await flow.click('[data-testid="next-action"] button');
    await t.page.waitForSelector('form[aria-label="CLBP screening"]');
    await expect(focusedFormLabel()).resolves.toBe('CLBP screening');
    // Duration comes from the dated chart diagnosis (2 years ago), for the clinician to confirm.
    await expect(
      t.page.isChecked(`#screening-${SCREENING_LINK_IDS.duration}-1-5-years`),
    ).resolves.toBe(true);
    await t.page.waitForSelector('[data-testid="duration-prefill"]');
    const answers = [
      `#screening-${SCREENING_LINK_IDS.frequency}-every-day`,
      `[data-none-of="${SCREENING_LINK_IDS.caudaEquinaGroup}"]`,
      `[data-none-of="${SCREENING_LINK_IDS.redFlagGroup}"]`,
      `#screening-${SCREENING_LINK_IDS.pregnant}-false`,
      `#screening-${SCREENING_LINK_IDS.telehealthAble}-true`,
    ];
    for (const answer of answers) {
      await flow.click(answer);
    }
    await flow.click('button:has-text("Save screening")');
    await t.page.waitForSelector('[data-testid="pathway-status"][data-state="eligible"]');
    // Opening the form, 5 answers (one of them the explicit "none" for cauda equina signs), save.
    expect(flow.clicks.length - 2).toBeLessThanOrEqual(5);
    expect(flow.clicks).toHaveLength(7);

    await t.page.click('[data-testid="next-action"] button');
    await t.page.click(
      'form[aria-label="Refer to mindfulness group medical visits"] button[type="submit"]',
    );
    await t.page.waitForSelector('[data-testid="pathway-status"][data-state="referred"]');
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toBe(
      'Referred — awaiting the programme — follow-up PEGs provisional until the first session',
    );
    await expect(t.page.textContent('[data-testid="glance-referral"]')).resolves.toContain(
      '(provisional)',
    );
    expect(
      await stored<ServiceRequest>(t.sandbox, 'ServiceRequest?patient=clbp-eligible'),
    ).toHaveLength(1);
  });

  it('does not ask a patient whose chart sex is male about pregnancy', async () => {
    await launchPatient(t.page, t.sandbox, 'opioid-taper');
    await t.page.click('[data-testid="next-action"] button');
    await t.page.waitForSelector('form[aria-label="CLBP screening"]');
    await expect(
      t.page.locator(`#screening-${SCREENING_LINK_IDS.pregnant}-false`).count(),
    ).resolves.toBe(0);
    await expect(
      t.page.locator('form[aria-label="CLBP screening"] .required').count(),
    ).resolves.toBe(11);
  });
});

describe('the PEG form', () => {
  it('referred-followup: the month-6 action opens the "Month 6 follow-up PEG" form with focus inside; saving closes it with the confirmation in view and focused', async () => {
    await t.page.setViewportSize({ width: 1000, height: 800 });
    await launchPatient(t.page, t.sandbox, 'referred-followup');
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toContain(
      'month-6 PEG due now',
    );
    await expect(inViewport('[data-testid="next-action"] button')).resolves.toBe(true);
    await t.page.click('[data-testid="next-action"] button');
    // The form's code loads when it is first opened: focus moves in once it has rendered.
    await expect.poll(focusedFormLabel).toBe('Month 6 follow-up PEG');
    await answerPeg([8, 9, 9]);
    await t.page.click('form[aria-label="Month 6 follow-up PEG"] button[type="submit"]');
    await t.page.waitForSelector('[data-testid="peg-saved"]');
    await expect(t.page.locator('form[aria-label="Month 6 follow-up PEG"]').count()).resolves.toBe(
      0,
    );
    await expect(inViewport('[data-testid="peg-saved"]')).resolves.toBe(true);
    await expect(
      t.page.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    ).resolves.toBe('peg-saved');
    await expect(t.page.textContent('[data-testid="peg-saved"]')).resolves.toContain(
      'Month 6 follow-up PEG saved: score 8.67',
    );
    // 6.67 → 8.67 is a worsening, and is called one.
    await t.page.waitForSelector('[data-testid="peg-change"][data-direction="worse"]');
    await expect(t.page.textContent('[data-testid="glance-peg"]')).resolves.toContain(
      '+2.00 points (+30%): worse',
    );
  });

  it('keeps the draft when Escape closes the form, and offers to resume it', async () => {
    await launchPatient(t.page, t.sandbox, 'opioid-stopped');
    await t.page.click('section#peg button:has-text("Record a PEG")');
    await expect.poll(focusedFormLabel).toBe('Record a PEG');
    await t.page.check(`#peg-${PEG_ITEMS[0]?.linkId ?? ''}-${pegAnswerCodeFor(4) ?? ''}`);
    await t.page.keyboard.press('Escape');
    await expect(t.page.locator('form[aria-label="Record a PEG"]').count()).resolves.toBe(0);
    await t.page.click('section#peg button:has-text("Resume the draft")');
    await expect(
      t.page.isChecked(`#peg-${PEG_ITEMS[0]?.linkId ?? ''}-${pegAnswerCodeFor(4) ?? ''}`),
    ).resolves.toBe(true);
  });
});

describe('the red-flag evaluation form, by keyboard alone', () => {
  /** Presses Tab until focus is on an element matching `selector` (at most 60 presses). */
  async function tabTo(selector: string): Promise<void> {
    for (let i = 0; i < 60; i += 1) {
      if (await t.page.evaluate((s) => document.activeElement?.matches(s) === true, selector)) {
        return;
      }
      await t.page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached ${selector}`);
  }
  const FORM = 'form.clearance-form';
  const OPENER = 'section#screening button.clearance-opener';

  it('closes with Escape keeping the ticks and the note as a draft, and resumes them; nothing is written', async () => {
    await launchPatient(t.page, t.sandbox, 'clbp-red-flag');
    const before = await stored(t.sandbox, 'QuestionnaireResponse?patient=clbp-red-flag');
    await tabTo(OPENER);
    await t.page.keyboard.press('Enter');
    await expect.poll(focusedFormLabel).toBe("Record a clinician's evaluation of red flags");
    await tabTo(`${FORM} input[type="checkbox"]`);
    await t.page.keyboard.press('Space');
    await tabTo('#clearance-note');
    await t.page.keyboard.type('Seen in clinic');
    await t.page.keyboard.press('Escape');
    await expect.poll(() => t.page.locator(FORM).count()).toBe(0);
    // Focus is back on the button, which now offers the draft.
    await expect
      .poll(() => t.page.evaluate(() => document.activeElement?.textContent))
      .toBe("Resume the draft: Record a clinician's evaluation of the red flag");
    await t.page.keyboard.press('Enter');
    await expect.poll(focusedFormLabel).toBe("Record a clinician's evaluation of red flags");
    await expect(t.page.isChecked(`${FORM} input[type="checkbox"]`)).resolves.toBe(true);
    await expect(t.page.inputValue('#clearance-note')).resolves.toBe('Seen in clinic');
    await expect(
      stored(t.sandbox, 'QuestionnaireResponse?patient=clbp-red-flag'),
    ).resolves.toHaveLength(before.length);
  });
});

describe('a related person signed in (fhirUser a RelatedPerson)', () => {
  it('gets a read-only view: the status and the row, no clinician action and no form', async () => {
    // The EHR signs in someone acting for the patient: its id_token names a RelatedPerson as
    // fhirUser (the app reads the claim, as fhirclient does, without checking the signature). A
    // Patient as fhirUser gets the patient's own mode instead (patientMode.test.ts).
    await t.page.route(/\/auth\/token$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as Record<string, unknown>;
      const idToken = typeof body['id_token'] === 'string' ? body['id_token'] : '';
      const [header = '', payload = '', signature = ''] = idToken.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      claims['fhirUser'] = `${t.sandbox.fhirBase}/RelatedPerson/in-programme-carer`;
      const changed = Buffer.from(JSON.stringify(claims)).toString('base64url');
      await route.fulfill({
        response,
        json: { ...body, id_token: `${header}.${changed}.${signature}` },
      });
    });
    await launchPatient(t.page, t.sandbox, 'in-programme');
    await t.page.waitForSelector('[data-testid="read-only"]');
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toBe(
      'In the mindfulness programme — session 5 of 8',
    );
    await expect(t.page.locator('[data-testid="next-action"] button').count()).resolves.toBe(0);
    await expect(
      t.page
        .locator(
          'button:has-text("Record"), button:has-text("Screen"), button:has-text("Cancel this referral")',
        )
        .count(),
    ).resolves.toBe(0);
  });
});
