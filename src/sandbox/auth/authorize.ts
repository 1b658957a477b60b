/**
 * The authorization endpoint (GET and POST, `authorize-post`) and the interaction steps behind it:
 * sign-in, patient picker, consent. Until client_id and redirect_uri are proven, errors are shown
 * as a page; after that they go back to the app as OAuth error redirects (RFC 6749 §4.1.2.1).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCompartmentType } from '../fhir/compartment.ts';
import type { PublicClient } from './clients.ts';
import type { AuthDeps } from './deps.ts';
import { BodyError, readParams, redirect, sendHtml, single } from './http.ts';
import { consentPage, errorPage, patientPickerPage, signInPage } from './pages.ts';
import { parseResourceScope, splitScope } from '../../fhir/smartScope.ts';
import { decideScopes } from './scopes.ts';
import { LIFETIMES_MS, randomId } from './state.ts';
import type { GrantContext, LaunchContext, PendingAuthorization } from './state.ts';

/** A PKCE S256 challenge is the base64url SHA-256 of the verifier: 43 characters (RFC 7636 §4.2). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export class RedirectError extends Error {
  override readonly name = 'RedirectError';
  readonly error: string;
  constructor(error: string, description: string) {
    super(description);
    this.error = error;
  }
}

export function errorRedirect(
  res: ServerResponse,
  redirectUri: string,
  state: string | undefined,
  err: RedirectError,
): void {
  const target = new URL(redirectUri);
  target.searchParams.set('error', err.error);
  target.searchParams.set('error_description', err.message);
  if (state !== undefined) {
    target.searchParams.set('state', state);
  }
  redirect(res, target.href);
}

/**
 * A `user/` (or `system/`) scope that can change records the user did not open: any update or
 * delete, or a create in patients' charts. Creating a shared definition (the app's own
 * Questionnaire, `user/Questionnaire.c`) changes no existing record and no chart.
 */
function writesAnyChart(scope: string): boolean {
  const parsed = parseResourceScope(scope);
  if (parsed === undefined || parsed.context === 'patient') {
    return false;
  }
  const { resourceType, letters } = parsed;
  return (
    /[ud]/.test(letters) ||
    (letters.includes('c') && (resourceType === '*' || isCompartmentType(resourceType)))
  );
}

/** Whether someone (a clinician, or a patient as themselves) has signed in. */
export function signedIn(p: Pick<PendingAuthorization, 'practitioner' | 'patientUser'>): boolean {
  return p.practitioner !== undefined || p.patientUser !== undefined;
}

/** The scopes a patient signed in as themselves may hold: no user/ or system/ resource scope. */
function isPatientUserScope(scope: string): boolean {
  const parsed = parseResourceScope(scope);
  return parsed === undefined || parsed.context === 'patient';
}

/**
 * The scopes offered to whoever signed in: a patient signed in as themselves gets only their own
 * chart, so user/ and system/ scopes move to the refused ones.
 */
