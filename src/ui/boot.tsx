/**
 * Renders the app once the session and the configuration are in (main.tsx started both before this
 * module, React and the app were even loaded).
 */
import { StrictMode, lazy, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppConfig } from '../fhir/appConfig.ts';
import { normalizeError } from '../fhir/errors.ts';
import type { Launched } from '../fhir/session.ts';
import { App } from './App.tsx';
import { ErrorScreen } from './ErrorScreen.tsx';
import './styles.css';

// The programme workspace (clinic staff, no patient) is its own chunk: the clinician's first
// screen does not carry it.
const ProgrammeApp = lazy(() =>
  import('./programme/ProgrammeApp.tsx').then((m) => ({ default: m.ProgrammeApp })),
);
// The patient's own page (a patient signed in as themselves) is its own chunk too.
const PatientApp = lazy(() =>
  import('./patient/PatientApp.tsx').then((m) => ({ default: m.PatientApp })),
);

export function boot(container: HTMLElement, ready: Promise<[Launched, AppConfig]>): void {
  const root = createRoot(container);
  root.render(
    <main aria-busy="true">
      <p>Connecting to the EHR…</p>
    </main>,
  );
  ready.then(
    ([launched, config]) => {
      root.render(
        <StrictMode>
          {launched.kind === 'programme' ? (
            <Suspense
              fallback={
                <main aria-busy="true">
                  <p>Opening the programme workspace…</p>
                </main>
              }
            >
              <ProgrammeApp session={launched.session} programme={config.programme} />
            </Suspense>
          ) : launched.kind === 'patient-self' ? (
            <Suspense
              fallback={
                <main aria-busy="true">
                  <p>Opening your check-ins…</p>
                </main>
              }
            >
              <PatientApp session={launched.session} asOf={new Date()} />
            </Suspense>
          ) : (
            <App
              session={launched.session}
              asOf={new Date()}
              programme={config.programme}
              eligibility={config.eligibility}
            />
          )}
        </StrictMode>,
      );
    },
    (error: unknown) => {
      root.render(<ErrorScreen error={normalizeError(error)} />);
    },
  );
}
