/**
 * The sandbox's signing key, the JWTs it issues (access token, OpenID id_token) and the
 * TokenVerifier the FHIR server uses. All JWT work goes through `jose`.
 */
import {
  SignJWT,
  calculateJwkThumbprint,
  errors,
  exportJWK,
  generateKeyPair,
  jwtVerify,
} from 'jose';
import type { CryptoKey, JSONWebKeySet, JWTPayload } from 'jose';
import type { AccessContext, TokenCheck, TokenVerifier } from '../accessContext.ts';
import { randomId, userReference } from './state.ts';
import type { GrantContext } from './state.ts';

const ALG = 'RS256';

export interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly kid: string;
  /** Public JWK set served at the discovery document's `jwks_uri`. */
  readonly jwks: JSONWebKeySet;
}

/** A fresh RSA key per sandbox start: tokens from an earlier run are refused. */
export async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG);
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicKey, kid, jwks: { keys: [{ ...jwk, kid, alg: ALG, use: 'sig' }] } };
}

export interface TokenSettings {
  /** The authorization server's issuer URL. */
  readonly issuer: string;
  /** The FHIR base URL: the access token's audience. */
  readonly fhirBase: string;
  readonly ttlS: number;
  /** Milliseconds since the epoch. */
  readonly now: number;
}

/** Signs an access token for a grant. Claims: scope, patient, fhirUser, client_id, exp. */
export async function signAccessToken(
  key: SigningKey,
  grant: GrantContext,
  s: TokenSettings,
): Promise<string> {
  const claims: JWTPayload = {
    client_id: grant.clientId,
    scope: grant.scopes.join(' '),
    grant_id: grant.grantId,
  };
  if (grant.patient !== undefined) {
    claims['patient'] = grant.patient;
  }
  const user = userReference(grant);
  if (user !== undefined) {
    claims['fhirUser'] = user;
  }
  const iat = Math.floor(s.now / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'at+jwt' })
    .setIssuer(s.issuer)
    .setAudience(s.fhirBase)
    .setSubject(user ?? grant.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + s.ttlS)
    .setJti(randomId(16))
    .sign(key.privateKey);
}

/**
 * Signs an OpenID Connect id_token. `fhirUser` is the absolute URL of the user's Practitioner (or,
 * for a patient signed in as themselves, Patient) resource, as SMART App Launch 2.x asks ("a URL
 * that resolves to a FHIR resource").
 */
export async function signIdToken(
  key: SigningKey,
  grant: GrantContext,
  user: string,
  s: TokenSettings,
): Promise<string> {
  const claims: JWTPayload = { fhirUser: `${s.fhirBase}/${user}` };
  if (grant.nonce !== undefined) {
    claims['nonce'] = grant.nonce;
  }
  const iat = Math.floor(s.now / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
    .setIssuer(s.issuer)
    .setAudience(grant.clientId)
    .setSubject(grant.practitioner ?? grant.patientUser ?? user)
    .setIssuedAt(iat)
    .setExpirationTime(iat + s.ttlS)
    .sign(key.privateKey);
}

interface VerifierOptions {
  readonly issuer: () => string;
  readonly fhirBase: () => string;
  readonly isRevoked: (grantId: string) => boolean;
  readonly now: () => number;
}

function fail(
  reason: 'missing' | 'invalid' | 'expired' | 'wrong-audience',
  message: string,
): TokenCheck {
  return { ok: false, reason, message };
}

/** Checks a `Bearer` access token's signature, issuer, expiry, audience and revocation. */
export function createTokenVerifier(key: SigningKey, o: VerifierOptions): TokenVerifier {
  return async (header) => {
    if (header === undefined || header.trim() === '') {
      return fail(
        'missing',
        'no Authorization header: send "Authorization: Bearer <access token>"',
      );
    }
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    const token = m?.[1];
    if (token === undefined) {
      return fail('invalid', 'the Authorization header is not "Bearer <access token>"');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key.publicKey, {
        algorithms: [ALG],
        issuer: o.issuer(),
        audience: o.fhirBase(),
        currentDate: new Date(o.now()),
        requiredClaims: ['exp', 'client_id', 'scope', 'grant_id'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) {
        return fail('expired', 'the access token has expired: refresh it or launch again');
      }
      if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') {
        return fail('wrong-audience', `the access token was not issued for ${o.fhirBase()}`);
      }
      return fail(
        'invalid',
        `the access token is not valid (${err instanceof Error ? err.message : 'unknown error'})`,
      );
    }
    return contextFromPayload(payload, o);
  };
}

function contextFromPayload(p: JWTPayload, o: VerifierOptions): TokenCheck {
  const { client_id: clientId, scope, grant_id: grantId, patient, fhirUser } = p;
  if (
    typeof clientId !== 'string' ||
    typeof scope !== 'string' ||
    typeof grantId !== 'string' ||
    p.exp === undefined
  ) {
    return fail('invalid', 'the access token lacks client_id, scope or exp');
  }
  if (o.isRevoked(grantId)) {
    return fail(
      'invalid',
      'the access token was revoked (its authorization code or refresh token was replayed)',
    );
  }
  const context: AccessContext = {
    clientId,
    scopes: scope.split(' ').filter((s) => s !== ''),
    expiresAt: p.exp,
    ...(typeof patient === 'string' ? { patient } : {}),
    ...(typeof fhirUser === 'string' ? { fhirUser } : {}),
  };
  return { ok: true, context };
}
