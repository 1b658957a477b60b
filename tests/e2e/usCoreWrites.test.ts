/**
 * Issue 12, writes: what the app writes in a launch within a visit carries the visit, claims the
 * US Core profile it follows and says who entered and who answered. (Every write of every e2e file
 * is also checked against the profiles by tests/e2e/harness/usCoreConformance.ts.)
 */
import type {
  Condition,
  Encounter,
  Observation,
  Questionnaire,
  QuestionnaireResponse,
} from 'fhir/r4';
import { RED_FLAGS, SCREENING_LINK_IDS } from '../../src/domain/screening/screening.ts';
import { describe, expect, it } from 'vitest';
import { PEG_ITEMS, pegAnswerCodeFor } from '../../src/domain/peg/peg.ts';
import { appTestContext, launchPatient, stored } from './support/app.ts';

const t = appTestContext();

const APP_QUESTIONNAIRES = [
  'http://fhir.clbp-pathway.org/Questionnaire/peg',
  'http://fhir.clbp-pathway.org/Questionnaire/clbp-screening',
  'http://fhir.clbp-pathway.org/Questionnaire/clbp-red-flag-evaluation',
];

const appQuestionnaires = () =>
  stored<Questionnaire>(t.sandbox, `Questionnaire?url=${APP_QUESTIONNAIRES.join(',')}`);

async function publication(): Promise<string | null> {
  const status = t.page.locator('[data-testid="questionnaire-status"]:not([data-kind="checking"])');
  await status.waitFor();
  return status.getAttribute('data-kind');
}

describe("the app's Questionnaires on the EHR", () => {
  it('creates them once when the grant allows, then finds them', async () => {
    // The seed has them, as an EHR team that loaded them would: take them away first.
    for (const q of await appQuestionnaires()) {
      await t.sandbox.repo.deleteResource('Questionnaire', q.id ?? '');
    }
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(publication()).resolves.toBe('created');
    await launchPatient(t.page, t.sandbox, 'opioid-taper');
    await expect(publication()).resolves.toBe('on-ehr');
    const found = await appQuestionnaires();
    expect(found.map((q) => `${q.url ?? ''}|${q.version ?? ''}`).sort()).toEqual([
      'http://fhir.clbp-pathway.org/Questionnaire/clbp-red-flag-evaluation|1.0.0',
      'http://fhir.clbp-pathway.org/Questionnaire/clbp-screening|1.1.0',
      'http://fhir.clbp-pathway.org/Questionnaire/peg|1.0.0',
    ]);
  });

  it('creates none without the grant and names the canonicals the answers refer to', async () => {
    for (const q of await appQuestionnaires()) {
      await t.sandbox.repo.deleteResource('Questionnaire', q.id ?? '');
    }
    t.sandbox.auth.setNarrowing(['user/Questionnaire']);
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(publication()).resolves.toBe('not-on-ehr');
    await expect(t.page.textContent('[data-testid="questionnaire-status"]')).resolves.toContain(
      'http://fhir.clbp-pathway.org/Questionnaire/peg|1.0.0',
    );
    await expect(appQuestionnaires()).resolves.toEqual([]);
  });
});

describe('writes in a launch within a visit', () => {
  it('records the PEG on the launch encounter, entered by the clinician and answered by the patient', async () => {
    const visit: Encounter = {
      resourceType: 'Encounter',
      status: 'in-progress',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: 'Patient/no-back-pain' },
    };
    const encounter = (await t.sandbox.repo.createResource(visit as never)) as { id: string };
    await t.page.goto(`${t.sandbox.launchUrl('no-back-pain', 'pcp-1')}&encounter=${encounter.id}`);
    await t.page.waitForSelector('main[aria-busy="false"] section', { timeout: 30_000 });
    await t.page.click('button:has-text("Record a PEG")');
    for (const [i, item] of PEG_ITEMS.entries()) {
      await t.page.check(`#peg-${item.linkId}-${pegAnswerCodeFor([5, 6, 4][i] ?? 0) ?? ''}`);
    }
    await t.page.click('form[aria-label="Record a PEG"] button[type="submit"]');
    await t.page.waitForSelector('[data-testid="peg-saved"]');

    const [response] = await stored<QuestionnaireResponse>(
      t.sandbox,
      'QuestionnaireResponse?patient=no-back-pain',
    );
    const [observation] = await stored<Observation>(
      t.sandbox,
      'Observation?patient=no-back-pain&code=http://loinc.org|91147-9',
    );
    expect(response).toMatchObject({
      meta: {
        profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse'],
      },
      encounter: { reference: `Encounter/${encounter.id}` },
      author: { reference: 'Practitioner/pcp-1' },
      source: { reference: 'Patient/no-back-pain' },
    });
    expect(observation).toMatchObject({
      meta: {
        profile: [
          'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment',
        ],
      },
      encounter: { reference: `Encounter/${encounter.id}` },
      performer: [{ reference: 'Patient/no-back-pain' }],
      derivedFrom: [{ reference: `QuestionnaireResponse/${response?.id ?? ''}` }],
    });
  });
});

