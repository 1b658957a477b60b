import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GrantContext } from '../../../src/sandbox/auth/state.ts';
import {
  createSigningKey,
  createTokenVerifier,
  signAccessToken,
} from '../../../src/sandbox/auth/tokens.ts';
import type { SigningKey } from '../../../src/sandbox/auth/tokens.ts';

const ISSUER = 'http://127.0.0.1:8110/auth';
const FHIR_BASE = 'http://127.0.0.1:8110/fhir';
const ISSUED_MS = Date.UTC(2026, 2, 16, 21, 0, 0);
const TTL_S = 300;

const grant: GrantContext = {
  grantId: 'grant-1',
  clientId: 'clbp-pathway',
  scopes: ['launch', 'patient/Observation.rs'],
  patient: 'clbp-eligible',
  practitioner: 'pcp-1',
  needPatientBanner: true,
};

let key: SigningKey;
let token: string;

beforeAll(async () => {
  key = await createSigningKey();
  token = await signAccessToken(key, grant, {
    issuer: ISSUER,
    fhirBase: FHIR_BASE,
    ttlS: TTL_S,
    now: ISSUED_MS,
  });
});

function verifier(o: { nowMs?: number; fhirBase?: string; revoked?: string[] } = {}) {
  return createTokenVerifier(key, {
    issuer: () => ISSUER,
    fhirBase: () => o.fhirBase ?? FHIR_BASE,
    isRevoked: (g) => (o.revoked ?? []).includes(g),
    now: () => o.nowMs ?? ISSUED_MS + 1000,
  });
}

describe('access token verifier', () => {
  it('turns a valid token into the launch patient, user and granted scopes', async () => {
    expect(await verifier()(`Bearer ${token}`)).toEqual({
      ok: true,
      context: {
        clientId: 'clbp-pathway',
        scopes: ['launch', 'patient/Observation.rs'],
        patient: 'clbp-eligible',
        fhirUser: 'Practitioner/pcp-1',
        expiresAt: ISSUED_MS / 1000 + TTL_S,
      },
    });
  });

  it.each([
    [TTL_S - 1, 'accepted'],
    [TTL_S, 'expired'],
    [TTL_S + 60, 'expired'],
  ])('at %i s after issue (lifetime 300 s) the token is %s', async (ageS, outcome) => {
    const check = await verifier({ nowMs: ISSUED_MS + ageS * 1000 })(`Bearer ${token}`);
    expect(check.ok ? 'accepted' : check.reason).toBe(outcome);
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    [`Basic ${Buffer.from('a:b').toString('base64')}`, 'invalid'],
    ['Bearer not-a-jwt', 'invalid'],
  ])('refuses the header %j as %s', async (header, reason) => {
    expect(await verifier()(header)).toMatchObject({ ok: false, reason });
  });

  it('refuses a token issued for another FHIR server', async () => {
    expect(
      await verifier({ fhirBase: 'http://other.example/fhir' })(`Bearer ${token}`),
    ).toMatchObject({ ok: false, reason: 'wrong-audience' });
  });

  it('refuses a token whose grant was revoked', async () => {
    expect(await verifier({ revoked: ['grant-1'] })(`Bearer ${token}`)).toMatchObject({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses a token signed by another key, even with the same claims', async () => {
    const other = await createSigningKey();
    const forged = await signAccessToken(other, grant, {
      issuer: ISSUER,
      fhirBase: FHIR_BASE,
      ttlS: TTL_S,
      now: ISSUED_MS,
    });
    expect(await verifier()(`Bearer ${forged}`)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses an unsigned (alg none) token', async () => {
    const payload = token.split('.')[1] ?? '';
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    expect(await verifier()(`Bearer ${none}`)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a correctly signed token that lacks the scope claim', async () => {
    const bare = await new SignJWT({ client_id: 'clbp-pathway', grant_id: 'g' })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(ISSUER)
      .setAudience(FHIR_BASE)
      .setExpirationTime(ISSUED_MS / 1000 + 60)
      .sign(key.privateKey);
    expect(await verifier()(`Bearer ${bare}`)).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
