import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadAppConfig, type AppConfig } from '../fhir/appConfig.ts';
import { FhirError, normalizeError } from '../fhir/errors.ts';
import { startSession } from '../fhir/session.ts';
import { App } from './App.tsx';
import { ErrorScreen } from './ErrorScreen.tsx';
import './styles.css';

/** config.json beside the app; a problem with it is shown like any other (FhirError kind 'config'). */
async function loadConfig(): Promise<AppConfig> {
  try {
    return await loadAppConfig(new URL('config.json', window.location.href));
  } catch (error) {
    throw new FhirError({
      kind: 'config',
      message: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

const container = document.getElementById('root');
if (container) {
  const root = createRoot(container);
  root.render(
    <main aria-busy="true">
      <p>Connecting to the EHR…</p>
    </main>,
  );
  Promise.all([startSession(), loadConfig()]).then(
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
