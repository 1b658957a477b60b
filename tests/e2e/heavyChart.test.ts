/**
 * The 30,000-resource chart (heavy-30k: heavy-history's five years ten times over fifty years)
 * opens whole: the newest records first, the older ones after, and in the end every PEG and every
 * opioid order the sandbox holds is on screen, counted against the sandbox's own store.
 */
import type { MedicationRequest, Observation, QuestionnaireResponse } from 'fhir/r4';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox, type Sandbox } from './harness/sandbox.ts';
import { launchChromium } from './harness/browser.ts';
import { openDisclosures, stored } from './support/app.ts';

const PATIENT = 'heavy-30k';
/** RxNorm 857002, hydrocodone 5 mg / acetaminophen 325 mg: the chart's only opioid. */
const HYDROCODONE = '857002';
const PEG_LOINCS = ['91147-9', '91145-3', '91146-1', '75893-8'];

let sandbox: Sandbox;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [sandbox, browser] = await Promise.all([
    startTestSandbox({ asOf: new Date(), heavy30k: true }),
    launchChromium(),
  ]);
  page = await browser.newPage();
}, 120_000);
afterAll(async () => {
  await browser.close();
  await sandbox.close();
});

/** Searches for older records: the app reads them oldest first after the newest-first page. */
const isOlderPage = (url: URL): boolean =>
  url.searchParams.getAll('_sort').some((s) => s !== '' && !s.startsWith('-'));

describe('a 30,000-resource chart', () => {
  it('shows the newest PEGs first and says the older ones are still loading', async () => {
    const held: Route[] = [];
    const olderPegs = (url: URL) => url.pathname.endsWith('/Observation') && isOlderPage(url);
    await page.route(olderPegs, (route) => {
      held.push(route);
    });
    await page.goto(sandbox.launchUrl(PATIENT, 'pcp-1'));
    await page.waitForSelector('main[aria-busy="false"][data-history="loading"] section', {
      timeout: 60_000,
    });
    const disclosure = page.locator('section#peg details[data-history="loading"] summary');
    await expect(disclosure.textContent()).resolves.toMatch(
      /^Earlier PEGs \(\d+ so far; older PEGs are still loading\)$/,
    );
    // No change is claimed from a partial history: this patient has no referral, so no baseline
    // (the pathway's one definition: the PEG closest before the programme start); a referred
    // patient's baseline waits for the older PEGs (tests/unit/pathway/pathway.test.ts).
    await expect(page.locator('[data-testid="peg-change"]').count()).resolves.toBe(0);
    expect(held.length).toBeGreaterThan(0);
    await Promise.all(held.map((r) => r.continue()));
    await page.unroute(olderPegs);
    await page.waitForSelector('main[data-history="complete"]', { timeout: 60_000 });
    await expect(disclosure.count()).resolves.toBe(0);
    await expect(page.locator('[data-testid="peg-change"]').count()).resolves.toBe(0);
  });

  it('renders every section and holds every PEG and opioid order of the chart', async () => {
    await page.goto(sandbox.launchUrl(PATIENT, 'pcp-1'));
    await page.waitForSelector('main[aria-busy="false"][data-history="complete"] section', {
      timeout: 60_000,
    });
    for (const id of ['screening', 'peg', 'opioids', 'referral']) {
      await expect(page.getAttribute(`section#${id}`, 'data-status')).resolves.toBe('ready');
    }
    await expect(page.locator('[data-testid="unreadable"]').count()).resolves.toBe(0);

    // A PEG is one administration whatever its shape (a response, item or score Observations):
    // one a day at most in this chart, so the sandbox's PEG days count the administrations.
    const observations = await stored<Observation>(
      sandbox,
      `Observation?patient=${PATIENT}&code=${PEG_LOINCS.map((c) => `http://loinc.org|${c}`).join(',')}`,
    );
    const responses = await stored<QuestionnaireResponse>(
      sandbox,
      `QuestionnaireResponse?patient=${PATIENT}`,
    );
    const days = new Set([
      ...observations.map((o) => o.effectiveDateTime?.slice(0, 10)),
      ...responses.map((r) => r.authored?.slice(0, 10)),
    ]);
    expect(days.size).toBe(600);
    await openDisclosures(page, 'main');
    const pegRows = page.locator(
      '[data-testid="peg-history"] tbody tr, [data-testid="peg-history-earlier"] tbody tr',
    );
    await expect(pegRows.count()).resolves.toBe(days.size);
    await expect(page.textContent('section#peg svg title')).resolves.toContain(
      `${days.size} administrations`,
    );

    const orders = await stored<MedicationRequest>(sandbox, `MedicationRequest?patient=${PATIENT}`);
    const opioids = orders
      .filter((o) => o.medicationCodeableConcept?.coding?.some((c) => c.code === HYDROCODONE))
      .map((o) => `MedicationRequest/${o.id ?? ''}`);
    expect(opioids).toHaveLength(600);
    const shown = await page
      .locator('[data-testid^="mme-table"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-records') ?? ''));
    // Every order is shown, the monthly refills of one dose as one row each side of the year.
    expect(shown.flatMap((records) => records.split(' ')).sort()).toEqual(opioids.sort());
    expect(shown.length).toBeLessThan(opioids.length);
    await expect(page.textContent('[data-testid="mme-current"]')).resolves.toContain('15 MME/day');
  });
});
