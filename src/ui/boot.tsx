/**
 * Renders the app once the session and the configuration are in (main.tsx started both before this
 * module, React and the app were even loaded).
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppConfig } from '../fhir/appConfig.ts';
import { normalizeError } from '../fhir/errors.ts';
import type { Session } from '../fhir/session.ts';
import { App } from './App.tsx';
import { ErrorScreen } from './ErrorScreen.tsx';
import './styles.css';

export function boot(container: HTMLElement, ready: Promise<[Session, AppConfig]>): void {
  const root = createRoot(container);
  root.render(
    <main aria-busy="true">
      <p>Connecting to the EHR…</p>
    </main>,
  );
  ready.then(
    ([session, config]) => {
      root.render(
        <StrictMode>
          <App
            session={session}
            asOf={new Date()}
            programme={config.programme}
            eligibility={config.eligibility}
          />
        </StrictMode>,
      );
    },
    (error: unknown) => {
      root.render(<ErrorScreen error={normalizeError(error)} />);
    },
  );
}
