/**
 * SMART Backend Services authorization: a client_credentials grant authenticated with a signed
 * JWT (private_key_jwt, RS384 or ES384), token endpoint from the server's
 * `.well-known/smart-configuration`.
 *
 * @see https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
import { importJWK, SignJWT } from 'jose';
import type { JWK } from 'jose';
import type { BulkEventListener } from './events.ts';
import type { TokenSource } from './http.ts';
import { BulkError } from './http.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The spec caps a client assertion's lifetime at five minutes. */
const ASSERTION_LIFETIME_S = 300;

export interface BackendAuthOptions {
  readonly fhirBase: string;
  readonly clientId: string;
  /** The client's private key as a JWK (with `kid`; `alg` ES384 or RS384, or inferred). */
  readonly privateKey: JWK;
  /** Space-separated system/ scopes to ask for. */
  readonly scope: string;
  readonly fetch?: typeof fetch;
  readonly onEvent?: BulkEventListener;
}

/** The signing algorithm for a key: its own `alg`, else ES384 for P-384 EC keys, RS384 for RSA. */
export function signingAlgorithm(jwk: JWK): 'ES384' | 'RS384' {
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
  throw new BulkError(
    `the key must be an ES384 (EC P-384) or RS384 (RSA) private JWK; got kty ${jwk.kty ?? '?'}${jwk.alg ? `, alg ${jwk.alg}` : ''}`,
  );
}

/** Parses a private JWK file's text; throws a BulkError that says what is wrong. */
export function parsePrivateJwk(text: string, source: string): JWK {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BulkError(`${source} is not JSON (expected a private JWK)`);
  }
  if (typeof value !== 'object' || value === null || !('kty' in value) || !('d' in value)) {
    throw new BulkError(`${source} is not a private JWK (needs "kty" and the private part "d")`);
  }
  return value as JWK;
}

/** Finds the token endpoint in the server's SMART configuration. */
export async function discoverTokenEndpoint(
  fhirBase: string,
  doFetch: typeof fetch,
  signal?: AbortSignal,
): Promise<string> {
  const url = `${fhirBase.replace(/\/$/, '')}/.well-known/smart-configuration`;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { Accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) {
      throw err;
    }
    throw new BulkError(`cannot reach ${url}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!response.ok) {
    throw new BulkError(`${url} answered HTTP ${response.status}; is --fhir a FHIR base URL?`);
  }
  const body = (await response.json().catch(() => ({}))) as { token_endpoint?: unknown };
  if (typeof body.token_endpoint !== 'string') {
    throw new BulkError(`${url} has no token_endpoint`);
  }
  return body.token_endpoint;
}

/** A TokenSource for a backend client; fetches lazily and renews when the token has expired. */
export function createBackendAuth(o: BackendAuthOptions): TokenSource {
  const doFetch = o.fetch ?? fetch;
  const alg = signingAlgorithm(o.privateKey);
  let tokenEndpoint: string | undefined;
  let current: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(signal?: AbortSignal): Promise<string> {
    tokenEndpoint ??= await discoverTokenEndpoint(o.fhirBase, doFetch, signal);
    const key = await importJWK(o.privateKey, alg).catch((err: unknown) => {
      throw new BulkError(`cannot use the private key: ${(err as Error).message}`);
    });
    const now = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
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
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: o.scope,
      client_assertion_type: JWT_BEARER,
      client_assertion: assertion,
    });
    const response = await doFetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      ...(signal ? { signal } : {}),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok || typeof body['access_token'] !== 'string') {
      const why =
        typeof body['error_description'] === 'string'
          ? body['error_description']
          : `HTTP ${response.status}`;
      throw new BulkError(
        `the token endpoint refused client ${o.clientId}: ${why}`,
        response.status,
      );
    }
    const expiresInMs =
      typeof body['expires_in'] === 'number' ? body['expires_in'] * 1000 : 300_000;
    // Renew a little before expiry: a tenth of the lifetime, at most 30 s.
    const renewAt = Date.now() + expiresInMs - Math.min(30_000, expiresInMs / 10);
    current = { token: body['access_token'], renewAt };
    o.onEvent?.({
      type: 'authorized',
      tokenEndpoint,
      scope: typeof body['scope'] === 'string' ? body['scope'] : o.scope,
    });
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
    async renew(signal) {
      current = undefined;
      return fetchOnce(signal);
    },
  };
}
