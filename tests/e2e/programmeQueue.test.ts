import { mkdirSync } from 'node:fs';
import type { ServiceRequest, Task } from 'fhir/r4';
import { referralEntries } from '../../src/fhir/referralWrite.ts';
import { describe, expect, it } from 'vitest';
import {
  appTestContext,
  launchPatient,
  launchProgramme,
  loseNextWriteAnswer,
} from './support/app.ts';
import {
  refer,
  save,
  seriousViolations,
  statusHistory,
  tabTo,
  taskOf,
} from './support/programme.ts';

const t = appTestContext();

const START = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);

describe("the EHR's programme entry", () => {
  it('launches the app for programme staff only, with no patient and the programme workspace asked for', async () => {
    const refused = await fetch(t.sandbox.programmeLaunchUrl('pcp-1'), { redirect: 'manual' });
    expect(refused.status).toBe(404);
    await expect(refused.text()).resolves.toContain('no role in the group-visit programme');
    const ok = await fetch(t.sandbox.programmeLaunchUrl('facilitator-1'), { redirect: 'manual' });
    expect(ok.status).toBe(302);
    const target = new URL(ok.headers.get('location') ?? '');
    expect(target.pathname).toBe('/launch/launch.html');
    expect(target.searchParams.get('workspace')).toBe('programme');
    expect(target.searchParams.get('launch')).not.toBeNull();
    const home = await (await fetch(`${t.sandbox.origin}/`)).text();
    expect(home).toContain('<option value="coordinator-1">');
    expect(home).toContain('<option value="facilitator-1">');
  });
});

