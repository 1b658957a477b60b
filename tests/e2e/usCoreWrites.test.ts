/**
 * Issue 12, writes: what the app writes in a launch within a visit carries the visit, claims the
 * US Core profile it follows and says who entered and who answered. (Every write of every e2e file
 * is also checked against the profiles by tests/e2e/harness/usCoreConformance.ts.)
 */
import type { Encounter, Observation, QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { PEG_ITEMS, pegAnswerCodeFor } from '../../src/domain/peg/peg.ts';
import { appTestContext, stored } from './support/app.ts';

const t = appTestContext();

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
