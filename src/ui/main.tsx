import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseAppConfig, type AppConfig } from '../fhir/appConfig.ts';
import { FhirError, normalizeError } from '../fhir/errors.ts';
import { startSession } from '../fhir/session.ts';
import { App } from './App.tsx';
import { ErrorScreen } from './ErrorScreen.tsx';
import './styles.css';

async function loadConfig(): Promise<AppConfig> {
  const response = await fetch(new URL('config.json', window.location.href));
  if (!response.ok) {
    throw new FhirError({
      kind: 'config',
      message: `config.json could not be loaded (HTTP ${response.status}).`,
    });
  }
  try {
    return parseAppConfig(await response.json());
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
