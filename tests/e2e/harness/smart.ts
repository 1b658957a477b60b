/**
 * Plays the SMART client's part over plain HTTP against a running sandbox: EHR launch, standalone
 * launch through the sign-in / patient / consent forms, code exchange, refresh and backend services.
 * Other e2e tests use it to get real tokens without a browser.
 */
import { readFileSync } from 'node:fs';
import { SignJWT, importJWK } from 'jose';
import type { CryptoKey, JWK, KeyObject } from 'jose';
import type { Sandbox } from './sandbox.ts';
import { createPkce } from './pkce.ts';
import type { Pkce } from './pkce.ts';

export const APP_CLIENT_ID = 'clbp-pathway';
export const BACKEND_CLIENT_ID = 'clbp-research';
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** What the app asks for in an EHR launch (v2 scopes). */
export const APP_EHR_SCOPE =
  'launch openid fhirUser online_access patient/Patient.r patient/Condition.rs patient/Observation.crs ' +
  'patient/QuestionnaireResponse.crs patient/MedicationStatement.rs patient/MedicationRequest.rs';

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly patient?: string;
  readonly need_patient_banner?: boolean;
  readonly smart_style_url?: string;
  readonly refresh_token?: string;
  readonly id_token?: string;
}

export interface OAuthErrorBody {
  readonly error: string;
  readonly error_description: string;
}

export function appRedirectUri(s: Sandbox): string {
  return `${s.appOrigin}/`;
}

/** fetch without following redirects. */
export function fetchManual(url: string | URL, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, redirect: 'manual' });
}

export function location(res: Response): URL {
  const loc = res.headers.get('location');
  if (loc === null) {
    throw new Error(`expected a redirect, got HTTP ${res.status}`);
  }
  return new URL(loc);
}

/** Creates an EHR launch through the simulator and returns the opaque launch id. */
export async function ehrLaunchId(
  s: Sandbox,
  patient: string,
  practitioner?: string,
  embedded = false,
): Promise<string> {
  const url = new URL(s.launchUrl(patient, practitioner));
  if (embedded) {
    url.searchParams.set('embedded', '1');
  }
  const res = await fetchManual(url);
  const launch = location(res).searchParams.get('launch');
  if (res.status !== 302 || launch === null) {
    throw new Error(`/ehr/launch answered ${res.status} without a launch id`);
  }
  return launch;
}

export interface AuthorizeParams {
  readonly scope: string;
  readonly launch?: string;
  readonly state?: string;
  readonly clientId?: string;
  readonly redirectUri?: string;
  readonly aud?: string;
  /** null leaves the parameter out. */
  readonly codeChallenge?: string | null | undefined;
  readonly codeChallengeMethod?: string | null | undefined;
}

export function authorizeUrl(s: Sandbox, p: AuthorizeParams, pkce: Pkce): URL {
  const url = new URL('/auth/authorize', s.origin);
  const q = url.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', p.clientId ?? APP_CLIENT_ID);
  q.set('redirect_uri', p.redirectUri ?? appRedirectUri(s));
  q.set('scope', p.scope);
  q.set('state', p.state ?? 'state-123');
  q.set('aud', p.aud ?? s.fhirBase);
  if (p.launch !== undefined) {
    q.set('launch', p.launch);
  }
  const challenge = p.codeChallenge === undefined ? pkce.challenge : p.codeChallenge;
  if (challenge !== null) {
    q.set('code_challenge', challenge);
  }
  const method = p.codeChallengeMethod === undefined ? 'S256' : p.codeChallengeMethod;
  if (method !== null) {
    q.set('code_challenge_method', method);
  }
  return url;
}

export async function postForm(
  url: string,
  fields: Readonly<Record<string, string>> | [string, string][],
): Promise<Response> {
  return fetchManual(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

export async function tokenRequest(
  s: Sandbox,
  fields: Readonly<Record<string, string>>,
): Promise<Response> {
  return postForm(`${s.origin}/auth/token`, fields);
}

export async function exchangeCode(
  s: Sandbox,
  code: string,
  verifier: string,
  redirectUri?: string,
): Promise<Response> {
  return tokenRequest(s, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: APP_CLIENT_ID,
    redirect_uri: redirectUri ?? appRedirectUri(s),
  });
}

async function tokenOk(res: Response): Promise<TokenResponse> {
  if (res.status !== 200) {
    throw new Error(`token endpoint answered ${res.status}: ${await res.text()}`);
  }
  return (await res.json()) as TokenResponse;
}

export interface EhrLaunchOptions {
  readonly patient: string;
  readonly practitioner?: string;
  readonly scope?: string;
  readonly embedded?: boolean;
}

/** EHR launch up to the authorization code (no consent screen unless SANDBOX_EHR_CONSENT=1). */
export async function authorizeEhr(
  s: Sandbox,
  o: EhrLaunchOptions,
): Promise<{ code: string; pkce: Pkce }> {
  const launch = await ehrLaunchId(s, o.patient, o.practitioner, o.embedded);
  const pkce = createPkce();
  const res = await fetchManual(authorizeUrl(s, { scope: o.scope ?? APP_EHR_SCOPE, launch }, pkce));
  const code = location(res).searchParams.get('code');
  if (code === null) {
    throw new Error(`authorize did not return a code: ${location(res).href}`);
  }
  return { code, pkce };
}

/** A whole EHR launch: the token response for a patient (default scopes: APP_EHR_SCOPE). */
export async function ehrLaunchToken(s: Sandbox, o: EhrLaunchOptions): Promise<TokenResponse> {
  const { code, pkce } = await authorizeEhr(s, o);
  return tokenOk(await exchangeCode(s, code, pkce.verifier));
}

/** The hidden `request` id of an authorization page's form. */
export function formRequestId(html: string): string {
  const m = /name="request" value="([^"]+)"/.exec(html);
  if (!m?.[1]) {
    throw new Error('no authorization form on the page');
  }
  return m[1];
}

