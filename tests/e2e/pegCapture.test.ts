import type { Observation, QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { PEG_ITEMS, pegAnswerCodeFor } from '../../src/domain/peg/peg.ts';
import { appTestContext, loseNextWriteAnswer, launchPatient, stored } from './support/app.ts';

const t = appTestContext();

async function records(patient: string) {
  const responses = await stored<QuestionnaireResponse>(
    t.sandbox,
    `QuestionnaireResponse?patient=${patient}`,
  );
  const observations = await stored<Observation>(
    t.sandbox,
    `Observation?patient=${patient}&code=http://loinc.org|91147-9`,
  );
  return { responses, observations };
}

/** Picks the answer (0–10) of each PEG item by its LOINC answer code. */
async function answer(values: readonly number[]) {
  for (const [i, item] of PEG_ITEMS.entries()) {
    const value = values[i];
    if (value !== undefined) {
      await t.page.check(`#peg-${item.linkId}-${pegAnswerCodeFor(value) ?? ''}`);
    }
  }
}

async function openForm() {
  await t.page.click('button:has-text("Record a PEG")');
  await t.page.waitForSelector('form[aria-label="Record a PEG"]');
}

const saveButton = 'form[aria-label="Record a PEG"] button[type="submit"]';

describe('recording a PEG', () => {
  it('saves 6/7/4 as one QuestionnaireResponse and one linked Observation of 5.67, and charts it', async () => {
    const before = await records('clbp-eligible');
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await openForm();
    await expect(t.page.isDisabled(saveButton)).resolves.toBe(true);
    await answer([6, 7]);
    await expect(t.page.isDisabled(saveButton)).resolves.toBe(true);
    await answer([6, 7, 4]);
    await expect(t.page.textContent('.calculated output')).resolves.toBe('5.67');
    await t.page.click(saveButton);
    await t.page.waitForSelector('[data-testid="peg-saved"]');

    const after = await records('clbp-eligible');
    const newResponses = after.responses.filter(
      (r) => !before.responses.some((b) => b.id === r.id),
    );
    const newObservations = after.observations.filter(
      (o) => !before.observations.some((b) => b.id === o.id),
    );
    expect(newResponses).toHaveLength(1);
    expect(newObservations).toHaveLength(1);
    const [response] = newResponses;
    const [observation] = newObservations;
    expect(observation?.valueQuantity).toMatchObject({
      value: 5.67,
      code: '{score}',
      system: 'http://unitsofmeasure.org',
    });
    expect(observation?.derivedFrom?.[0]?.reference).toBe(
      `QuestionnaireResponse/${response?.id ?? ''}`,
    );
    expect(observation?.component?.map((c) => c.valueQuantity?.value)).toEqual([6, 7, 4]);
    expect(response?.author?.reference).toBe('Practitioner/pcp-1');
    expect(observation?.identifier?.[0]?.value).toBe(response?.identifier?.value);

    await t.page.waitForSelector('[data-testid="peg-history"] td:has-text("5.67")');
  });

  it('keeps the answers through a failed save, and the retry stores exactly one of each', async () => {
    const before = await records('minor');
    await launchPatient(t.page, t.sandbox, 'minor');
    await openForm();
    await answer([3, 4, 5]);
    t.sandbox.faults.failNext({ status: 503, method: 'POST', match: /\/fhir\/?(\?|$)/ });
    await t.page.click(saveButton);
    await t.page.waitForSelector('[data-testid="peg-save-error"]');
    await expect(t.page.textContent('[data-testid="peg-save-error"]')).resolves.toContain(
      'Your answers are kept',
    );
    await expect(t.page.isChecked(`#peg-peg-pain-${pegAnswerCodeFor(3) ?? ''}`)).resolves.toBe(
      true,
    );
    expect((await records('minor')).responses).toHaveLength(before.responses.length);

    await t.page.click(saveButton);
    await t.page.waitForSelector('[data-testid="peg-saved"]');
    const after = await records('minor');
    expect(after.responses).toHaveLength(before.responses.length + 1);
    expect(after.observations).toHaveLength(before.observations.length + 1);
  });

  it('creates nothing new when the save reached the EHR but its answer was lost', async () => {
    const before = await records('no-back-pain');
    await launchPatient(t.page, t.sandbox, 'no-back-pain');
    await openForm();
    await answer([2, 2, 3]);
    await loseNextWriteAnswer(t.page);
    await t.page.click(saveButton);
    await t.page.waitForSelector('[data-testid="peg-save-error"]');
    expect((await records('no-back-pain')).responses).toHaveLength(before.responses.length + 1);
    // The EHR may hold these answers already: they stay as sent, so the retry stores exactly them.
    await t.page.waitForSelector('[data-testid="peg-save-error-locked"]');
    await expect(t.page.isDisabled(`#peg-peg-pain-${pegAnswerCodeFor(9) ?? ''}`)).resolves.toBe(
      true,
    );

    await t.page.click(saveButton);
    await t.page.waitForSelector('[data-testid="peg-saved"]');
    const after = await records('no-back-pain');
    expect(after.responses).toHaveLength(before.responses.length + 1);
    expect(after.observations).toHaveLength(before.observations.length + 1);
  });

  it('restores the draft after a reload in the middle of the form', async () => {
    await launchPatient(t.page, t.sandbox, 'opioid-taper');
    await openForm();
    await answer([8, 6]);
    await t.page.reload();
    await t.page.waitForSelector('main[aria-busy="false"] form[aria-label="Record a PEG"]', {
      timeout: 30_000,
    });
    await expect(t.page.isChecked(`#peg-peg-pain-${pegAnswerCodeFor(8) ?? ''}`)).resolves.toBe(
      true,
    );
    await expect(t.page.isChecked(`#peg-peg-enjoyment-${pegAnswerCodeFor(6) ?? ''}`)).resolves.toBe(
      true,
    );
    await expect(t.page.isDisabled(saveButton)).resolves.toBe(true);
  });

  it('shows the referred patient baseline and week-8 points, and month 6 as due', async () => {
    await launchPatient(t.page, t.sandbox, 'referred-followup');
    const rows = await t.page.locator('[data-testid="peg-history"] tbody tr').allTextContents();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('(baseline)');
    await expect(t.page.getAttribute('[data-follow-up="week8"]', 'data-status')).resolves.toBe(
      'done',
    );
    await expect(t.page.getAttribute('[data-follow-up="month6"]', 'data-status')).resolves.toBe(
      'due',
    );
    await expect(t.page.textContent('svg.trend-chart')).resolves.toContain('Month 6');
  });
});
