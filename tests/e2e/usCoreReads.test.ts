/**
 * Issue 12, reads that degrade: the Opioids section works from MedicationRequests alone when the EHR
 * does not grant MedicationStatement (SANDBOX_NARROW_SCOPES) or does not offer it (404, as US Core 4
 * and later servers may), says which it read, and searches MedicationRequest the US Core way.
 */
import { describe, expect, it } from 'vitest';
import { appTestContext, launchPatient } from './support/app.ts';

const t = appTestContext({ SANDBOX_NARROW_SCOPES: 'MedicationStatement' });

const section = () => t.page.locator('section#opioids');

describe('the Opioids section without MedicationStatement', () => {
  it('shows the MedicationRequest-based dose when the grant leaves MedicationStatement out', async () => {
    const searches: string[] = [];
    t.page.on('request', (r) => {
      if (r.method() === 'GET' && r.url().includes('/fhir/Medication')) {
        searches.push(decodeURIComponent(r.url()));
      }
    });
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(section().getAttribute('data-status')).resolves.toBe('ready');
    await expect(t.page.textContent('[data-testid="mme-current"]')).resolves.toContain(
      '40 MME/day',
    );
    await expect(t.page.textContent('section#opioids [data-testid="read-sources"]')).resolves.toBe(
      'Read from MedicationRequests. MedicationStatements were not available: the EHR did not ' +
        'grant patient/MedicationStatement.rs. What this section shows comes from these alone.',
    );
    // Not asked for at all: the grant says it would be refused.
    expect(searches.filter((u) => u.includes('/MedicationStatement'))).toEqual([]);
    expect(searches.filter((u) => u.includes('/MedicationRequest?'))).toEqual([
      expect.stringMatching(
        /patient=clbp-eligible&intent=proposal,plan,order,original-order,reflex-order,filler-order,instance-order,option&_include=MedicationRequest:medication/,
      ),
    ]);
  });

  it('shows the MedicationRequest-based dose when the EHR answers 404 for MedicationStatement', async () => {
    t.sandbox.auth.setNarrowing([]);
    t.sandbox.faults.setUnsupportedTypes(['MedicationStatement']);
    await launchPatient(t.page, t.sandbox, 'clbp-eligible');
    await expect(section().getAttribute('data-status')).resolves.toBe('ready');
    await expect(t.page.textContent('[data-testid="mme-current"]')).resolves.toContain(
      '40 MME/day',
    );
    await expect(t.page.textContent('section#opioids [data-testid="read-sources"]')).resolves.toBe(
      'Read from MedicationRequests. MedicationStatements were not available: the EHR does not ' +
        'offer MedicationStatement (HTTP 404). What this section shows comes from these alone.',
    );
    await expect(t.page.locator('section#opioids [role="alert"]').count()).resolves.toBe(0);
  });

  it('reads MedicationStatements alone when MedicationRequest is the one refused', async () => {
    t.sandbox.auth.setNarrowing(['MedicationRequest']);
    await launchPatient(t.page, t.sandbox, 'opioid-taper');
    await expect(t.page.textContent('[data-testid="mme-current"]')).resolves.toContain(
      '30 MME/day',
    );
    await expect(
      t.page.textContent('section#opioids [data-testid="read-sources"]'),
    ).resolves.toContain('Read from MedicationStatements. MedicationRequests were not available');
  });
});

describe('the PEG section without QuestionnaireResponse', () => {
  it('charts the PEG from the score Observations when the EHR does not offer QuestionnaireResponse', async () => {
    t.sandbox.auth.setNarrowing([]);
    t.sandbox.faults.setUnsupportedTypes(['QuestionnaireResponse']);
    await launchPatient(t.page, t.sandbox, 'opioid-taper');
    await expect(t.page.getAttribute('section#peg', 'data-status')).resolves.toBe('ready');
    await expect(t.page.textContent('section#peg [data-testid="read-sources"]')).resolves.toContain(
      'Read from Observations. QuestionnaireResponses were not available: the EHR does not offer QuestionnaireResponse (HTTP 404).',
    );
    // opioid-taper's PEGs are score-only Observations: 6.33 → 4.67.
    await expect(t.page.textContent('section#peg')).resolves.toContain('4.67');
  });
});
