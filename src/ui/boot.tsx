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
