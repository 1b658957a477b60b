/**
 * The app page's entry: starts the SMART code exchange and reads config.json at once, then hands
 * both to boot.tsx (React and the app), which loads in parallel.
 */
import { loadAppConfig, type AppConfig } from '../fhir/appConfig.ts';
import { FhirError } from '../fhir/errors.ts';
import { startLaunch } from '../fhir/session.ts';

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
  // The code exchange and the configuration start now; React and the app load meanwhile (boot.tsx),
  // so their download and start-up are off the launch's critical path.
  const ready = Promise.all([startLaunch(), loadConfig()]);
  ready.catch(() => undefined); // boot shows the error; this only keeps it from looking unhandled
  void import('./boot.tsx').then(
    ({ boot }) => {
      boot(container, ready);
    },
    () => {
      container.textContent =
        'CLBP Pathway could not load its page scripts. Reload, or relaunch the app from the chart.';
    },
  );
}
