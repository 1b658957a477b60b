// @vitest-environment happy-dom
/**
 * The chart view's sections in each of their states, rendered from the app's own searches against
 * an in-memory FHIR server (msw): data, a refused scope, a failed search and its retry, an empty
 * chart. The sandbox's seed gives the charts; what each section should say is written here.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { Resource, ServiceRequest } from 'fhir/r4';
import { getResponse, http, HttpResponse, type RequestHandler } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../../src/domain/screening/eligibilityConfig.ts';
import { requestedScope } from '../../src/fhir/scopes.ts';
import { createTransport } from '../../src/fhir/transport.ts';
import { generateSeed } from '../../src/sandbox/seed/seed.ts';
import { App } from '../../src/ui/App.tsx';
import { BASE, fakeFhirHandlers } from './support/fakeFhir.ts';

const AS_OF = new Date('2026-03-16T21:00:00Z');
const SEED = generateSeed({ asOf: AS_OF }).resources;

/** One seed patient's chart and the shared resources (Medications, Questionnaires, staff). */
function chartOf(patientId: string): Resource[] {
  return SEED.filter((r) => {
    const text = JSON.stringify(r);
    return (
      (r.resourceType === 'Patient' && r.id === patientId) ||
      text.includes(`"Patient/${patientId}"`) ||
      !text.includes('"Patient/')
    );
  });
}

/**
 * The fake server's handlers, newest first (as msw's `use`). happy-dom's own fetch does not pass
 * through msw's Node interceptors, so the app's transport is handed a fetch that asks them directly.
 */
let handlers: RequestHandler[] = [];
const use = (...more: RequestHandler[]) => {
  handlers = [...more, ...handlers];
};
const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
  (await getResponse(handlers, new Request(input, init))) ??
  HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 404 });

afterEach(() => {
  cleanup();
  handlers = [];
  sessionStorage.clear();
});

const FULL_SCOPE = requestedScope('v2', 'ehr');

function renderApp(patientId: string, grantedScope = FULL_SCOPE) {
  // The chart's server answers what the test's own handlers (failures) leave.
  handlers = [...handlers, ...fakeFhirHandlers(chartOf(patientId))];
  render(
    <App
      session={{
        transport: createTransport({
          baseUrl: BASE,
          fetch: fakeFetch,
          retry: { retries: 0, backoffMs: 0, maxWaitMs: 0, network: false, serverErrors: false },
        }),
        patientId,
        fhirUser: 'Practitioner/pcp-1',
        encounter: undefined,
        grantedScope,
        needPatientBanner: false,
        smartStyleUrl: undefined,
      }}
      asOf={AS_OF}
      programme="Organization/mindfulness-programme"
      eligibility={DEFAULT_ELIGIBILITY_CONFIG}
    />,
  );
}

const section = (name: string) => screen.getByRole('region', { name });
const loaded = () =>
  waitFor(
    () => {
      expect(document.querySelector('main')?.getAttribute('aria-busy')).toBe('false');
    },
    { timeout: 10_000 },
  );

describe('the chart view, section by section', () => {
  it('shows the dose, the prompts and the PEG of a patient on oxycodone and alprazolam', async () => {
    renderApp('opioid-benzo');
    await loaded();
    const opioids = within(section('Opioids (MME)'));
    expect(opioids.getByTestId('mme-current').textContent).toContain('60 MME/day');
    expect(opioids.getByText(/Read from MedicationStatements and MedicationRequests/)).toBeTruthy();
    // CDC 2022 Recommendation 8 and 11: naloxone (≥ 50 MME/day with a benzodiazepine, none on
    // record) and the benzodiazepine caution, each naming the records it rests on.
    expect(opioids.getByTestId('risk-offer-naloxone').textContent).toContain('alprazolam');
    expect(opioids.getByTestId('risk-concurrent-benzodiazepine').textContent).toContain(
      'oxycodone',
    );
    expect(screen.getByTestId('at-a-glance').textContent).toContain('60 MME/day');
  });

  it('says which records it could not read when the EHR refused MedicationRequests', async () => {
    const narrowed = FULL_SCOPE.split(' ')
      .filter((s) => !s.startsWith('patient/MedicationRequest.'))
      .join(' ');
    renderApp('opioid-benzo', narrowed);
    await loaded();
    const sources = within(section('Opioids (MME)')).getByTestId('read-sources');
    expect(sources.textContent).toContain(
      'MedicationRequests were not available: the EHR did not grant patient/MedicationRequest.rs',
    );
    // The oxycodone statements alone: 60 MME/day still, the alprazolam order unseen.
    expect(within(section('Opioids (MME)')).getByTestId('mme-current').textContent).toContain(
      '60 MME/day',
    );
    expect(screen.getByTestId('narrowed-grant').textContent).toContain('Not read:');
  });

  it('blanks only the section whose search failed, and its retry reads it again', async () => {
    let failing = true;
    use(
      http.get(`${BASE}/MedicationStatement`, () =>
        failing
          ? HttpResponse.json(
              {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'exception', diagnostics: 'database down' }],
              },
              { status: 500 },
            )
          : undefined,
      ),
    );
    renderApp('opioid-benzo');
    await loaded();
    const opioids = within(section('Opioids (MME)'));
    const alert = opioids.getByRole('alert');
    expect(alert.textContent).toContain('MedicationStatement');
    // The other sections are whole.
    expect(within(section('PEG')).queryByRole('alert')).toBeNull();
    failing = false;
    fireEvent.click(within(alert).getByRole('button', { name: /^Retry/ }));
    await waitFor(() => {
      expect(opioids.getByTestId('mme-current').textContent).toContain('60 MME/day');
    });
  });

  it('says "none" only when the searches answered with nothing', async () => {
    renderApp('no-back-pain');
    await loaded();
    expect(within(section('Opioids (MME)')).getByText(/No opioid on record/)).toBeTruthy();
    expect(within(section('PEG')).getByText('No PEG on record.')).toBeTruthy();
  });
});