describe('the programme workspace: referral queue', () => {
  it("shows the clinician's referral with its note and records one acceptance despite a failure, a retry and a double click", async () => {
    const note = 'Prefers evening sessions; works days';
    await refer(t.page, t.sandbox, 'clbp-eligible', note, START);
    const task = await taskOf(t.sandbox, 'clbp-eligible');

    const staff = await t.page.context().newPage();
    await staff.setViewportSize({ width: 1000, height: 800 });
    await launchProgramme(staff, t.sandbox, 'coordinator-1');
    const row = staff.locator(`li[data-task="${task.id}"]`);
    await expect(row.locator('h3').textContent()).resolves.toContain('Dolores Ann Reyes');
    await expect(row.locator('[data-testid="queue-note"]').textContent()).resolves.toBe(note);
    const facts = (await row.locator('.queue-facts').textContent()) ?? '';
    expect(facts).toContain('Dr. Elena Morgan');
    expect(facts).toContain(START);
    expect(facts).toContain('Requested');
    // The latest PEG and the dose, from the pathway as the clinician's first screen shows them.
    await row.locator('[data-testid="queue-mme"]:has-text("MME/day")').waitFor();
    await expect(row.locator('[data-testid="queue-peg"]').textContent()).resolves.toMatch(/^6\.33/);
    await expect(row.locator('[data-testid="queue-mme"]').textContent()).resolves.toMatch(
      /^40 MME\/day/,
    );
    expect(await seriousViolations(staff)).toEqual([]);
    mkdirSync('/tmp/clbp-e2e', { recursive: true });
    await staff.screenshot({ path: '/tmp/clbp-e2e/programme-queue-1000.png' });

    t.sandbox.faults.failNext({ status: 500, method: 'POST', match: /^POST \/fhir\/?(\?|$)/ });
    await row.locator(`[data-testid="accept-${task.id}"]`).click();
    await staff.waitForSelector(`[data-testid="accept-error-${task.id}"]`);
    expect((await taskOf(t.sandbox, 'clbp-eligible')).status).toBe('requested');
    await expect(row.locator(`[data-testid="accept-${task.id}"]`).textContent()).resolves.toMatch(
      /^Retry accepting/,
    );
    await row.locator(`[data-testid="accept-${task.id}"]`).dblclick();
    await staff.waitForSelector('[data-testid="queue-announcement"]:has-text("was accepted")');
    // Accepted referrals leave the "awaiting a decision" list.
    await staff.waitForSelector(`li[data-task="${task.id}"]`, { state: 'detached' });

    const accepted = await taskOf(t.sandbox, 'clbp-eligible');
    expect(accepted).toMatchObject({
      status: 'accepted',
      businessStatus: { text: 'Accepted — awaiting a cohort' },
      owner: { reference: 'Organization/optimum-gmv-programme' },
    });
    expect(await statusHistory(t.sandbox, task.id)).toEqual(['requested', 'accepted']);

    await staff.selectOption('#queue-filter', 'accepted');
    await staff.waitForSelector(`li[data-task="${task.id}"][data-status="accepted"]`);
    await staff.close();

    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toMatch(
      /^Referred — accepted by the programme, waiting for a cohort/,
    );
  });

  it('declines by keyboard alone with a reason, once despite a lost answer, and the clinician sees the reason', async () => {
    const reason = 'Cannot join telehealth sessions: no private space at home';
    await refer(t.page, t.sandbox, 'fentanyl-patch', 'Interested, evenings only', START);
    const task = await taskOf(t.sandbox, 'fentanyl-patch');

    const staff = await t.page.context().newPage();
    await staff.setViewportSize({ width: 390, height: 844 });
    await launchProgramme(staff, t.sandbox, 'coordinator-1');
    await tabTo(staff, `[data-testid="decline-${task.id}"]`);
    await staff.keyboard.press('Enter');
    // The reason field takes focus when the decline form opens.
    await staff.keyboard.type(reason);
    await loseNextWriteAnswer(staff);
    await staff.keyboard.press('Tab');
    await staff.keyboard.press('Enter');
    await staff.waitForSelector(`[data-testid="decline-error-${task.id}"]`);
    expect((await taskOf(t.sandbox, 'fentanyl-patch')).status).toBe('rejected');
    expect(await seriousViolations(staff)).toEqual([]);
    mkdirSync('/tmp/clbp-e2e', { recursive: true });
    await staff.screenshot({ path: '/tmp/clbp-e2e/programme-decline-390.png', fullPage: true });
    await tabTo(staff, `form[aria-label^="Decline"] button[type="submit"]`);
    await staff.keyboard.press('Enter');
    await staff.waitForSelector('[data-testid="queue-announcement"]:has-text("was declined")');
    await expect(
      staff.evaluate(() => document.activeElement?.getAttribute('data-testid')),
    ).resolves.toBe('queue-announcement');

    const declined = await taskOf(t.sandbox, 'fentanyl-patch');
    expect(declined).toMatchObject({ status: 'rejected', statusReason: { text: reason } });
    expect(await statusHistory(t.sandbox, task.id)).toEqual(['requested', 'rejected']);
    await staff.close();

    await launchPatient(t.page, t.sandbox, 'fentanyl-patch');
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toContain(reason);
  });

  it("reports a colleague's decision made meanwhile and overwrites nothing", async () => {
    // A referral placed as the clinician's app places it, stored directly.
    const [requestEntry, taskEntry] = referralEntries({
      submissionId: crypto.randomUUID(),
      context: { patientId: 'minor', enterer: 'Practitioner/pcp-1', encounter: undefined },
      programme: 'Organization/optimum-gmv-programme',
      authoredOn: new Date().toISOString(),
      reason: undefined,
      supportingInfo: [],
      note: 'Family asks about a teen group',
      preferredStart: undefined,
    });
    const request = await save(t.sandbox, requestEntry?.resource as ServiceRequest);
    const task = await save(t.sandbox, {
      ...(taskEntry?.resource as Task),
      focus: { reference: `ServiceRequest/${request.id ?? ''}` },
    });
    const id = task.id ?? '';

    const staff = await t.page.context().newPage();
    await launchProgramme(staff, t.sandbox, 'facilitator-1');
    await staff.waitForSelector(`li[data-task="${id}"]`);
    // A colleague declines it in another tab.
    await t.sandbox.repo.updateResource({
      ...task,
      status: 'rejected',
      statusReason: { text: 'Under 18: the programme is for adults' },
    } as never);
    await staff.click(`[data-testid="accept-${id}"]`);
    const error = await staff.waitForSelector(`[data-testid="accept-error-${id}"]`);
    await expect(error.textContent()).resolves.toContain('changed meanwhile');
    await expect(error.textContent()).resolves.toContain('Under 18');
    expect(await statusHistory(t.sandbox, id)).toEqual(['requested', 'rejected']);
    await staff.close();
  });

  it('opens in a standalone launch after the practitioner sign-in, asking for no patient', async () => {
    await t.page.goto(`${t.sandbox.appOrigin}/launch/launch.html?workspace=programme`);
    await t.page.check('#practitioner-coordinator-1');
    await t.page.click('#sign-in');
    const scopes = await t.page.$$eval('input[name="scope"]', (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).value),
    );
    expect(scopes.filter((s) => s.startsWith('patient/') || s.startsWith('launch'))).toEqual([]);
    await t.page.click('#approve');
    await t.page.waitForSelector('main.programme .queue-view[aria-busy="false"] #queue-heading');
  });
});
