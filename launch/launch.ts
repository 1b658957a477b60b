/**
 * SMART launch entry. EHR launch: the EHR opens this page with `iss` and `launch`. Standalone launch:
 * opened without them, it uses the configured FHIR base and asks the EHR for a patient
 * (`launch/patient`). With `workspace=programme` (the EHR's programme entry, or a bookmark for
 * staff) it asks for the programme workspace's `user/` scopes and no patient; with
 * `workspace=patient` (a patient portal's entry, or a patient's bookmark) the patient mode's
 * `patient/` scopes only. PKCE S256 is
 * required; the state key is a fresh random UUID.
 */
import FHIR from 'fhirclient';
import { ConfigError, ehrConfigFor, loadAppConfig } from '../src/fhir/appConfig.ts';
import { patientSelfScope, programmeScope, requestedScope } from '../src/fhir/scopes.ts';

const status = document.getElementById('launch-status');

function showError(title: string, detail: string): void {
  if (!status) {
    return;
  }
  status.setAttribute('data-state', 'error');
  status.replaceChildren();
  const heading = document.createElement('h1');
  heading.textContent = title;
  const text = document.createElement('p');
  text.textContent = detail;
  status.append(heading, text);
}

/** The EHR being launched from, once known: failures name it and probe its discovery document. */
let launchingIss: string | undefined;

/** Whether the EHR's SMART discovery document can be read at all (fhirclient does not say). */
async function discoveryReachable(iss: string): Promise<boolean> {
  try {
    const url = new URL('.well-known/smart-configuration', `${iss.replace(/\/+$/, '')}/`);
    return (await fetch(url, { headers: { Accept: 'application/json' } })).ok;
  } catch {
    return false;
  }
}

async function launch(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const config = await loadAppConfig(new URL('../config.json', window.location.href));
  const launchId = params.get('launch');
  const iss = params.get('iss') ?? config.standaloneIss;
  if (iss === undefined || iss === '') {
    showError(
      'No EHR to connect to',
      'Open CLBP Pathway from the patient chart in your EHR (the launch gives the app "iss" and "launch").',
    );
    return;
  }
  const ehr = ehrConfigFor(config, iss);
  launchingIss = iss;
  const kind = launchId === null ? 'standalone' : 'ehr';
  const workspace = params.get('workspace');
  const scope =
    workspace === 'programme'
      ? (ehr.programmeScope ?? programmeScope(ehr.scopeVersion, kind))
      : workspace === 'patient'
        ? (ehr.patientScope ?? patientSelfScope(ehr.scopeVersion, kind))
        : (ehr.scope ??
          requestedScope(ehr.scopeVersion, kind, {
            publishQuestionnaires: ehr.publishQuestionnaires === true,
          }));
  await FHIR.oauth2.authorize({
    iss,
    ...(launchId === null ? {} : { launch: launchId }),
    clientId: ehr.clientId,
    scope,
    redirectUri: ehr.redirectUri ?? new URL('../', window.location.href).href,
    pkceMode: 'required',
    stateKey: crypto.randomUUID(),
    // Finish in the window that launched, whether a tab or the EHR's iframe (framed launches stall otherwise).
    completeInTarget: true,
  });
}

async function explain(error: unknown): Promise<void> {
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof ConfigError) {
    showError('CLBP Pathway is not configured for this EHR', detail);
  } else if (launchingIss !== undefined && !(await discoveryReachable(launchingIss))) {
    // fhirclient reports a missing S256 also when discovery failed: say what really happened.
    showError(
      'The EHR could not be reached',
      `Its SMART configuration (${launchingIss}/.well-known/smart-configuration) could not be loaded. Check the connection, then launch again. (${detail})`,
    );
  } else if (/PKCE|S256|code challenge/i.test(detail)) {
    showError(
      'This EHR does not offer secure sign-in (PKCE S256)',
      `CLBP Pathway only launches with PKCE S256. Ask your EHR administrator to enable it. (${detail})`,
    );
  } else if (error instanceof TypeError) {
    showError(
      'The EHR could not be reached',
      `Check the connection, then launch again. (${detail})`,
    );
  } else {
    showError('The launch failed', detail);
  }
}

launch().catch(explain);
