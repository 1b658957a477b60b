/**
 * A duplicated tab: the browser copies session storage, so both tabs hold the SMART session (one
 * refresh token) and the form's draft. Each tab is told "saved" only for a record the EHR really
 * holds with that tab's answers, and the two never refresh with the same refresh token (the
 * sandbox, like a strict EHR, revokes the grant when a used one comes back).
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

// Access tokens live 15 s: the app refreshes one once less than 10 s is left, so a tab reloaded
// 6 s after a refresh needs new tokens, and tokens another tab just got are fresh enough to adopt.
const t = appTestContext({ SANDBOX_TOKEN_TTL_S: '15' });

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

/** Reloads a tab and waits for its sections; the number of sections that failed to load. */
async function reloadSections(page: Page): Promise<number> {
  await page.reload();
  await page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
  return page.locator('section[data-status="error"]').count();
}

describe('a tab duplicated during a session', () => {
  it('never refreshes with a refresh token the other tab used, so the EHR revokes neither', async () => {
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    const copy = await duplicateTab(t.page);
    const refreshTokens: string[] = [];
    const refusals: number[] = [];
    for (const page of [t.page, copy]) {
      page.on('request', (request) => {
        const token = new URLSearchParams(request.postData() ?? '').get('refresh_token');
        if (request.url().endsWith('/auth/token') && token !== null) {
          refreshTokens.push(token);
        }
      });
      page.on('response', (response) => {
        if (response.url().endsWith('/auth/token') && response.status() !== 200) {
          refusals.push(response.status());
        }
      });
    }
    for (let round = 0; round < 2; round++) {
      await t.page.waitForTimeout(6_000);
      await expect(Promise.all([reloadSections(t.page), reloadSections(copy)])).resolves.toEqual([
        0, 0,
      ]);
    }
    expect(refreshTokens.length).toBeGreaterThanOrEqual(2);
    expect(new Set(refreshTokens).size).toBe(refreshTokens.length);
    expect(refusals).toEqual([]);
    await expect(copy.textContent('section#opioids')).resolves.toContain('40 MME/day');
  });
});