describe('the referral and PEG sections say what each date and count is', () => {
  it("names the clinician's preferred start apart from the programme start follow-ups count from", async () => {
    const request = SEED.filter(
      (r): r is ServiceRequest => r.resourceType === 'ServiceRequest',
    ).find((r) => r.subject.reference === 'Patient/in-programme');
    const preferred = request?.occurrencePeriod?.start?.slice(0, 10);
    expect(preferred).toBeDefined();
    renderApp('in-programme');
    await loaded();
    const referral = within(section('Referral'));
    const line = referral.getByRole('listitem').textContent;
    expect(line).toContain(`preferred start ${preferred ?? ''}`);
    // The programme start the follow-ups count from is the first attended session, not this.
    expect(line).not.toContain('programme start');
  });

  it('calls a single PEG the most recent PEG, and counts several', async () => {
    renderApp('opioid-benzo');
    await loaded();
    const caption = () =>
      within(section('PEG')).getByTestId('peg-history').querySelector('caption')?.textContent;
    expect(caption()).toBe(
      'The most recent PEG (P = pain, E = enjoyment of life, G = general activity)',
    );
    cleanup();
    handlers = [];
    renderApp('clbp-eligible');
    await loaded();
    expect(caption()).toBe(
      'The 2 most recent PEGs (P = pain, E = enjoyment of life, G = general activity)',
    );
  });
});

describe('closing a form gives keyboard focus back to the button that opens it', () => {
  it.each([
    ['PEG', /Record a PEG$/, 'form[aria-label="Record a PEG"]'],
    [
      'Screening and eligibility',
      /^(Screen for chronic low back pain|Resume the screening draft)$/,
      'form[aria-label="CLBP screening"]',
    ],
  ])('%s: Escape, then Close', async (name, opener, formSelector) => {
    renderApp('clbp-eligible');
    await loaded();
    const button = () => within(section(name)).getByRole('button', { name: opener });
    for (const close of ['Escape', 'Close'] as const) {
      fireEvent.click(button());
      const form = await waitFor(() => {
        // Open: its heading has taken focus (and its Escape handler is on).
        const found = document.querySelector(formSelector);
        expect(found?.contains(document.activeElement)).toBe(true);
        return found as HTMLFormElement;
      });
      if (close === 'Escape') {
        fireEvent.keyDown(form, { key: 'Escape' });
      } else {
        fireEvent.click(within(form).getByRole('button', { name: 'Close (keep the draft)' }));
      }
      await waitFor(() => {
        expect(document.activeElement).toBe(button());
      });
    }
  });
});

describe('the red-flag evaluation form takes focus, and gives it back when closed', () => {
  it('moves focus into the form as it opens and back to its button on Escape, then on Close, keeping the draft', async () => {
    renderApp('clbp-red-flag');
    await loaded();
    const button = () =>
      within(section('Screening and eligibility')).getByRole('button', {
        name: /Record a clinician's evaluation of the red flag/,
      });
    const openForm = async () => {
      fireEvent.click(button());
      return await waitFor(() => {
        const found = screen.getByRole('form', {
          name: "Record a clinician's evaluation of red flags",
        });
        expect(found.contains(document.activeElement)).toBe(true);
        return found;
      });
    };
    let form = await openForm();
    fireEvent.click(within(form).getByRole('checkbox'));
    fireEvent.keyDown(form, { key: 'Escape' });
    await waitFor(() => {
      expect(document.activeElement).toBe(button());
    });
    expect(button().textContent).toBe(
      "Resume the draft: Record a clinician's evaluation of the red flag",
    );
    form = await openForm();
    expect(within(form).getByRole('checkbox')).toHaveProperty('checked', true);
    fireEvent.click(within(form).getByRole('button', { name: 'Close (keep the draft)' }));
    await waitFor(() => {
      expect(document.activeElement).toBe(button());
    });
    form = await openForm();
    expect(within(form).getByRole('checkbox')).toHaveProperty('checked', true);
  });
});
