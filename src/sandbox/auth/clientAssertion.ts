/**
 * `private_key_jwt` client authentication for SMART Backend Services:
 * https://build.fhir.org/ig/HL7/smart-app-launch/client-confidential-asymmetric.html
 */
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import type { AsymmetricClient } from './clients.ts';
import type { AuthDeps } from './deps.ts';
import { LIFETIMES_MS } from './state.ts';

export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The spec limits an assertion's exp to five minutes in the future. */
const MAX_ASSERTION_LIFETIME_S = 300;

type AssertionCheck = { ok: true; client: AsymmetricClient } | { ok: false; message: string };

/** Verifies a client assertion: registered key, iss = sub = client_id, aud = token URL, exp, single-use jti. */
export async function verifyClientAssertion(
  assertion: string,
  deps: AuthDeps,
): Promise<AssertionCheck> {
  let issuer: unknown;
  try {
    issuer = decodeJwt(assertion).iss;
  } catch {
    return { ok: false, message: 'client_assertion is not a JWT' };
  }
  const client = typeof issuer === 'string' ? deps.clients().get(issuer) : undefined;
  if (client?.type !== 'confidential-asymmetric') {
    return {
      ok: false,
      message: `client_assertion iss "${String(issuer)}" is not a registered backend client`,
    };
  }
  const now = deps.now();
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      algorithms: ['RS384', 'ES384'],
      issuer: client.clientId,
      subject: client.clientId,
      audience: deps.urls().token,
      currentDate: new Date(now),
      requiredClaims: ['exp', 'jti'],
    }));
  } catch (err) {
    return {
      ok: false,
      message: `client_assertion rejected: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const { exp, jti } = payload;
  if (exp === undefined || typeof jti !== 'string' || jti === '') {
    return { ok: false, message: 'client_assertion needs exp and jti' };
  }
  if (exp - now / 1000 > MAX_ASSERTION_LIFETIME_S) {
    return { ok: false, message: 'client_assertion exp is more than five minutes in the future' };
  }
  const key = `${client.clientId} ${jti}`;
  if (deps.state.usedAssertionIds.has(key)) {
    return { ok: false, message: 'client_assertion jti was already used (replay)' };
  }
  deps.state.usedAssertionIds.set(key, true, Math.max(LIFETIMES_MS.assertionJti, exp * 1000 - now));
  return { ok: true, client };
}