export interface StandaloneOptions {
  readonly practitioner: string;
  readonly patient: string;
  readonly scope: string;
  /** Scopes left ticked on the consent screen (default: all offered). */
  readonly grant?: readonly string[];
}

/** Standalone launch through the sign-in, patient picker and consent forms; returns the code. */
export async function authorizeStandalone(
  s: Sandbox,
  o: StandaloneOptions,
): Promise<{ code: string; pkce: Pkce }> {
  const pkce = createPkce();
  const interact = `${s.origin}/auth/interact`;
  const signIn = await fetchManual(authorizeUrl(s, { scope: o.scope }, pkce));
  const request = formRequestId(await signIn.text());
  await (
    await postForm(interact, { request, action: 'sign-in', practitioner: o.practitioner })
  ).text();
  const consent = await postForm(interact, {
    request,
    action: 'choose-patient',
    patient: o.patient,
  });
  const html = await consent.text();
  const offered = [...html.matchAll(/name="scope" value="([^"]+)"/g)].map((m) => m[1] ?? '');
  const ticked = o.grant ?? offered;
  const fields: [string, string][] = [
    ['request', request],
    ['action', 'approve'],
    ...ticked.map((t): [string, string] => ['scope', t]),
  ];
  const done = await postForm(interact, fields);
  const code = location(done).searchParams.get('code');
  if (code === null) {
    throw new Error(`standalone launch did not return a code: ${location(done).href}`);
  }
  return { code, pkce };
}

export async function standaloneToken(s: Sandbox, o: StandaloneOptions): Promise<TokenResponse> {
  const { code, pkce } = await authorizeStandalone(s, o);
  return tokenOk(await exchangeCode(s, code, pkce.verifier));
}

const FIXTURE_KEY = new URL('../../fixtures/backend-client.private.jwk.json', import.meta.url);

/** The sandbox-only private key of the clbp-research backend client. */
export async function backendClientKey(): Promise<{
  key: CryptoKey | KeyObject | Uint8Array;
  kid: string;
}> {
  const jwk = JSON.parse(readFileSync(FIXTURE_KEY, 'utf8')) as JWK & { kid: string };
  return { key: await importJWK(jwk, 'ES384'), kid: jwk.kid };
}

export interface AssertionOptions {
  readonly jti?: string;
  readonly audience?: string;
  readonly key?: { key: CryptoKey | KeyObject | Uint8Array; kid: string };
  readonly expiresInS?: number;
}

/** A private_key_jwt client assertion for clbp-research (SMART Backend Services). */
export async function backendAssertion(s: Sandbox, o: AssertionOptions = {}): Promise<string> {
  const { key, kid } = o.key ?? (await backendClientKey());
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', kid, typ: 'JWT' })
    .setIssuer(BACKEND_CLIENT_ID)
    .setSubject(BACKEND_CLIENT_ID)
    .setAudience(o.audience ?? `${s.origin}/auth/token`)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresInS ?? 240))
    .setJti(o.jti ?? crypto.randomUUID())
    .sign(key);
}

export async function backendTokenRequest(
  s: Sandbox,
  assertion: string,
  scope: string,
): Promise<Response> {
  return tokenRequest(s, {
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER,
    client_assertion: assertion,
    scope,
  });
}

/** A backend-services token (system/ scopes) for clbp-research. */
export async function backendToken(s: Sandbox, scope = 'system/*.rs'): Promise<TokenResponse> {
  return tokenOk(await backendTokenRequest(s, await backendAssertion(s), scope));
}

/** GET (or other method) on the FHIR server, relative to the FHIR base. */
export async function fhirFetch(
  s: Sandbox,
  token: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/fhir+json');
  if (token !== undefined) {
    headers.set('Authorization', `Bearer ${token}`);
  }
  return fetch(`${s.fhirBase}/${path.replace(/^\//, '')}`, { ...init, headers });
}

/**
 * A patient's standalone launch through the forms: sign in as the patient (a portal account), allow
 * every scope offered; returns the token.
 */
export async function patientStandaloneToken(
  s: Sandbox,
  patient: string,
  scope: string,
): Promise<TokenResponse> {
  const pkce = createPkce();
  const interact = `${s.origin}/auth/interact`;
  const signIn = await fetchManual(authorizeUrl(s, { scope }, pkce));
  const request = formRequestId(await signIn.text());
  const consent = await postForm(interact, {
    request,
    action: 'sign-in-patient',
    'patient-user': patient,
  });
  const offered = [...(await consent.text()).matchAll(/name="scope" value="([^"]+)"/g)].map(
    (m) => m[1] ?? '',
  );
  const done = await postForm(interact, [
    ['request', request],
    ['action', 'approve'],
    ...offered.map((o): [string, string] => ['scope', o]),
  ]);
  const code = location(done).searchParams.get('code');
  if (code === null) {
    throw new Error(`patient launch did not return a code: ${location(done).href}`);
  }
  return tokenOk(await exchangeCode(s, code, pkce.verifier));
}
