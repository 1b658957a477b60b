/**
 * A duplicated tab (the browser copies session storage: the SMART session and the form's draft)
 * in which the clinician enters other PEG answers: each tab is told "saved" only for a record the
 * EHR really holds with that tab's answers.
 */
import type { QuestionnaireResponse } from 'fhir/r4';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PEG_ITEMS, pegAnswerCodeFor } from '../../src/domain/peg/peg.ts';
import {
  appTestContext,
  duplicateTab,
  launchPatient,
  loseNextWriteAnswer,
  stored,
} from './support/app.ts';

const t = appTestContext();

async function answer(page: Page, values: readonly number[]): Promise<void> {
  for (const [i, item] of PEG_ITEMS.entries()) {
    const value = values[i];
    if (value !== undefined) {
      await page.check(`#peg-${item.linkId}-${pegAnswerCodeFor(value) ?? ''}`);
    }
  }
}

const form = 'form[aria-label="Record a PEG"]';

/** Saves, and returns what the tab then says (a retry waits for "saved", not the earlier error). */
async function save(page: Page, retry = false): Promise<string> {
  await page.click(`${form} button[type="submit"]`);
  const saved = page.locator(
    retry
      ? '[data-testid="peg-saved"]'
      : '[data-testid="peg-saved"], [data-testid="peg-save-error"]',
  );
  await saved.first().waitFor();
  return (await saved.first().textContent()) ?? '';
}

/** The ids of the patient's QuestionnaireResponses in the EHR now. */
async function responseIds(patient: string): Promise<string[]> {
  const responses = await stored<QuestionnaireResponse>(
    t.sandbox,
    `QuestionnaireResponse?patient=${patient}`,
  );
  return responses.map((r) => r.id ?? '');
}

/** The PEG scores of the patient's QuestionnaireResponses written after `before`. */
async function newScores(patient: string, before: readonly string[]): Promise<number[]> {
  const responses = await stored<QuestionnaireResponse>(
    t.sandbox,
    `QuestionnaireResponse?patient=${patient}`,
  );
  return responses
    .filter((r) => !before.includes(r.id ?? ''))
    .flatMap((r) => (r.item ?? []).filter((i) => i.linkId === 'peg-score'))
    .map((i) => i.answer?.[0]?.valueDecimal ?? Number.NaN)
    .sort((a, b) => a - b);
}

describe('a tab duplicated while a PEG is being entered', () => {
  it('saves each tab’s own answers as its own record, and says "saved" only for those', async () => {
    const patient = 'no-back-pain';
    const before = await responseIds(patient);
    await launchPatient(t.page, t.sandbox, patient);
    await t.page.click('button:has-text("Record a PEG")');
    await answer(t.page, [4, 4, 4]);
    const copy = await duplicateTab(t.page);
    // The copied draft reopens the form in the duplicate, with the first tab's answers.
    await copy.waitForSelector(`${form} #peg-peg-pain-${pegAnswerCodeFor(4) ?? ''}:checked`);
    await answer(copy, [8]);

    await expect(save(t.page)).resolves.toContain('PEG saved: score 4.00');
    await expect(save(copy)).resolves.toContain('PEG saved: score 5.33');
    // The EHR holds both, each with the answers its tab showed as saved.
    await expect(newScores(patient, before)).resolves.toEqual([4, 5.33]);
  });
  it('saves one record when the tab is duplicated after a save whose answer was lost', async () => {
    const patient = 'minor';
    const before = await responseIds(patient);
    await launchPatient(t.page, t.sandbox, patient);
    await t.page.click('button:has-text("Record a PEG")');
    await answer(t.page, [3, 6, 6]);
    await loseNextWriteAnswer(t.page);
    await expect(save(t.page)).resolves.toMatch(/could not reach the EHR/);
    // The duplicate holds the same sent answers under the same submission: both retries find
    // the one record the EHR holds, compare it with their answers and report it saved.
    const copy = await duplicateTab(t.page);
    await expect(save(copy)).resolves.toContain('PEG saved: score 5.00');
    await expect(save(t.page, true)).resolves.toContain('PEG saved: score 5.00');
    await expect(newScores(patient, before)).resolves.toEqual([5]);
  });
});
