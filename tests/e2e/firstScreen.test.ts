/**
 * The first screen as a clinician sees it in an EHR pane of 1000×800: for every sandbox patient the
 * status line and the one next action are above the fold (screenshots in test-results/first-screen
 * for a person to look at); no serious or critical axe violation from 360 to 1440 px.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { SCENARIO_PATIENT_IDS } from '../../src/sandbox/seed/seed.ts';
import { appTestContext, launchPatient } from './support/app.ts';

const t = appTestContext();
const SHOTS = resolve(import.meta.dirname, '../../test-results/first-screen');
const FOLD = 800;

/** Every sandbox scenario patient (the seed's own list, so a new patient is covered too). */
const PATIENTS = SCENARIO_PATIENT_IDS;

async function bottomOf(selector: string): Promise<number> {
  const box = await t.page.locator(selector).boundingBox();
  if (box === null) {
    throw new Error(`${selector} is not on screen`);
  }
  return box.y + box.height;
}

describe('the first screen at 1000×800', () => {
  it.each(PATIENTS)(
    '%s: status line, next action and the PEG/MME/referral row above the fold',
    async (id) => {
      await t.page.setViewportSize({ width: 1000, height: FOLD });
      await launchPatient(t.page, t.sandbox, id);
      mkdirSync(SHOTS, { recursive: true });
      await t.page.screenshot({ path: resolve(SHOTS, `${id}-1000x800.png`) });
      expect(await bottomOf('[data-testid="status-line"]')).toBeLessThanOrEqual(FOLD);
      expect(await bottomOf('[data-testid="next-action"]')).toBeLessThanOrEqual(FOLD);
      expect(await bottomOf('[data-testid="at-a-glance"]')).toBeLessThanOrEqual(FOLD);
    },
  );
});

describe('accessibility from a phone to a wide EHR pane', () => {
  it.each([
    [360, 740],
    [1000, 800],
    [1440, 900],
  ])('has no serious or critical axe violation at %i px', async (width, height) => {
    await t.page.setViewportSize({ width, height });
    for (const id of ['referred-followup', 'opioid-benzo', 'clbp-red-flag']) {
      await launchPatient(t.page, t.sandbox, id);
      const results = await new AxeBuilder({ page: t.page }).analyze();
      const serious = results.violations.filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      expect(
        serious.map((v) => `${id}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      ).toEqual([]);
      const overflow = await t.page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${id} scrolls sideways at ${String(width)} px`).toBe(0);
    }
  });
});

describe("under an EHR's bright highlight colour", () => {
  it('keeps every text at WCAG AA contrast (axe color-contrast)', async () => {
    // A light blue highlight on which white text is 2.3:1.
    await t.page.route(/\/ehr\/smart-style\.json$/, (route) =>
      route.fulfill({
        json: { color_highlight: '#6cb4ee', color_background: '#ffffff', color_text: '#1b1b1b' },
        headers: { 'Access-Control-Allow-Origin': '*' },
      }),
    );
    await t.page.setViewportSize({ width: 1000, height: 800 });
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await t.page.waitForSelector('html[data-smart-style="applied"]');
    const results = await new AxeBuilder({ page: t.page }).withRules(['color-contrast']).analyze();
    expect(results.violations.flatMap((v) => v.nodes.map((n) => n.target.join(' ')))).toEqual([]);
    await expect(
      t.page.$eval('[data-testid="next-action"] button', (b) => getComputedStyle(b).color),
    ).resolves.toBe('rgb(0, 0, 0)');
  });
});
