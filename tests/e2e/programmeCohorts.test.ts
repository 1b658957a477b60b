/**
 * Issue 13's acceptance flow: a clinician refers clbp-eligible; the coordinator accepts, creates a
 * cohort, adds the patient and records attendance at session 1 (despite an injected failure, a
 * retry and a double click); the clinician then sees "session 1 of 8" and follow-ups from that start.
 */
import { mkdirSync } from 'node:fs';
import { addWeeks } from 'date-fns/addWeeks';
import type { Encounter, Group, Observation, Task } from 'fhir/r4';
import { PEG_ITEMS, pegAnswerCodeFor } from '../../src/domain/peg/peg.ts';
import { describe, expect, it } from 'vitest';
import { localDayOf } from '../../src/domain/fhir-primitives/dates.ts';
import { appTestContext, launchPatient, launchProgramme, stored } from './support/app.ts';
import { refer, seriousViolations, statusHistory, tabTo, taskOf } from './support/programme.ts';

const t = appTestContext();

const TODAY = localDayOf(new Date());
const SCREENSHOTS = '/tmp/clbp-e2e';

describe('the programme workspace: cohorts and sessions', () => {
  it('takes a referral from acceptance to session 1 attended, and the clinician sees session 1 of 8 with follow-ups from that day', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await refer(t.page, t.sandbox, 'clbp-eligible', 'Mornings suit best', TODAY);
    const task = await taskOf(t.sandbox, 'clbp-eligible');

    const staff = await t.page.context().newPage();
    await staff.setViewportSize({ width: 1000, height: 800 });
    await launchProgramme(staff, t.sandbox, 'coordinator-1');
    await staff.click(`[data-testid="accept-${task.id}"]`);
    await staff.waitForSelector('[data-testid="queue-announcement"]:has-text("was accepted")');

    await staff.click('button[data-view="cohorts"]');
    await staff.waitForSelector('.cohorts-view');
    expect(await seriousViolations(staff)).toEqual([]);
    await staff.fill('#cohort-name', 'Tuesday mornings');
    await staff.fill('#cohort-day', TODAY);
    await staff.fill('#cohort-time', '00:05');
    await staff.dblclick('.new-cohort button[type="submit"]');
    const detail = staff.locator('section.cohort-detail');
    await detail.waitFor();
    const groups = await stored<Group>(t.sandbox, 'Group?name=Tuesday mornings');
    expect(groups).toHaveLength(1);

    await detail.locator('select').selectOption('Patient/clbp-eligible');
    await detail.locator('.add-member button[type="submit"]').click();
    const row = detail.locator('tr[data-patient="Patient/clbp-eligible"]');
    await row.waitFor();
    await row
      .locator('[data-testid="member-status"]:has-text("scheduled in cohort Tuesday mornings")')
      .waitFor({ timeout: 20_000 });

    // Session 1: the first save fails, the retry succeeds, a double click adds nothing.
    t.sandbox.faults.failNext({ status: 500, method: 'POST', match: /^POST \/fhir\/?(\?|$)/ });
    const box = row.locator('td[data-session="1"] input[type="checkbox"]');
    await box.check();
    await staff.waitForSelector('[data-testid="attendance-error"]');
    await staff.click('[data-testid="attendance-error"] button');
    await row
      .locator('[data-testid="member-status"]:has-text("session 1 of 8")')
      .waitFor({ timeout: 20_000 });
    await expect(box.isChecked()).resolves.toBe(true);
    expect(await seriousViolations(staff)).toEqual([]);
    await staff.screenshot({ path: `${SCREENSHOTS}/programme-cohort-1000.png`, fullPage: true });

    const encounters = await stored<Encounter>(t.sandbox, 'Encounter?patient=clbp-eligible');
    expect(encounters.map((e) => e.status)).toEqual(['finished']);
    const statuses = await statusHistory(t.sandbox, task.id);
    expect(statuses.filter((s) => s === 'in-progress')).toHaveLength(1);
    expect(statuses.filter((s, i) => s !== statuses[i - 1])).toEqual([
      'requested',
      'accepted',
      'in-progress',
    ]);
    const started = await taskOf(t.sandbox, 'clbp-eligible');
    expect(started.executionPeriod?.start?.slice(0, 10)).toBe(TODAY);
    await staff.close();

    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(t.page.textContent('[data-testid="status-line"]')).resolves.toMatch(
      /In the mindfulness programme — session 1 of 8/,
    );
    const week8 = localDayOf(addWeeks(new Date(`${TODAY}T12:00:00`), 8));
    await expect(t.page.textContent('section#referral')).resolves.toContain(week8);
  });

  it('lists who is due a follow-up PEG, asks the patient once despite a double click, and records the PEG taken by phone', async () => {
    const staff = t.page;
    // The seed's own month-6 request (the patient mode's) goes: this test sends one itself.
    await t.sandbox.repo.deleteResource('Task', 'referred-followup-peg-request-month6');
    await staff.setViewportSize({ width: 1000, height: 800 });
    await launchProgramme(staff, t.sandbox, 'coordinator-1');
    await staff.click('button[data-view="follow-ups"]');
    const row = staff.locator('tr[data-patient="Patient/referred-followup"][data-point="month6"]');
    await row.waitFor({ timeout: 20_000 });
    await expect(row.getAttribute('data-status')).resolves.toBe('due');
    expect(await seriousViolations(staff)).toEqual([]);
    await staff.screenshot({
      path: `${SCREENSHOTS}/programme-follow-ups-1000.png`,
      fullPage: true,
    });

    await row.locator('[data-testid="ask-peg"]').dblclick();
    await staff.waitForSelector('[data-testid="follow-up-announcement"]:has-text("was asked")');
    const asked = await stored<Task>(
      t.sandbox,
      'Task?patient=referred-followup&code=http://hl7.org/fhir/uv/sdc/CodeSystem/temp|complete-questionnaire',
    );
    expect(asked).toHaveLength(1);
    expect(asked[0]).toMatchObject({
      status: 'requested',
      owner: { reference: 'Patient/referred-followup' },
      basedOn: [{ reference: 'ServiceRequest/referred-followup-referral' }],
    });
    // Disabled once the list has read the new request back (the announcement comes first).
    await row.locator('[data-testid="ask-peg"]:disabled').waitFor();

    // Opened by keyboard and closed with Escape, the form gives focus back to the row's button.
    await row.locator('[data-testid="phone-peg"]').focus();
    await staff.keyboard.press('Enter');
    await staff.waitForSelector('.phone-peg form h3:focus');
    await staff.keyboard.press('Escape');
    await row.locator('[data-testid="phone-peg"]:focus').waitFor();
    await row.locator('[data-testid="phone-peg"]').click();
    for (const [i, item] of PEG_ITEMS.entries()) {
      await staff.check(
        `#programme-phone-peg-month6-${item.linkId}-${pegAnswerCodeFor([5, 4, 4][i] ?? 0) ?? ''}`,
      );
    }
    await staff.click('.phone-peg form button[type="submit"]');
    await staff.waitForSelector('[data-testid="follow-up-announcement"]:has-text("4.33")');
    const pegs = await stored<Observation>(
      t.sandbox,
      'Observation?patient=referred-followup&code=http://loinc.org|91147-9',
    );
    const phone = pegs.filter((o) => o.valueQuantity?.value === 4.33);
    expect(phone).toHaveLength(1);
    expect(phone[0]?.performer?.[0]?.reference).toBe('Patient/referred-followup');
    const closed = await stored<Task>(t.sandbox, `Task?_id=${asked[0]?.id ?? ''}`);
    expect(closed[0]?.status).toBe('completed');
    // Nothing left due: the list says so (reflowed at 390 px, an empty table showed nothing).
    await expect(staff.textContent('[data-testid="no-follow-ups"]')).resolves.toBe(
      'No follow-up PEG is due or overdue.',
    );
    await staff.click('.follow-ups .inline-check input');
    const done = staff.locator(
      'tr[data-patient="Patient/referred-followup"][data-point="month6"][data-status="done"]',
    );
    await done.waitFor();
  });

  it.each([
    [1000, 800],
    [390, 844],
  ])(
    'reaches every staff screen by keyboard alone at %i px, each without a serious axe violation, the results labelled an uncontrolled audit',
    async (width, height) => {
      const staff = t.page;
      await staff.setViewportSize({ width, height });
      await launchProgramme(staff, t.sandbox, 'facilitator-1');
      expect(await seriousViolations(staff)).toEqual([]);
      const screens = [
        ['cohorts', '.cohorts-view li[data-cohort="cohort-running"][data-stage="running"]'],
        ['follow-ups', '.follow-ups[aria-busy="false"] table'],
        ['results', '[data-audit="All cohorts"] tr[data-point="week8"]'],
      ] as const;
      for (const [view, ready] of screens) {
        await tabTo(staff, `button[data-view="${view}"]`);
        await staff.keyboard.press('Enter');
        await staff.waitForSelector(ready, { timeout: 20_000 });
        expect(await seriousViolations(staff)).toEqual([]);
        // No row header (the patient, the time point) broken mid-word, that is on more lines than
        // it has words: squeezed into 390 px the tables split "Month 6" and "Anita Desai" apart.
        const broken = await staff.$$eval('main.programme table th[scope="row"]', (cells) =>
          cells
            .filter((cell) => {
              const text = document.createRange();
              text.selectNodeContents(cell);
              const words = cell.textContent.trim().split(/\s+/).length;
              return text.getClientRects().length > words;
            })
            .map((cell) => cell.textContent),
        );
        expect(broken).toEqual([]);
        await staff.screenshot({
          path: `${SCREENSHOTS}/programme-${view}-${String(width)}.png`,
          fullPage: true,
        });
      }
      await expect(staff.textContent('[data-testid="audit-label"]')).resolves.toContain(
        'Uncontrolled programme audit',
      );
      // The seeded cohorts (another test of this file may have added one), by their names on the
      // server (named for the month and weekday of their first session, which move with the seed).
      const audit = async (id: string) => {
        const [group] = await stored<Group>(t.sandbox, `Group?_id=${id}`);
        return `[data-audit^="${group?.name ?? id} ("]`;
      };
      const completed = await audit('cohort-completed');
      const running = await audit('cohort-running');
      await expect(staff.textContent(`${completed} [data-testid="attendance"]`)).resolves.toMatch(
        /^1 patient; 1 attended at least one session \(mean 7\.0 of 8\); 1 completed/,
      );
      await expect(staff.textContent(`${running} [data-testid="attendance"]`)).resolves.toMatch(
        /^1 patient; 1 attended at least one session \(mean 5\.0 of 8\); 0 completed/,
      );
      // The running cohort's patient was referred weeks ago: month 6 is not yet due, not lost.
      const month6 = `${running} tr[data-point="month6"]`;
      await expect(staff.textContent(`${month6} td[data-label="Lost to follow-up"]`)).resolves.toBe(
        '0',
      );
      await expect(staff.textContent(`${month6} td[data-label="Not yet due"]`)).resolves.toBe('1');

      // The cohorts: a recruiting one, the running one with its grid, a completed one; keyboard
      // opens the running cohort's attendance.
      await tabTo(staff, 'button[data-view="cohorts"]');
      await staff.keyboard.press('Enter');
      await staff.waitForSelector('.cohorts-view');
      const stages = await staff.$$eval('.cohort-list li', (items) =>
        items.map((li) => li.getAttribute('data-stage')),
      );
      expect(stages).toEqual(expect.arrayContaining(['completed', 'recruiting', 'running']));
      await tabTo(staff, 'li[data-cohort="cohort-running"] button');
      await staff.keyboard.press('Enter');
      await staff
        .locator('tr[data-patient="Patient/in-programme"] [data-testid="member-status"]')
        .filter({ hasText: 'session 5 of 8' })
        .waitFor({ timeout: 20_000 });
      expect(await seriousViolations(staff)).toEqual([]);
      await staff.screenshot({
        path: `${SCREENSHOTS}/programme-cohort-detail-${String(width)}.png`,
        fullPage: true,
      });
    },
  );
});
