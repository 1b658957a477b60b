/**
 * The SMART session after the redirect: fhirclient completes the code exchange, and everything else
 * (requests, refresh, errors) goes through our transport. Rendering never waits for the
 * CapabilityStatement: nothing here asks for it.
 */
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { FhirError } from './errors.ts';
import type { Tokens } from './refreshAcrossTabs.ts';
import { refreshAcrossTabs } from './refreshAcrossTabs.ts';
import { APP_RETRIES, createTransport, type FhirTransport } from './transport.ts';
import type { WriteContext } from './usCore.ts';

export interface Session {
  readonly transport: FhirTransport;
  readonly patientId: string;
  /** `Practitioner/<id>` from the id_token, when the EHR gave one. */
  readonly fhirUser: string | undefined;
  /** `Encounter/<id>` from the launch context, when the EHR launched the app within a visit. */
  readonly encounter: string | undefined;
  /** The scopes the EHR granted (may be fewer than asked). */
  readonly grantedScope: string;
  readonly needPatientBanner: boolean;
  readonly smartStyleUrl: string | undefined;
}

/**
 * How long the app waits for one answer (a chart's longest page of 1,000 Observations takes the
 * sandbox under a second; a slow EHR a few).
 */
const REQUEST_TIMEOUT_MS = 30_000;

/** What every write of this launch records: the patient, who enters it, the visit. */
export function writeContext(
  session: Pick<Session, 'patientId' | 'fhirUser' | 'encounter'>,
): WriteContext {
  return {
    patientId: session.patientId,
    enterer: session.fhirUser,
    encounter: session.encounter,
  };
}

function encounterReference(id: string | null): string | undefined {
  return id === null || id === '' ? undefined : `Encounter/${id}`;
}

/** The tokens of a client state after a refresh. */
function tokensOf(state: Client['state']): Tokens {
  const response = state.tokenResponse ?? {};
  return {
    access_token: response.access_token ?? '',
    ...(response.refresh_token === undefined ? {} : { refresh_token: response.refresh_token }),
    expiresAt: state.expiresAt ?? Date.now() / 1000 + 300,
    response,
  };
}

/** Takes the tokens another tab obtained into this tab's client and its stored session. */
function adoptTokens(client: Client, tokens: Tokens): void {
  client.state.tokenResponse = {
    ...client.state.tokenResponse,
    ...tokens.response,
    access_token: tokens.access_token,
    ...(tokens.refresh_token === undefined ? {} : { refresh_token: tokens.refresh_token }),
  };
  client.state.expiresAt = tokens.expiresAt;
  if (client.state.key !== undefined) {
    void client.environment.getStorage().set(client.state.key, client.state);
  }
}

/** Refresh this many seconds before the token's stated expiry. */
const EXPIRY_MARGIN_S = 10;

