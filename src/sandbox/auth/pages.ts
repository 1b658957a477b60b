/**
 * The authorization server's HTML pages: plain forms with labels and stable names/ids so that people,
 * screen readers and Playwright can all drive them. Every form posts to /auth/interact.
 */
import { escapeHtml as e, page } from './http.ts';
import { describeScope } from './scopes.ts';

export interface Person {
  readonly id: string;
  readonly name: string;
  /** A short description (e.g. the test scenario). */
  readonly detail?: string;
}

/** Where the pages look up who can sign in and which patients exist. */
export interface Directory {
  patients(): Promise<readonly Person[]>;
  practitioners(): Promise<readonly Person[]>;
  patientExists(id: string): Promise<boolean>;
}

export function errorPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${e(title)}</h1>
<div class="error" role="alert" id="auth-error"><p>${e(message)}</p></div>
<p>The app was not redirected because the request could not be trusted. Check the app's registration in
<code>src/sandbox/clients.json</code>.</p>`,
  );
}

function hidden(requestId: string): string {
  return `<input type="hidden" name="request" value="${e(requestId)}">`;
}

function radioList(
  name: string,
  legend: string,
  people: readonly Person[],
  checked?: string,
): string {
  const items = people
    .map((p, i) => {
      const id = `${name}-${p.id}`;
      const isChecked = checked === undefined ? i === 0 : checked === p.id;
      const detail = p.detail === undefined ? '' : ` <span class="detail">(${e(p.detail)})</span>`;
      return `<label for="${e(id)}"><input type="radio" id="${e(id)}" name="${name}" value="${e(p.id)}"${isChecked ? ' checked' : ''} required> ${e(p.name)}${detail}</label>`;
    })
    .join('\n');
  return `<fieldset><legend>${e(legend)}</legend>\n${items}\n</fieldset>`;
}

export function signInPage(
  requestId: string,
  clientName: string,
  practitioners: readonly Person[],
  patients: readonly Person[],
): string {
  const patientUsers = patients.map(({ id, name }) => ({ id, name }));
  return page(
    'Sign in',
    `<h1>Sign in to the EHR sandbox</h1>
<p>${e(clientName)} asks you to sign in. Choose who you are (no password in the sandbox).</p>
<form method="post" action="/auth/interact" id="sign-in-form">
${hidden(requestId)}
${radioList('practitioner', 'Clinician', practitioners)}
<button type="submit" id="sign-in" name="action" value="sign-in">Sign in</button>
</form>
<h2>Patients</h2>
<p>A patient signs in to their own record (as in a patient portal).</p>
<form method="post" action="/auth/interact" id="patient-sign-in-form">
${hidden(requestId)}
${radioList('patient-user', 'Patient', patientUsers)}
<button type="submit" id="sign-in-patient" name="action" value="sign-in-patient">I am this patient</button>
</form>`,
  );
}

export function patientPickerPage(
  requestId: string,
  clientName: string,
  patients: readonly Person[],
): string {
  return page(
    'Choose a patient',
    `<h1>Choose a patient</h1>
<p>${e(clientName)} was opened without a patient. Choose the patient to work with.</p>
<form method="post" action="/auth/interact" id="patient-form">
${hidden(requestId)}
${radioList('patient', 'Patient', patients)}
<button type="submit" id="choose-patient" name="action" value="choose-patient">Continue</button>
</form>`,
  );
}

export function consentPage(
  requestId: string,
  clientName: string,
  offered: readonly string[],
  refused: readonly string[],
): string {
  const boxes = offered
    .map((s, i) => {
      const id = `scope-${i}`;
      return `<label for="${id}"><input type="checkbox" id="${id}" name="scope" value="${e(s)}" checked> ${e(describeScope(s))} <code>${e(s)}</code></label>`;
    })
    .join('\n');
  const refusedNote =
    refused.length === 0
      ? ''
      : `<p id="refused-scopes">The EHR will not grant: ${refused.map((s) => `<code>${e(s)}</code>`).join(', ')}.</p>`;
  return page(
    'Allow access',
    `<h1>Allow ${e(clientName)} access?</h1>
<form method="post" action="/auth/interact" id="consent-form">
${hidden(requestId)}
<fieldset><legend>${e(clientName)} asks to</legend>
${boxes}
</fieldset>
${refusedNote}
<button type="submit" id="approve" name="action" value="approve">Allow</button>
<button type="submit" id="deny" name="action" value="deny" formnovalidate>Deny</button>
</form>`,
  );
}
