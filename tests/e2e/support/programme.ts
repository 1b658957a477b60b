/**
 * End-to-end support for the programme workspace: a clinician's referral, the stored Task and its
 * status history, axe's serious violations, keyboard-only navigation.
 */
import AxeBuilder from '@axe-core/playwright';
import type { ServiceRequest, Task } from 'fhir/r4';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Sandbox } from '../harness/sandbox.ts';
import { launchPatient, screenPatient, stored } from './app.ts';

export const referButton =
  'form[aria-label="Refer to mindfulness group medical visits"] button[type="submit"]';

/** The clinician screens the patient and refers them with a note and a preferred start. */
export async function refer(
  page: Page,
  sandbox: Sandbox,
  patient: string,
  note: string,
  start: string,
) {
  await launchPatient(page, sandbox, patient);
  await screenPatient(page, { duration: '1-5-years', frequency: 'every-day' });
  await page.waitForSelector('[data-testid="eligibility-verdict"][data-verdict="eligible"]');
  await page.fill('#referral-start', start);
  await page.fill('#referral-note', note);
  await page.click(referButton);
  await page.waitForSelector('section#referral [data-referral-status="requested"]');
}

export async function taskOf(sandbox: Sandbox, patient: string): Promise<Task & { id: string }> {
  const tasks = await stored<Task>(sandbox, `Task?patient=${patient}`);
  expect(tasks).toHaveLength(1);
  const [task] = tasks;
  if (task?.id === undefined) {
    throw new Error(`no Task for ${patient}`);
  }
  return { ...task, id: task.id };
}

/** Stores a resource as the EHR would (the sandbox's repository speaks medplum's types). */
export async function save<T extends ServiceRequest | Task>(
  sandbox: Sandbox,
  resource: T,
): Promise<T> {
  return await sandbox.repo.createResource(resource as never);
}

/** Every stored version of the Task, oldest first, with its status. */
export async function statusHistory(sandbox: Sandbox, id: string): Promise<string[]> {
  const history = await sandbox.repo.readHistory('Task', id);
  return (history.entry ?? [])
    .map((e) => (e.resource as Task | undefined)?.status ?? 'deleted')
    .reverse();
}

/** Serious or critical axe violations, as "id: help (n nodes)". */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
}

/** Presses Tab until the element matching `selector` has focus (keyboard only, no clicks). */
export async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) === true, selector)) {
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}