export function offeredTo(p: PendingAuthorization): {
  offered: readonly string[];
  refused: readonly string[];
} {
  if (p.patientUser === undefined) {
    return { offered: p.offeredScopes, refused: p.refusedScopes };
  }
  return {
    offered: p.offeredScopes.filter(isPatientUserScope),
    refused: [...p.refusedScopes, ...p.offeredScopes.filter((s) => !isPatientUserScope(s))],
  };
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** The PKCE code challenge: S256 is required (SMART App Launch 2). */
function pkceChallenge(params: URLSearchParams): string {
  const method = single(params, 'code_challenge_method');
  const challenge = single(params, 'code_challenge');
  if (method !== 'S256' || challenge === undefined) {
    throw new RedirectError(
      'invalid_request',
      'PKCE is required: send code_challenge with code_challenge_method=S256',
    );
  }
  if (!S256_CHALLENGE.test(challenge)) {
    throw new RedirectError(
      'invalid_request',
      'code_challenge must be a base64url SHA-256 (43 characters)',
    );
  }
  return challenge;
}

/** The EHR launch the request names (with the "launch" scope), or none for a standalone launch. */
function ehrLaunch(
  launchId: string | undefined,
  requested: readonly string[],
  deps: AuthDeps,
): LaunchContext | undefined {
  if (launchId === undefined) {
    if (requested.includes('launch')) {
      throw new RedirectError(
        'invalid_request',
        'the "launch" scope needs the launch parameter from an EHR launch',
      );
    }
    return undefined;
  }
  if (!requested.includes('launch')) {
    throw new RedirectError('invalid_scope', 'an EHR launch must ask for the "launch" scope');
  }
  const launch = deps.state.launches.get(launchId);
  if (launch === undefined) {
    throw new RedirectError(
      'invalid_request',
      'unknown or expired launch: launch the app from the EHR again',
    );
  }
  return launch;
}

/** Validates everything after the client and redirect URI are known; throws RedirectError. */
function validateRequest(
  params: URLSearchParams,
  client: PublicClient,
  redirectUri: string,
  deps: AuthDeps,
): PendingAuthorization {
  if (single(params, 'response_type') !== 'code') {
    throw new RedirectError('unsupported_response_type', 'response_type must be "code"');
  }
  const state = single(params, 'state');
  if (state === undefined) {
    throw new RedirectError('invalid_request', 'state is required');
  }
  const challenge = pkceChallenge(params);
  const aud = single(params, 'aud');
  if (aud === undefined || !sameUrl(aud, deps.fhirBase())) {
    throw new RedirectError('invalid_request', `aud must be the FHIR base URL ${deps.fhirBase()}`);
  }
  const requested = splitScope(single(params, 'scope'));
  const launchId = single(params, 'launch');
  const launch = ehrLaunch(launchId, requested, deps);
  const { granted, refused } = decideScopes(requested, client, deps.settings.narrowing);
  if (granted.length === 0) {
    throw new RedirectError('invalid_scope', 'none of the requested scopes can be granted');
  }
  const nonce = single(params, 'nonce');
  const pending: PendingAuthorization = {
    clientId: client.clientId,
    redirectUri,
    state,
    codeChallenge: challenge,
    offeredScopes: granted,
    refusedScopes: refused,
    needsPatient: launch === undefined && granted.includes('launch/patient'),
    // An EHR launch skips the consent screen, as EHRs do for apps they trust with the patient's
    // chart, but never for user/ write scopes: changing any patient's record needs the user's yes.
    needsConsent: launch === undefined || deps.settings.ehrConsent || granted.some(writesAnyChart),
    ...(nonce === undefined ? {} : { nonce }),
  };
  if (launch !== undefined && launchId !== undefined) {
    return {
      ...pending,
      launch,
      launchId,
      ...(launch.practitioner === undefined ? {} : { practitioner: launch.practitioner }),
      ...(launch.patientUser === undefined ? {} : { patientUser: launch.patientUser }),
      ...(launch.patient === undefined ? {} : { patient: launch.patient }),
    };
  }
  return pending;
}

/** GET/POST /auth/authorize */
export async function handleAuthorize(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AuthDeps,
): Promise<void> {
  let params: URLSearchParams;
  let clientId: string | undefined;
  let redirectUri: string | undefined;
  try {
    params = await readParams(req, url);
    clientId = single(params, 'client_id');
    redirectUri = single(params, 'redirect_uri');
  } catch (err) {
    sendHtml(
      res,
      400,
      errorPage('Bad authorization request', err instanceof Error ? err.message : String(err)),
    );
    return;
  }
  const client = clientId === undefined ? undefined : deps.clients().get(clientId);
  if (client?.type !== 'public') {
    sendHtml(
      res,
      400,
      errorPage(
        'Unknown client',
        `client_id "${clientId ?? ''}" is not a registered SMART app (invalid_client)`,
      ),
    );
    return;
  }
  if (redirectUri === undefined || !client.redirectUris.includes(redirectUri)) {
    sendHtml(
      res,
      400,
      errorPage(
        'Unregistered redirect URI',
        `redirect_uri "${redirectUri ?? ''}" is not registered for ${client.clientId} (invalid_request)`,
      ),
    );
    return;
  }
  let state: string | undefined;
  try {
    state = single(params, 'state');
    const pending = validateRequest(params, client, redirectUri, deps);
    const id = randomId();
    deps.state.pending.set(id, pending, LIFETIMES_MS.pending);
    await advance(res, id, pending, deps);
  } catch (err) {
    if (err instanceof RedirectError) {
      errorRedirect(res, redirectUri, state, err);
    } else if (err instanceof BodyError) {
      errorRedirect(res, redirectUri, state, new RedirectError('invalid_request', err.message));
    } else {
      throw err;
    }
  }
}

/** Shows the next page the authorization still needs (sign-in, patient, consent), or issues the code. */
export async function advance(
  res: ServerResponse,
  id: string,
  p: PendingAuthorization,
  deps: AuthDeps,
): Promise<void> {
  const client = deps.clients().get(p.clientId);
  const clientName = client?.name ?? p.clientId;
  if (!signedIn(p)) {
    sendHtml(
      res,
      200,
      signInPage(
        id,
        clientName,
        await deps.directory.practitioners(),
        await deps.directory.patients(),
      ),
    );
    return;
  }
  const { offered, refused } = offeredTo(p);
  if (p.needsPatient && p.patient === undefined) {
    sendHtml(res, 200, patientPickerPage(id, clientName, await deps.directory.patients()));
    return;
  }
  if (p.needsConsent && p.consentedScopes === undefined) {
    sendHtml(res, 200, consentPage(id, clientName, offered, refused));
    return;
  }
  const scopes = p.consentedScopes ?? offered;
  const hasPatientContext = scopes.includes('launch') || scopes.includes('launch/patient');
  const grant: GrantContext = {
    grantId: randomId(16),
    clientId: p.clientId,
    scopes,
    ...(p.practitioner === undefined ? {} : { practitioner: p.practitioner }),
    ...(p.patientUser === undefined ? {} : { patientUser: p.patientUser }),
    needPatientBanner: p.launch?.needPatientBanner ?? true,
    ...(hasPatientContext && p.patient !== undefined ? { patient: p.patient } : {}),
    ...(scopes.includes('launch') && p.launch?.encounter !== undefined
      ? { encounter: p.launch.encounter }
      : {}),
    ...(p.nonce === undefined ? {} : { nonce: p.nonce }),
  };
  const code = randomId(32);
  deps.state.codes.set(
    code,
    { grant, redirectUri: p.redirectUri, codeChallenge: p.codeChallenge, used: false },
    LIFETIMES_MS.code,
  );
  deps.state.pending.delete(id);
  if (p.launchId !== undefined) {
    deps.state.launches.delete(p.launchId);
  }
  const target = new URL(p.redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('state', p.state);
  redirect(res, target.href);
}