function stringField(record: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = record?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The one HTTP client of a launch: the token from fhirclient, refreshed once at a time. */
function clientTransport(client: Client): FhirTransport {
  // One refresh at a time, in this tab and across its duplicates: the EHR rotates refresh tokens,
  // so a second refresh with the old one would be refused (and may revoke the grant).
  let refreshing: Promise<string | undefined> | undefined;
  const refreshOnce = (): Promise<string | undefined> => {
    const refreshToken = client.state.tokenResponse?.refresh_token;
    refreshing ??= (
      refreshToken === undefined
        ? Promise.resolve(undefined)
        : refreshAcrossTabs({
            refreshToken,
            refresh: async () => tokensOf(await client.refresh()),
            adopt: (tokens) => {
              adoptTokens(client, tokens);
            },
            now: () => Date.now() / 1000,
          }).then((tokens) => tokens.access_token)
    ).finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };
  const current = (): string | undefined => client.state.tokenResponse?.access_token;
  return createTransport({
    baseUrl: client.state.serverUrl,
    auth: {
      token: async () => {
        const expiresAt = client.state.expiresAt ?? Infinity;
        if (refreshing !== undefined || expiresAt - EXPIRY_MARGIN_S < Date.now() / 1000) {
          // A failed refresh still leaves the current token to try; a 401 then says the session ended.
          const refreshed = await refreshOnce().catch(() => undefined);
          if (refreshed !== undefined) {
            return refreshed;
          }
        }
        return current();
      },
      renew: async (rejected) =>
        rejected !== undefined && rejected !== current() ? current() : refreshOnce(),
    },
    retry: APP_RETRIES,
    timeoutMs: REQUEST_TIMEOUT_MS,
    // A browser's HTTP/1.1 limit per host: a seventh request would wait unseen with its timeout running.
    maxConcurrent: 6,
  });
}

function grantedScopeOf(client: Client): string {
  return stringField(client.state.tokenResponse ?? {}, 'scope') ?? '';
}

export function sessionFromClient(client: Client): Session {
  const tokenResponse = (client.state.tokenResponse ?? {}) as Record<string, unknown>;
  const patientId = client.getPatientId();
  if (patientId === null || patientId === '') {
    throw new FhirError({
      kind: 'no-launch',
      message: 'The EHR did not say which patient is open (no patient in the launch context).',
    });
  }
  return {
    transport: clientTransport(client),
    patientId,
    fhirUser: client.getFhirUser() ?? undefined,
    encounter: encounterReference(client.getEncounterId()),
    grantedScope: grantedScopeOf(client),
    needPatientBanner: tokenResponse['need_patient_banner'] === true,
    smartStyleUrl: stringField(tokenResponse, 'smart_style_url'),
  };
}

/**
 * Whether the signed-in user is the patient or someone acting for them (fhirUser a Patient or a
 * RelatedPerson, relative or absolute): they get a read-only view, never clinician actions (a
 * Patient signed in as themselves is given the patient's own mode first: launchedFromClient).
 */
export function isPatientUser(fhirUser: string | undefined): boolean {
  return fhirUser !== undefined && /(^|\/)(Patient|RelatedPerson)\/[^/]+$/.test(fhirUser);
}

/** A launch of the programme workspace: a staff member, no patient open. */
export interface StaffSession {
  readonly transport: FhirTransport;
  /** `Practitioner/<id>` of the staff member, from the id_token. */
  readonly fhirUser: string | undefined;
  readonly grantedScope: string;
  readonly smartStyleUrl: string | undefined;
}

export type Launched =
  | { readonly kind: 'patient'; readonly session: Session }
  /** The patient signed in as themselves (fhirUser a Patient): the patient's own check-ins. */
  | { readonly kind: 'patient-self'; readonly session: Session }
  | { readonly kind: 'programme'; readonly session: StaffSession };

/** The id of the Patient a fhirUser names (relative or absolute), else undefined. */
function selfPatientId(fhirUser: string | undefined): string | undefined {
  return fhirUser === undefined ? undefined : /(?:^|\/)Patient\/([^/]+)$/.exec(fhirUser)?.[1];
}

/**
 * A patient's own launch: the patient context is the signed-in patient (a standalone launch may
 * give none, then the fhirUser's id is it). A patient context naming someone else (a proxy
 * account) is refused rather than shown as the user's own record.
 */
function selfSession(client: Client, self: string): Session {
  const context = client.getPatientId();
  if (context !== null && context !== '' && context !== self) {
    throw new FhirError({
      kind: 'forbidden',
      message:
        "You are signed in as one patient but the launch opened another patient's record. Open CLBP Pathway again from your own portal account.",
    });
  }
  const tokenResponse = (client.state.tokenResponse ?? {}) as Record<string, unknown>;
  return {
    transport: clientTransport(client),
    patientId: self,
    fhirUser: `Patient/${self}`,
    encounter: undefined,
    grantedScope: grantedScopeOf(client),
    needPatientBanner: tokenResponse['need_patient_banner'] === true,
    smartStyleUrl: stringField(tokenResponse, 'smart_style_url'),
  };
}

/**
 * Which entry of the app a launch opens: the patient's own check-ins when the signed-in user is a
 * Patient (a patient portal, or a patient's standalone launch); the patient's chart when the EHR
 * names a patient; the
 * programme workspace when it names none and granted the workspace's `user/` Task scope; else
 * the chart's "no patient" error (a clinician's launch that lost its patient).
 */
export function launchedFromClient(client: Client): Launched {
  const self = selfPatientId(client.getFhirUser() ?? undefined);
  if (self !== undefined) {
    return { kind: 'patient-self', session: selfSession(client, self) };
  }
  const patientId = client.getPatientId();
  const grantedScope = grantedScopeOf(client);
  if ((patientId === null || patientId === '') && /(^|\s)user\/(Task|\*)\./.test(grantedScope)) {
    return {
      kind: 'programme',
      session: {
        transport: clientTransport(client),
        fhirUser: client.getFhirUser() ?? undefined,
        grantedScope,
        smartStyleUrl: stringField(client.state.tokenResponse ?? {}, 'smart_style_url'),
      },
    };
  }
  return { kind: 'patient', session: sessionFromClient(client) };
}

/** OAuth 2 error codes an authorization server redirects back with (RFC 6749 §4.1.2.1). */
const OAUTH_ERRORS = [
  'access_denied',
  'invalid_request',
  'unauthorized_client',
  'unsupported_response_type',
  'invalid_scope',
  'server_error',
  'temporarily_unavailable',
] as const;

/**
 * What went wrong while completing the launch, in the clinician's terms: declined at sign-in, a
 * launch that is missing or expired, an EHR that could not be reached or failed, each with its
 * own next step (never "session ended" for what was not a session).
 */
export function launchError(error: unknown): FhirError {
  const detail = error instanceof Error ? error.message : String(error);
  const firstLine = detail.split('\n')[0] ?? detail;
  const status = (error as { status?: unknown } | null)?.status;
  const oauth = OAUTH_ERRORS.find(
    (code) => detail.startsWith(code) || detail.includes(`\n${code}`),
  );
  // An EHR that does not know this client (token endpoint invalid_client, authorization
  // unauthorized_client): no relaunch will help, the EHR must register the app.
  const client = /\b(invalid_client|unauthorized_client)\b/.exec(detail)?.[1];
  if (client !== undefined) {
    return new FhirError({
      kind: 'config',
      message: `The EHR does not accept CLBP Pathway's client id (${client}): the app is not registered, or not configured, for this EHR.`,
      cause: error,
    });
  }
  if (oauth === 'access_denied') {
    return new FhirError({
      kind: 'forbidden',
      message: `Access to the patient's chart was declined at sign-in (${detail}). Launch again and allow access.`,
      cause: error,
    });
  }
  if (oauth === 'server_error' || oauth === 'temporarily_unavailable') {
    return new FhirError({
      kind: 'server',
      message: `The EHR's sign-in failed: ${detail}`,
      cause: error,
    });
  }
  if (oauth !== undefined) {
    return new FhirError({
      kind: 'no-launch',
      message: `The EHR refused the sign-in (${detail}): the launch may have expired or been used already.`,
      cause: error,
    });
  }
  if (error instanceof TypeError) {
    return new FhirError({
      kind: 'network',
      message: `The EHR's sign-in service could not be reached (${detail}).`,
      cause: error,
    });
  }
  if (typeof status === 'number') {
    return new FhirError({
      kind: status >= 500 ? 'server' : 'no-launch',
      status,
      message:
        status >= 500
          ? `The EHR's sign-in service failed (${firstLine}).`
          : `The EHR did not accept the sign-in (${firstLine}): the launch may have expired or been used already.`,
      cause: error,
    });
  }
  return new FhirError({
    kind: 'no-launch',
    message: /state/i.test(detail)
      ? 'CLBP Pathway was opened without a launch from an EHR, or the launch expired.'
      : `The sign-in could not be completed: ${detail}`,
    cause: error,
  });
}

/** Completes the SMART launch in this window; rejects with a FhirError the screen can explain. */
export async function startLaunch(): Promise<Launched> {
  // Public clients identify themselves on refresh (OAuth 2.1 §4.3.1); strict EHRs require it.
  (FHIR.oauth2.settings as { refreshTokenWithClientId?: boolean }).refreshTokenWithClientId = true;
  let client: Client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    throw launchError(error);
  }
  return launchedFromClient(client);
}