describe('screening findings in the chart', () => {
  it('writes the Task Force result, red flags and pregnancy status, and adds chronic low back pain to the problem list only on confirmation', async () => {
    const patient = 'no-back-pain';
    await launchPatient(t.page, t.sandbox, patient);
    await t.page.click('button:has-text("Screen")');
    await t.page.check(`#screening-${SCREENING_LINK_IDS.duration}-1-5-years`);
    await t.page.check(`#screening-${SCREENING_LINK_IDS.frequency}-every-day`);
    for (const flag of RED_FLAGS) {
      await t.page.check(`#screening-${flag.linkId}-false`);
    }
    await t.page.check(`#screening-${SCREENING_LINK_IDS.pregnant}-false`);
    await t.page.check(`#screening-${SCREENING_LINK_IDS.telehealthAble}-true`);
    await t.page.click('button:has-text("Save screening")');
    const confirm = 'form[aria-label="Add chronic low back pain to the problem list"]';
    await t.page.waitForSelector(confirm);

    const [response] = await stored<QuestionnaireResponse>(
      t.sandbox,
      `QuestionnaireResponse?patient=${patient}&questionnaire=http://fhir.clbp-pathway.org/Questionnaire/clbp-screening|1.1.0`,
    );
    const findings = await stored<Observation>(
      t.sandbox,
      `Observation?patient=${patient}&derived-from=QuestionnaireResponse/${response?.id ?? ''}`,
    );
    const byCode = Object.fromEntries(findings.map((o) => [o.code.coding?.[0]?.code ?? '', o]));
    expect(Object.keys(byCode).sort()).toEqual([
      '82810-3',
      'clbp-task-force-definition',
      'low-back-pain-red-flags',
    ]);
    expect(byCode['clbp-task-force-definition']?.valueBoolean).toBe(true);
    expect(byCode['low-back-pain-red-flags']?.valueBoolean).toBe(false);
    expect(byCode['low-back-pain-red-flags']?.component).toHaveLength(RED_FLAGS.length);
    expect(byCode['82810-3']?.valueCodeableConcept?.coding?.[0]?.code).toBe('60001007');
    expect(byCode['82810-3']?.meta?.profile).toEqual([
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-pregnancystatus',
    ]);

    // Nothing goes on the problem list until the clinician confirms.
    await expect(
      stored<Condition>(t.sandbox, `Condition?patient=${patient}`),
    ).resolves.toHaveLength(1);
    await expect(t.page.isDisabled(`${confirm} button[type="submit"]`)).resolves.toBe(true);
    await t.page.check(`${confirm} input[type="checkbox"]`);
    await t.page.click(`${confirm} button[type="submit"]`);
    await t.page.waitForSelector(confirm, { state: 'detached' });
    const problems = (await stored<Condition>(t.sandbox, `Condition?patient=${patient}`)).filter(
      (c) => c.code?.coding?.some((coding) => coding.code === '278860009'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      recorder: { reference: 'Practitioner/pcp-1' },
      evidence: [{ detail: [{ reference: `QuestionnaireResponse/${response?.id ?? ''}` }] }],
    });
    expect(problems[0]?.code?.coding?.map((c) => c.code)).toEqual([
      '278860009',
      'M54.50',
      'G89.29',
    ]);
  });
});
