/**
 * The interaction steps of an authorization in progress (POST /auth/interact): sign-in, patient
 * choice, consent or denial. Each form carries the opaque id of the pending authorization.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RedirectError, advance, errorRedirect, offeredTo, signedIn } from './authorize.ts';
import type { AuthDeps } from './deps.ts';
import { readParams, sendHtml } from './http.ts';
import { errorPage } from './pages.ts';
import type { PendingAuthorization } from './state.ts';

/** POST /auth/interact: one step of sign-in, patient choice or consent. */
export async function handleInteract(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AuthDeps,
): Promise<void> {
  if (req.method !== 'POST') {
    sendHtml(
      res,
      405,
      errorPage('Method not allowed', 'This page only accepts the forms of the sign-in pages.'),
    );
    return;
  }
  let params: URLSearchParams;
  try {
    params = await readParams(req, url);
  } catch (err) {
    sendHtml(res, 400, errorPage('Bad form', err instanceof Error ? err.message : String(err)));
    return;
  }
  const id = params.get('request') ?? '';
  const p = deps.state.pending.get(id);
  if (p === undefined) {
    sendHtml(
      res,
      400,
      errorPage('Sign-in expired', 'This sign-in is unknown or has expired: open the app again.'),
    );
    return;
  }
  const problem = await applyAction(params, p, deps);
  if (problem === 'deny') {
    deps.state.pending.delete(id);
    errorRedirect(
      res,
      p.redirectUri,
      p.state,
      new RedirectError('access_denied', 'the user denied access'),
    );
    return;
  }
  if (problem !== undefined) {
    sendHtml(res, 400, errorPage('Cannot continue', problem));
    return;
  }
  await advance(res, id, p, deps);
}

/** Applies one form submission to the pending authorization; returns a problem, 'deny', or undefined. */
async function applyAction(
  params: URLSearchParams,
  p: PendingAuthorization,
  deps: AuthDeps,
): Promise<string | undefined> {
  const action = params.get('action') ?? '';
  switch (action) {
    case 'sign-in': {
      const who = params.get('practitioner') ?? '';
      const known = (await deps.directory.practitioners()).some((x) => x.id === who);
      if (!known) {
        return `"${who}" is not a clinician of this EHR sandbox.`;
      }
      p.practitioner = who;
      return undefined;
    }
    case 'sign-in-patient': {
      // A patient signs in as themselves (a patient portal's account): their chart is the
      // patient context, so no patient is chosen afterwards.
      const who = params.get('patient-user') ?? '';
      if (signedIn(p)) {
        return 'Someone has already signed in to this authorization.';
      }
      if (!(await deps.directory.patientExists(who))) {
        return `"${who}" is not a patient of this EHR sandbox.`;
      }
      p.patientUser = who;
      p.patient = who;
      return undefined;
    }
    case 'choose-patient': {
      if (!signedIn(p)) {
        return 'Sign in before choosing a patient.';
      }
      if (p.patientUser !== undefined) {
        return 'A patient signed in as themselves opens only their own record.';
      }
      const patient = params.get('patient') ?? '';
      if (!p.needsPatient || !(await deps.directory.patientExists(patient))) {
        return `Patient "${patient}" cannot be chosen here.`;
      }
      p.patient = patient;
      return undefined;
    }
    case 'approve': {
      // Consent is the last step: only a signed-in user who has the patient in front of them gives it.
      if (!signedIn(p) || (p.needsPatient && p.patient === undefined)) {
        return 'Sign in and choose the patient before allowing access.';
      }
      const ticked = params.getAll('scope');
      const { offered } = offeredTo(p);
      const extra = ticked.filter((s) => !offered.includes(s));
      if (extra.length > 0) {
        return `These scopes were not offered: ${extra.join(' ')}`;
      }
      if (ticked.length === 0) {
        return 'Tick at least one permission, or choose Deny.';
      }
      p.consentedScopes = offered.filter((s) => ticked.includes(s));
      return undefined;
    }
    case 'deny':
      return 'deny';
    default:
      return `Unknown action "${action}".`;
  }
}
