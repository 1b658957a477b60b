/** HTML of the EHR simulator: the patient list and the embedded (iframe) launch view. */
import { escapeHtml as e, page } from '../auth/http.ts';
import type { Person } from '../auth/pages.ts';

export interface ListedPatient {
  readonly id: string;
  readonly name: string;
  readonly scenario: string;
  /** The pathway's status line and next action, as the app shows them (computed, not written). */
  readonly status: string;
  readonly nextAction: string;
}

export interface EhrLinks {
  readonly fhirBase: string;
  readonly appOrigin: string;
}

function patientRow(p: ListedPatient): string {
  const id = e(p.id);
  const name = e(p.name);
  return `<tr>
<th scope="row">${name}</th>
<td><code>${id}</code></td>
<td>${e(p.scenario)}</td>
<td data-testid="pathway-status"><strong>${e(p.status)}</strong><br>Next: ${e(p.nextAction)}</td>
<td>
<button type="submit" name="patient" value="${id}" id="launch-${id}" formtarget="_blank" aria-label="Launch CLBP Pathway for ${name} in a new tab">Launch</button>
<button type="submit" name="patient" value="${id}" id="frame-${id}" formaction="/ehr/frame" formtarget="_self" aria-label="Open CLBP Pathway for ${name} inside the EHR">Open in EHR</button>
</td>
</tr>`;
}

function personOptions(people: readonly Person[]): string {
  return people
    .map((p) => `<option value="${e(p.id)}">${e(p.name)} (${e(p.id)})</option>`)
    .join('\n');
}

export function ehrHomePage(
  patients: readonly ListedPatient[],
  practitioners: readonly Person[],
  programmeStaff: readonly Person[],
  links: EhrLinks,
): string {
  const options = personOptions(practitioners);
  return page(
    'EHR sandbox: patients',
    `<h1>Patients</h1>
<p>Launch CLBP Pathway from a patient's chart, as an EHR would (SMART EHR launch). "Open in EHR" shows the
app inside the EHR's own frame with the EHR's patient banner, as Epic embeds apps.</p>
<form id="launch-form" action="/ehr/launch" method="get">
<p><label for="practitioner">Signed-in clinician</label>
<select id="practitioner" name="practitioner">
${options}
</select></p>
<table id="patients">
<caption>Seeded test patients (${patients.length})</caption>
<thead><tr><th scope="col">Patient</th><th scope="col">Id</th><th scope="col">Scenario</th><th scope="col">Where the patient is (CLBP Pathway)</th><th scope="col">Launch</th></tr></thead>
<tbody>
${patients.map(patientRow).join('\n')}
</tbody>
</table>
</form>
<h2>Programme workspace</h2>
<p>The group-visit programme's staff open CLBP Pathway with no patient in context (SMART EHR launch
with <code>user/</code> scopes): the referral queue of the programme.</p>
<form id="programme-form" action="/ehr/programme" method="get">
<p><label for="programme-staff">Signed-in programme staff</label>
<select id="programme-staff" name="practitioner">
${personOptions(programmeStaff)}
</select>
<button type="submit" id="launch-programme" formtarget="_blank">Open the programme workspace</button></p>
</form>
<h2>Patient portal</h2>
<p>A patient opens CLBP Pathway from their portal, signed in as themselves (SMART EHR launch,
<code>patient/</code> scopes only): their follow-up PEG check-ins and their own PEG history.</p>
<form id="portal-form" action="/ehr/portal" method="get">
<p><label for="portal-patient">Signed-in patient</label>
<select id="portal-patient" name="patient">
${personOptions(patients)}
</select>
<button type="submit" id="launch-portal" formtarget="_blank">Open CLBP Pathway from the portal</button></p>
</form>
<h2>Endpoints</h2>
<ul>
<li>FHIR base: <code id="fhir-base">${e(links.fhirBase)}</code></li>
<li>SMART discovery: <a href="${e(links.fhirBase)}/.well-known/smart-configuration">${e(links.fhirBase)}/.well-known/smart-configuration</a></li>
<li>App (standalone launch): <a href="${e(links.appOrigin)}/">${e(links.appOrigin)}/</a></li>
</ul>`,
  );
}

export function ehrFramePage(
  patient: ListedPatient | { id: string; name: string },
  launchPath: string,
): string {
  return page(
    `EHR: ${patient.name}`,
    `<nav aria-label="EHR"><a href="/">Back to patient list</a></nav>
<section aria-label="Patient banner" id="ehr-banner" style="background:#fff;border:1px solid #c5ccd3;padding:.5rem 1rem;margin:.5rem 0">
<strong>${e(patient.name)}</strong> &middot; MRN <code>${e(patient.id)}</code>
</section>
<iframe id="app-frame" title="CLBP Pathway" src="${e(launchPath)}" style="width:100%;height:80vh;border:1px solid #9aa5b1;background:#fff"></iframe>`,
  );
}
