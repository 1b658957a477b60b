/**
 * SMART Backend Services authorization: a client_credentials grant authenticated with a signed
 * JWT (private_key_jwt, RS384 or ES384), token endpoint from the server's
 * `.well-known/smart-configuration`.
 *
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
import { importJWK, SignJWT } from 'jose';
import type { JWK } from 'jose';
import { FhirError } from '../errors.ts';
import type { FhirTransport, TokenSource } from '../transport.ts';
import { COMMAND_LINE_RETRIES, createTransport } from '../transport.ts';
import type { BulkEventListener } from './events.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The spec caps a client assertion's lifetime at five minutes. */
const ASSERTION_LIFETIME_S = 300;

interface BackendAuthOptions {
  readonly fhirBase: string;
  readonly clientId: string;
  /** The client's private key as a JWK (with `kid`; `alg` ES384 or RS384, or inferred). */
  readonly privateKey: JWK;
  /** Space-separated system/ scopes to ask for. */
  readonly scope: string;
  readonly fetch?: typeof fetch;
  readonly onEvent?: BulkEventListener;
  /** Per request (discovery, token); default 60 s. */
  readonly timeoutMs?: number;
}

function keyProblem(message: string): FhirError {
  return new FhirError({ kind: 'config', message });
}

/** The signing algorithm for a key: its own `alg`, else ES384 for P-384 EC keys, RS384 for RSA. */
function signingAlgorithm(jwk: JWK): 'ES384' | 'RS384' {
  const alg = jwk.alg;
  if (alg === 'ES384') {
    return 'ES384';
  }
  if (alg === 'RS384') {
    return 'RS384';
  }
  if (jwk.alg === undefined && jwk.kty === 'EC' && jwk.crv === 'P-384') {
    return 'ES384';
  }
  if (jwk.alg === undefined && jwk.kty === 'RSA') {
    return 'RS384';
  }
  throw keyProblem(
    `the key must be an ES384 (EC P-384) or RS384 (RSA) private JWK; got kty ${jwk.kty ?? '?'}${jwk.alg ? `, alg ${jwk.alg}` : ''}`,
  );
}

/** Parses a private JWK file's text; throws a FhirError that says what is wrong. */
export function parsePrivateJwk(text: string, source: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw keyProblem(`${source} is not JSON (expected a private JWK)`);
  }
  if (typeof value !== 'object' || value === null || !('kty' in value) || !('d' in value)) {
    throw keyProblem(`${source} is not a private JWK (needs "kty" and the private part "d")`);
  }
  return value as JWK;
}

/** Finds the token endpoint in the server's SMART configuration (asked without a token). */
async function discoverTokenEndpoint(http: FhirTransport, signal?: AbortSignal): Promise<string> {
  const label = 'the SMART configuration (.well-known/smart-configuration)';
  const body = (await http.json('.well-known/smart-configuration', {
    label,
    anonymous: true,
    headers: { Accept: 'application/json' },
    ...(signal ? { signal } : {}),
  })) as { token_endpoint?: unknown } | null;
  if (typeof body?.token_endpoint !== 'string') {
    throw new FhirError({
      kind: 'malformed',
      request: label,
      message: `${http.baseUrl}/.well-known/smart-configuration has no token_endpoint; is --fhir a FHIR base URL?`,
    });
  }
  return body.token_endpoint;
}

/** A backend client's tokens: there always is one (or an error saying why not). */
interface BackendAuth extends TokenSource {
  token(signal?: AbortSignal): Promise<string>;
  renew(rejected: string | undefined, signal?: AbortSignal): Promise<string>;
}

/**
 * The signed JWT a backend client authenticates with (SMART Backend Services, private_key_jwt):
 * issuer and subject the client, audience the token endpoint, a short life and a fresh jti.
 */
async function clientAssertion(
  o: Pick<BackendAuthOptions, 'privateKey' | 'clientId'>,
  alg: string,
  tokenEndpoint: string,
): Promise<string> {
  const key = await importJWK(o.privateKey, alg).catch((err: unknown) => {
    throw keyProblem(`cannot use the private key: ${(err as Error).message}`);
  });
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({
      alg,
      typ: 'JWT',
      ...(o.privateKey.kid ? { kid: o.privateKey.kid } : {}),
    })
    .setIssuer(o.clientId)
    .setSubject(o.clientId)
    .setAudience(tokenEndpoint)
    .setExpirationTime(now + ASSERTION_LIFETIME_S)
    .setJti(crypto.randomUUID())
    .sign(key);
}

/**
 * The token endpoint's answer: the access token, when to renew it (a little before expiry: a
 * tenth of the lifetime, at most 30 s; 5 minutes when the server does not say) and the scope
 * granted (the one asked for when the server does not say).
 */
function tokenAnswer(
  body: Record<string, unknown> | null,
  label: string,
  asked: string,
): { token: string; renewAt: number; scope: string } {
  if (typeof body?.['access_token'] !== 'string') {
    throw new FhirError({
      kind: 'malformed',
      request: label,
      message: `${label} answered without an access_token`,
    });
  }
  const expiresInMs = typeof body['expires_in'] === 'number' ? body['expires_in'] * 1000 : 300_000;
  return {
    token: body['access_token'],
    renewAt: Date.now() + expiresInMs - Math.min(30_000, expiresInMs / 10),
    scope: typeof body['scope'] === 'string' ? body['scope'] : asked,
  };
}

/** A TokenSource for a backend client; fetches lazily and renews when the token has expired. */
export function createBackendAuth(o: BackendAuthOptions): BackendAuth {
  const alg = signingAlgorithm(o.privateKey);
  // The token endpoint is the authorization server's, so this client sends no bearer token at all.
  const http = createTransport({
    baseUrl: o.fhirBase,
    retry: COMMAND_LINE_RETRIES,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
  });
  let tokenEndpoint: string | undefined;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(signal?: AbortSignal): Promise<string> {
    tokenEndpoint ??= await discoverTokenEndpoint(http, signal);
    const assertion = await clientAssertion(o, alg, tokenEndpoint);
    const label = `the token endpoint (client ${o.clientId})`;
    const body = (await http.json(tokenEndpoint, {
      label,
      method: 'POST',
      destination: 'anywhere',
      // Only a 429 is sent again: a server that failed may have spent the assertion's jti.
      retry: { ...COMMAND_LINE_RETRIES, serverErrors: false, network: false },
      headers: { Accept: 'application/json' },
      form: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: o.scope,
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
      }),
      ...(signal ? { signal } : {}),
    })) as Record<string, unknown> | null;
    const answer = tokenAnswer(body, label, o.scope);
    current = { token: answer.token, renewAt: answer.renewAt };
    o.onEvent?.({ type: 'authorized', tokenEndpoint, scope: answer.scope });
    return current.token;
  }

  function fetchOnce(signal?: AbortSignal): Promise<string> {
    pending ??= request(signal).finally(() => {
      pending = undefined;
    });
    return pending;
  }

  return {
    async token(signal) {
      if (current !== undefined && Date.now() < current.renewAt) {
        return current.token;
      }
      if (current !== undefined) {
        o.onEvent?.({ type: 'token-renewed', reason: 'expired' });
      }
      return fetchOnce(signal);
    },
    async renew(rejected, signal) {
      if (current !== undefined && rejected !== current.token) {
        return current.token; // another request renewed meanwhile
      }
      current = undefined;
      return fetchOnce(signal);
    },
  };
}
