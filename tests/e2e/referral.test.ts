import type { ServiceRequest, Task } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  appTestContext,
  loseNextWriteAnswer,
  launchPatient,
  screenPatient,
  stored,
} from './support/app.ts';

const t = appTestContext();

const verdict = () => t.page.getAttribute('[data-testid="eligibility-verdict"]', 'data-verdict');
const referButton =
  'form[aria-label="Refer to mindfulness group medical visits"] button[type="submit"]';

describe('screening, eligibility and referral', () => {
  it('screens an eligible patient and places exactly one referral despite a failure and a double click', async () => {
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(verdict()).resolves.toBe('needs-screening');
    await screenPatient(t.page, { duration: '1-5-years', frequency: 'every-day' });
    await t.page.waitForSelector('[data-testid="eligibility-verdict"][data-verdict="eligible"]');

    await t.page.fill('#referral-note', 'Prefers evening sessions');
    t.sandbox.faults.failNext({ status: 500, method: 'POST', match: /\/fhir\/?(\?|$)/ });
    await t.page.click(referButton);
    await t.page.waitForSelector(
      'form[aria-label="Refer to mindfulness group medical visits"] [role="alert"]',
    );
    await t.page.dblclick(referButton);
    await t.page.waitForSelector('section#referral [data-referral-status="requested"]');

    const requests = await stored<ServiceRequest>(
      t.sandbox,
      'ServiceRequest?patient=clbp-eligible',
    );
    const tasks = await stored<Task>(t.sandbox, 'Task?patient=clbp-eligible');
    expect(requests).toHaveLength(1);
    expect(tasks).toHaveLength(1);
    const [request] = requests;
    const [task] = tasks;
    expect(task?.focus?.reference).toBe(`ServiceRequest/${request?.id ?? ''}`);
    expect(task?.owner?.reference).toBe('Organization/optimum-gmv-programme');
    expect(request).toMatchObject({
      status: 'active',
      intent: 'order',
      requester: { reference: 'Practitioner/pcp-1' },
    });
    // Counseling from US Core's category value set (an EHR's category search finds it) and
    // Patient referral; the standard service code beside the project's, and the text.
    expect(request?.category?.map((c) => c.coding?.[0]?.code)).toEqual(['409063005', '3457005']);
    expect(request?.code?.coding?.map((c) => c.code)).toEqual(['409063005', 'mindfulness-gmv']);
    expect(request?.code?.text).toMatch(/^Mindfulness group medical visits/);
    expect(task?.priority).toBe('routine');
    expect(request?.reasonReference?.[0]?.reference).toMatch(/^Condition\//);
    expect(request?.supportingInfo?.map((s) => (s.reference ?? '').split('/')[0])).toEqual([
      'QuestionnaireResponse',
      'Observation',
    ]);
    expect(request?.note?.[0]?.text).toBe('Prefers evening sessions');
    // Once referred, the patient is never told "Not eligible" and is not offered a second referral.
    await expect(verdict()).resolves.toBe('referred');
    await expect(t.page.locator(referButton).count()).resolves.toBe(0);
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toBe(
      'Referred — awaiting the programme — follow-up PEGs provisional until the first session',
    );
  });

  it('places one referral when the first attempt reached the EHR but its answer was lost', async () => {
    await launchPatient(t.page, t.sandbox, 'fentanyl-patch');
    await screenPatient(t.page, { duration: '1-5-years', frequency: 'at-least-half' });
    await t.page.waitForSelector('[data-testid="eligibility-verdict"][data-verdict="eligible"]');
    await loseNextWriteAnswer(t.page);
    await t.page.click(referButton);
    await t.page.waitForSelector('[data-testid="referral-save-error"]');
    expect(
      await stored<ServiceRequest>(t.sandbox, 'ServiceRequest?patient=fentanyl-patch'),
    ).toHaveLength(1);
    await t.page.click(referButton);
    await t.page.waitForSelector('section#referral [data-referral-status="requested"]');
    expect(
      await stored<ServiceRequest>(t.sandbox, 'ServiceRequest?patient=fentanyl-patch'),
    ).toHaveLength(1);
    expect(await stored<Task>(t.sandbox, 'Task?patient=fentanyl-patch')).toHaveLength(1);
  });

  it('asks for evaluation, citing the cancer history, and offers no referral to the red-flag patient', async () => {
    await launchPatient(t.page, t.sandbox, 'clbp-red-flag');
    await expect(verdict()).resolves.toBe('needs-evaluation');
    const finding = await t.page.textContent(
      '[data-criterion="no-red-flags"][data-status="evaluate"]',
    );
    expect(finding).toContain('cancer');
    expect(finding).toContain('C61');
    await expect(t.page.locator(referButton).count()).resolves.toBe(0);
    await expect(t.page.textContent('[data-testid="referral-unavailable"]')).resolves.toContain(
      'History of cancer on the chart (Malignant neoplasms (C61)): clinician evaluation needed.',
    );
  });

  it('shows an urgent message for a cauda equina sign', async () => {
    await launchPatient(t.page, t.sandbox, 'opioid-taper');
    await screenPatient(t.page, {
      duration: 'gt-5-years',
      frequency: 'every-day',
      redFlag: 'rf-saddle-anaesthesia',
    });
    await t.page.waitForSelector('[data-testid="urgent"]');
    await expect(verdict()).resolves.toBe('needs-evaluation');
    await expect(t.page.locator(referButton).count()).resolves.toBe(0);
  });

  it('does not offer the 16-year-old a referral, and says it is because of age', async () => {
    await launchPatient(t.page, t.sandbox, 'minor');
    await expect(verdict()).resolves.toBe('not-eligible');
    await expect(t.page.textContent('[data-criterion="adult"]')).resolves.toContain('16');
    await expect(t.page.locator(referButton).count()).resolves.toBe(0);
  });

  it('finds no chronic low back pain for the hypertension-only patient once screened', async () => {
    await launchPatient(t.page, t.sandbox, 'no-back-pain');
    await expect(verdict()).resolves.toBe('needs-screening');
    await screenPatient(t.page, { duration: 'lt-1-month', frequency: 'less-than-half' });
    await t.page.waitForSelector(
      '[data-testid="eligibility-verdict"][data-verdict="not-eligible"]',
    );
    await expect(
      t.page.getAttribute('[data-criterion="chronic-low-back-pain"]', 'data-status'),
    ).resolves.toBe('not-met');
    await expect(t.page.locator(referButton).count()).resolves.toBe(0);
  });

  it('shows the completed programme and the month-6 PEG as due, with a button that opens the PEG form', async () => {
    await launchPatient(t.page, t.sandbox, 'referred-followup');
    await t.page.waitForSelector('section#referral [data-referral-status="completed"]');
    await expect(t.page.getAttribute('[data-follow-up="month6"]', 'data-status')).resolves.toBe(
      'due',
    );
    await t.page.click('button:has-text("Record the month 6 PEG")');
    await t.page.waitForSelector('form[aria-label="Month 6 follow-up PEG"]');
    await expect(
      t.page.evaluate(() => document.activeElement?.closest('form')?.getAttribute('aria-label')),
    ).resolves.toBe('Month 6 follow-up PEG');
  });

  it('cancels a referral with a reason: Task cancelled, ServiceRequest revoked', async () => {
    await launchPatient(t.page, t.sandbox, 'in-programme');
    await t.page.click('button:has-text("Cancel this referral")');
    await t.page.fill('#cancel-reason', 'Patient moved away');
    await t.page.click('button:has-text("Confirm cancellation")');
    await t.page.waitForSelector('section#referral [data-referral-status="cancelled"]');
    const [request] = await stored<ServiceRequest>(
      t.sandbox,
      'ServiceRequest?patient=in-programme',
    );
    const [task] = await stored<Task>(t.sandbox, 'Task?patient=in-programme');
    expect(request?.status).toBe('revoked');
    expect(task).toMatchObject({
      status: 'cancelled',
      statusReason: { text: 'Patient moved away' },
    });
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toBe(
      'Referral cancelled: Patient moved away',
    );
  });
});
