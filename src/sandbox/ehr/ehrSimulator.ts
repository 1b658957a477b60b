/**
 * The EHR simulator: a patient list with Launch actions, an embedded (iframe) view, the SMART EHR
 * launch redirect (`/ehr/launch`) and the SMART style document.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LaunchContext } from '../auth/state.ts';
import { applyCors, escapeHtml, page, redirect, sendHtml, sendJson } from '../auth/http.ts';
import type { Person } from '../auth/pages.ts';
import { ehrFramePage, ehrHomePage } from './ehrPages.ts';
import type { ListedPatient } from './ehrPages.ts';

interface EhrOptions {
  /** The listed patients with their pathway status as of now (read from the FHIR store). */
  readonly patients: () => Promise<readonly ListedPatient[]>;
  readonly practitioners: () => readonly Person[];
  /** Practitioners with a PractitionerRole in the programme Organization (its staff). */
  readonly programmeStaff: () => readonly Person[];
  /** Any Patient in the FHIR store can be launched, not only the listed ones. */
  readonly patientName: (id: string) => Promise<string | undefined>;
  readonly createLaunch: (context: LaunchContext) => string;
  /** The app's registered launch URL. */
  readonly launchUri: () => string;
  readonly fhirBase: () => string;
  readonly appOrigin: () => string;
}

const DEFAULT_PRACTITIONER = 'pcp-1';

/** SMART styling (https://build.fhir.org/ig/HL7/smart-app-launch/scopes-and-launch-context.html#styling). */
const SMART_STYLE = {
  color_background: '#f5f7fa',
  color_error: '#b3261e',
  color_highlight: '#1d3b5c',
  color_modal_backdrop: '',
  color_success: '#1e7b34',
  color_text: '#1b1b1b',
  dim_border_radius: '4px',
  dim_font_size: '16px',
  dim_spacing_size: '16px',
  font_family_body: 'system-ui, sans-serif',
  font_family_heading: 'system-ui, sans-serif',
} as const;

function notFound(res: ServerResponse, title: string, message: string): void {
  sendHtml(
    res,
    404,
    page(
      title,
      `<h1>${escapeHtml(title)}</h1><div class="error" role="alert"><p>${escapeHtml(message)}</p></div><p><a href="/">Back to patient list</a></p>`,
    ),
  );
}

type Resolved =
  | { ok: true; patient: string; name: string; practitioner: string; encounter?: string }
  | { ok: false };

async function resolveLaunchTarget(
  url: URL,
  res: ServerResponse,
  o: EhrOptions,
): Promise<Resolved> {
  const patient = url.searchParams.get('patient') ?? '';
  const practitioner = url.searchParams.get('practitioner') ?? DEFAULT_PRACTITIONER;
  if (patient === '') {
    notFound(res, 'No patient', 'Add ?patient=<id> (see the patient list).');
    return { ok: false };
  }
  const name = await o.patientName(patient);
  if (name === undefined) {
    notFound(res, 'Unknown patient', `There is no Patient "${patient}" in this EHR sandbox.`);
    return { ok: false };
  }
  if (!o.practitioners().some((p) => p.id === practitioner)) {
    notFound(
      res,
      'Unknown clinician',
      `There is no Practitioner "${practitioner}" who can sign in to this EHR sandbox.`,
    );
    return { ok: false };
  }
  // `?encounter=<id>`: a launch within a visit (the app then records its writes on it).
  const encounter = url.searchParams.get('encounter') ?? '';
  return { ok: true, patient, name, practitioner, ...(encounter === '' ? {} : { encounter }) };
}

/**
 * The URL `/ehr/launch` redirects to: the app's launch page with iss and launch. The programme
 * entry adds `workspace=programme`, as an EHR registers one launch URL per activity (Epic's
 * activity-specific launch parameters), so the app asks for staff scopes rather than a patient's.
 */
function appLaunchUrl(
  launchUri: string,
  fhirBase: string,
  launchId: string,
  workspace?: 'programme' | 'patient',
): string {
  const u = new URL(launchUri);
  u.searchParams.set('iss', fhirBase);
  u.searchParams.set('launch', launchId);
  if (workspace !== undefined) {
    u.searchParams.set('workspace', workspace);
  }
  return u.href;
}

/** `/ehr/programme?practitioner=<id>`: the programme workspace, launched with no patient open. */
function programmeLaunch(url: URL, res: ServerResponse, o: EhrOptions): void {
  const practitioner = url.searchParams.get('practitioner') ?? '';
  const staff = o.programmeStaff();
  if (!staff.some((p) => p.id === practitioner)) {
    notFound(
      res,
      'Not programme staff',
      `"${practitioner}" has no role in the group-visit programme; choose one of: ${staff.map((p) => p.id).join(', ')}.`,
    );
    return;
  }
  const id = o.createLaunch({ practitioner, needPatientBanner: false });
  redirect(res, appLaunchUrl(o.launchUri(), o.fhirBase(), id, 'programme'));
}

/**
 * `/ehr/portal?patient=<id>`: the patient portal's launch of the app, the patient signed in as
 * themselves (SMART EHR launch with the patient as the user and the launch patient).
 */
async function portalLaunch(url: URL, res: ServerResponse, o: EhrOptions): Promise<void> {
  const patient = url.searchParams.get('patient') ?? '';
  if (patient === '' || (await o.patientName(patient)) === undefined) {
    notFound(res, 'Unknown patient', `There is no Patient "${patient}" in this EHR sandbox.`);
    return;
  }
  const id = o.createLaunch({ patient, patientUser: patient, needPatientBanner: false });
  redirect(res, appLaunchUrl(o.launchUri(), o.fhirBase(), id, 'patient'));
}

export function createEhrHandler(o: EhrOptions) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') {
      return false;
    }
    switch (url.pathname) {
      case '/':
        sendHtml(
          res,
          200,
          ehrHomePage(await o.patients(), o.practitioners(), o.programmeStaff(), {
            fhirBase: o.fhirBase(),
            appOrigin: o.appOrigin(),
          }),
        );
        return true;
      case '/ehr/smart-style.json':
        if (!applyCors(req, res, [o.appOrigin()], 'GET, OPTIONS')) {
          sendJson(res, 200, SMART_STYLE, { 'Cache-Control': 'max-age=300' });
        }
        return true;
      case '/ehr/launch': {
        const target = await resolveLaunchTarget(url, res, o);
        if (target.ok) {
          const embedded = url.searchParams.get('embedded') === '1';
          const id = o.createLaunch({
            patient: target.patient,
            practitioner: target.practitioner,
            needPatientBanner: !embedded,
            ...(target.encounter === undefined ? {} : { encounter: target.encounter }),
          });
          redirect(res, appLaunchUrl(o.launchUri(), o.fhirBase(), id));
        }
        return true;
      }
      case '/ehr/programme':
        programmeLaunch(url, res, o);
        return true;
      case '/ehr/portal':
        await portalLaunch(url, res, o);
        return true;
      case '/ehr/frame': {
        const target = await resolveLaunchTarget(url, res, o);
        if (target.ok) {
          const q = new URLSearchParams({
            patient: target.patient,
            practitioner: target.practitioner,
            embedded: '1',
          });
          sendHtml(
            res,
            200,
            ehrFramePage({ id: target.patient, name: target.name }, `/ehr/launch?${q.toString()}`),
          );
        }
        return true;
      }
      default:
        return false;
    }
  };
}
