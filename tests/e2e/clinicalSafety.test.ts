/**
 * Clinical safety in the browser (issue 10): an urgent red flag is alerted and recorded the moment
 * it is answered; a clinician's clearance of a chart red flag makes the patient eligible once the
 * screening is done; the dose view shows risk prompts and an abrupt stop in the guideline's words.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Observation, QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  RED_FLAG_EVALUATION_QUESTIONNAIRE_URL,
  SCREENING_QUESTIONNAIRE_URL,
} from '../../src/domain/codes/canonical.ts';
import { SCREENING_FINDING_CODE_SYSTEM } from '../../src/domain/screening/findings.ts';
import { localDayOf } from '../../src/domain/fhir-primitives/dates.ts';
import { RED_FLAGS, SCREENING_LINK_IDS } from '../../src/domain/screening/screening.ts';
import { appTestContext, launchPatient, stored } from './support/app.ts';

const t = appTestContext();

const verdict = () => t.page.getAttribute('[data-testid="eligibility-verdict"]', 'data-verdict');
const referButton =
  'form[aria-label="Refer to mindfulness group medical visits"] button[type="submit"]';

describe('an urgent red flag', () => {
  it('alerts the moment "yes" is answered, before the form is complete, and is written to the chart at once', async () => {
    await launchPatient(t.page, t.sandbox, 'no-back-pain');
    await t.page.click('button:has-text("Screen for chronic low back pain")');
    await t.page.check('#screening-rf-saddle-anaesthesia-true');

    const alert = t.page.locator('form[aria-label="CLBP screening"] [role="alert"]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toBe(
      'Emergency: possible cauda equina syndrome (saddle anaesthesia). Arrange same-day emergency evaluation. Do not refer to the group programme.',
    );
    // The form is far from complete: the save button still waits for the other answers.
    await expect(
      t.page.locator('form[aria-label="CLBP screening"] button[type="submit"]').isDisabled(),
    ).resolves.toBe(true);

    await t.page.waitForSelector('[data-testid="urgent-records"] li[data-status="saved"]');
    const findings = await stored<Observation>(
      t.sandbox,
      `Observation?patient=no-back-pain&code=${SCREENING_FINDING_CODE_SYSTEM}|low-back-pain-red-flags`,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      status: 'final',
      valueBoolean: true,
      interpretation: [{ coding: [{ code: 'AA' }] }],
      performer: [{ reference: 'Practitioner/pcp-1' }],
      component: [{ code: { text: 'Saddle anaesthesia' }, valueBoolean: true }],
    });
    const responses = await stored<QuestionnaireResponse>(
      t.sandbox,
      'QuestionnaireResponse?patient=no-back-pain',
    );
    expect(responses.map((r) => [r.questionnaire?.split('|')[0], r.status])).toEqual([
      [SCREENING_QUESTIONNAIRE_URL, 'in-progress'],
    ]);
    expect(findings[0]?.derivedFrom?.[0]?.reference).toBe(
      `QuestionnaireResponse/${responses[0]?.id ?? ''}`,
    );

    const axe = await new AxeBuilder({ page: t.page }).analyze();
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => v.id),
    ).toEqual([]);

    // A reload restores the draft with its "yes": the record is kept, never written twice.
    await t.page.reload();
    await t.page.waitForSelector('[data-testid="urgent-records"] li[data-status="saved"]');
    expect(
      await stored<Observation>(
        t.sandbox,
        `Observation?patient=no-back-pain&code=${SCREENING_FINDING_CODE_SYSTEM}|low-back-pain-red-flags`,
      ),
    ).toHaveLength(1);
  });

  it('is seen by the next clinician who opens the chart, though the screening was never finished', async () => {
    // Same sandbox: the previous test left only the urgent record in no-back-pain's chart.
    await launchPatient(t.page, t.sandbox, 'no-back-pain');
    await expect(verdict()).resolves.toBe('needs-evaluation');
    await expect(t.page.textContent('[data-testid="urgent"]')).resolves.toContain(
      'Emergency: a cauda equina sign is on record.',
    );
    await expect(t.page.textContent('[data-testid="not-clearable"]')).resolves.toContain(
      'Saddle anaesthesia',
    );
    await expect(t.page.locator(referButton).count()).resolves.toBe(0);
  });
});

describe("a clinician's clearance of a chart red flag", () => {
  it('makes clbp-red-flag eligible once the screening is done, showing who and when', async () => {
    await launchPatient(t.page, t.sandbox, 'clbp-red-flag');
    await expect(verdict()).resolves.toBe('needs-evaluation');

    await t.page.click('button:has-text("Screen for chronic low back pain")');
    await t.page.check(`#screening-${SCREENING_LINK_IDS.duration}-gt-5-years`);
    await t.page.check(`#screening-${SCREENING_LINK_IDS.frequency}-every-day`);
    for (const flag of RED_FLAGS) {
      // The history of prostate cancer is answered truthfully: yes.
      await t.page.check(`#screening-${flag.linkId}-${String(flag.key === 'cancerOrWeightLoss')}`);
    }
    // The chart's sex is male: the pregnancy question is not asked.
    await expect(
      t.page.locator(`#screening-${SCREENING_LINK_IDS.pregnant}-false`).count(),
    ).resolves.toBe(0);
    await t.page.check(`#screening-${SCREENING_LINK_IDS.telehealthAble}-true`);
    await t.page.click('button:has-text("Save screening")');
    await t.page.waitForSelector('[data-red-flag="cancerOrWeightLoss"][data-status="evaluate"]');
    await expect(verdict()).resolves.toBe('needs-evaluation');

    await t.page.click('button:has-text("Record a clinician\'s evaluation")');
    await t.page.check('#clear-cancer-history');
    await t.page.check('#clear-cancerOrWeightLoss');
    await t.page.fill('#clearance-note', 'Prostate cancer treated 6 years ago; PSA undetectable.');
    await t.page.click('button:has-text("Save the evaluation")');

    await t.page.waitForSelector('[data-testid="eligibility-verdict"][data-verdict="eligible"]');
    const today = localDayOf(new Date());
    await expect(
      t.page.textContent('[data-red-flag="cancer-history"][data-status="met"]'),
    ).resolves.toContain(
      `History of cancer on the chart: evaluated by Practitioner/pcp-1 on ${today}: does not preclude the programme.`,
    );
    await expect(
      t.page.textContent('[data-red-flag="cancer-history"][data-status="met"] .evidence'),
    ).resolves.toContain(
      `Evaluated by Practitioner/pcp-1 on ${today}: does not preclude the programme ("Prostate cancer treated 6 years ago; PSA undetectable.")`,
    );
    await expect(t.page.locator(referButton).count()).resolves.toBe(1);
    const clearances = (
      await stored<QuestionnaireResponse>(t.sandbox, 'QuestionnaireResponse?patient=clbp-red-flag')
    ).filter((r) => r.questionnaire?.startsWith(RED_FLAG_EVALUATION_QUESTIONNAIRE_URL));
    expect(clearances).toHaveLength(1);
    expect(clearances[0]?.author?.reference).toBe('Practitioner/pcp-1');
  });

  it('shows the seeded clearance of red-flag-cleared: eligible, evaluated by Dr. Elena Morgan', async () => {
    await launchPatient(t.page, t.sandbox, 'red-flag-cleared');
    await expect(verdict()).resolves.toBe('eligible');
    await expect(
      t.page.textContent('[data-red-flag="cancer-history"][data-status="met"]'),
    ).resolves.toContain('evaluated by Dr. Elena Morgan');
  });
});

describe('risk context and dose changes', () => {
  it('prompts naloxone and flags the benzodiazepine for opioid-benzo', async () => {
    await launchPatient(t.page, t.sandbox, 'opioid-benzo');
    await expect(t.page.textContent('[data-testid="mme-current"]')).resolves.toContain(
      '60 MME/day',
    );
    await expect(t.page.textContent('[data-testid="risk-offer-naloxone"]')).resolves.toContain(
      'Offer naloxone (CDC 2022 Recommendation 8): no naloxone for overdose reversal is on record, and the dose is 60 MME/day (≥ 50); and a benzodiazepine is taken with opioids (alprazolam 0.5 MG Oral Tablet).',
    );
    // Each prompt names the records it rests on: the opioid the dose adds up from, the benzodiazepine.
    await expect(
      t.page.locator('[data-testid="risk-offer-naloxone"] li').allTextContents(),
    ).resolves.toEqual([
      'oxycodone hydrochloride 10 MG Oral Tablet (60 MME/day) — MedicationStatement/opioid-benzo-oxycodone',
      'alprazolam 0.5 MG Oral Tablet — MedicationRequest/opioid-benzo-alprazolam',
    ]);
    await expect(
      t.page.textContent('[data-testid="risk-concurrent-benzodiazepine"]'),
    ).resolves.toContain(
      'Clinicians should use particular caution when prescribing opioid pain medication and benzodiazepines concurrently',
    );
  });

  it('marks the abrupt stop of opioid-stopped as faster than the usual taper', async () => {
    await launchPatient(t.page, t.sandbox, 'opioid-stopped');
    const trajectory = t.page.locator('[data-testid="mme-trajectory"]');
    await expect(trajectory.getAttribute('data-kind')).resolves.toBe('stopped');
    const words = await trajectory.textContent();
    expect(words).toMatch(/^Stopped: 40 → 0 MME\/day over the last month \(−100% a month\)/);
    expect(words).toContain(
      "Faster than the guideline's usual taper: check withdrawal and the plan.",
    );
    expect(words).toContain('opioid therapy should not be discontinued abruptly');
  });
});
