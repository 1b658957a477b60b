/**
 * The sandbox's SMART authorization server, end to end over HTTP against the real sandbox
 * (FHIR server, auth server, EHR simulator) on free ports.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { decodeJwt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './harness/browser.ts';
import { createPkce } from './harness/pkce.ts';
import { startTestSandbox } from './harness/sandbox.ts';
import type { Sandbox } from './harness/sandbox.ts';
import {
  APP_CLIENT_ID,
  APP_EHR_SCOPE,
  authorizeEhr,
  authorizeUrl,
  backendAssertion,
  backendToken,
  backendTokenRequest,
  ehrLaunchId,
  ehrLaunchToken,
  exchangeCode,
  fetchManual,
  fhirFetch,
  formRequestId,
  location,
  postForm,
  standaloneToken,
  tokenRequest,
} from './harness/smart.ts';
import type { OAuthErrorBody, TokenResponse } from './harness/smart.ts';

interface Bundle {
  readonly entry?: readonly {
    readonly resource: { readonly resourceType: string; readonly subject?: { reference?: string } };
  }[];
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('discovery', () => {
  it('advertises the endpoints, PKCE S256 and the SMART capabilities at the FHIR base', async () => {
    const res = await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`);
    expect(res.status).toBe(200);
    const conf = (await res.json()) as Record<string, unknown>;
    expect(conf).toMatchObject({
      authorization_endpoint: `${sandbox.origin}/auth/authorize`,
      token_endpoint: `${sandbox.origin}/auth/token`,
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    });
    expect(conf['capabilities']).toEqual(
      expect.arrayContaining([
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'client-confidential-asymmetric',
        'context-banner',
        'permission-v2',
        'sso-openid-connect',
        'authorize-post',
      ]),
    );
  });

  it('lets the app origin call the token endpoint (CORS preflight)', async () => {
    const res = await fetch(`${sandbox.origin}/auth/token`, {
      method: 'OPTIONS',
      headers: { Origin: sandbox.appOrigin, 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(sandbox.appOrigin);
  });
});

describe('EHR launch', () => {
  it('redirects /ehr/launch to the app launch page with iss and an opaque launch id', async () => {
    const res = await fetchManual(sandbox.launchUrl('clbp-eligible', 'pcp-1'));
    expect(res.status).toBe(302);
    const to = location(res);
    expect(`${to.origin}${to.pathname}`).toBe(`${sandbox.appOrigin}/launch/launch.html`);
    expect(to.searchParams.get('iss')).toBe(sandbox.fhirBase);
    expect(to.searchParams.get('launch')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  });

  it('answers 404 with a clear message for an unknown patient', async () => {
    const res = await fetchManual(sandbox.launchUrl('no-such-patient'));
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/There is no Patient .{0,6}no-such-patient/);
  });

  it('issues a token for the launch patient that reads that patient', async () => {
    const token = await ehrLaunchToken(sandbox, {
      patient: 'clbp-eligible',
      practitioner: 'pcp-1',
    });
    expect(token).toMatchObject({
      token_type: 'Bearer',
      patient: 'clbp-eligible',
      need_patient_banner: true,
    });
    expect(token.smart_style_url).toBe(`${sandbox.origin}/ehr/smart-style.json`);
    expect(token.scope.split(' ')).toEqual(APP_EHR_SCOPE.split(' '));
    expect(token.refresh_token).toEqual(expect.any(String)); // online_access
    const claims = decodeJwt(token.access_token);
    expect(claims).toMatchObject({
      aud: sandbox.fhirBase,
      patient: 'clbp-eligible',
      fhirUser: 'Practitioner/pcp-1',
      client_id: APP_CLIENT_ID,
    });
    expect(decodeJwt(token.id_token ?? '')).toMatchObject({
      aud: APP_CLIENT_ID,
      fhirUser: `${sandbox.fhirBase}/Practitioner/pcp-1`,
    });

    const read = await fhirFetch(sandbox, token.access_token, 'Patient/clbp-eligible');
    expect(read.status).toBe(200);
    expect(((await read.json()) as { id: string }).id).toBe('clbp-eligible');
  });

  it('tells an app embedded in the EHR frame not to draw its own patient banner', async () => {
    const token = await ehrLaunchToken(sandbox, { patient: 'minor', embedded: true });
    expect(token.need_patient_banner).toBe(false);
  });

  it('refuses an unknown launch id back at the redirect URI', async () => {
    const res = await fetchManual(
      authorizeUrl(sandbox, { scope: APP_EHR_SCOPE, launch: 'forged-launch' }, createPkce()),
    );
    const back = location(res);
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('state-123');
  });

  it('grants fewer scopes when the sandbox narrows them at run time', async () => {
    sandbox.auth.setNarrowing(['MedicationStatement', 'online_access']);
    try {
      const token = await ehrLaunchToken(sandbox, { patient: 'opioid-taper' });
      expect(token.scope).not.toContain('MedicationStatement');
      expect(token.scope).toContain('patient/MedicationRequest.rs');
      expect(token.refresh_token).toBeUndefined();
      const meds = await fhirFetch(
        sandbox,
        token.access_token,
        'MedicationStatement?patient=opioid-taper',
      );
      expect(meds.status).toBe(403);
    } finally {
      sandbox.auth.setNarrowing([]);
    }
  });
});

describe('authorization endpoint variants', () => {
  it('accepts the authorization request as a POSTed form (authorize-post)', async () => {
    const launch = await ehrLaunchId(sandbox, 'referred-followup');
    const pkce = createPkce();
    const url = authorizeUrl(sandbox, { scope: APP_EHR_SCOPE, launch }, pkce);
    const res = await postForm(
      `${sandbox.origin}/auth/authorize`,
      Object.fromEntries(url.searchParams),
    );
    const code = location(res).searchParams.get('code') ?? '';
    const token = (await (
      await exchangeCode(sandbox, code, pkce.verifier)
    ).json()) as TokenResponse;
    expect(token.patient).toBe('referred-followup');
  });

  it('shows the consent screen in an EHR launch when EHR consent is switched on', async () => {
    sandbox.auth.setEhrConsent(true);
    try {
      const launch = await ehrLaunchId(sandbox, 'clbp-eligible');
      const res = await fetchManual(
        authorizeUrl(sandbox, { scope: APP_EHR_SCOPE, launch }, createPkce()),
      );
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('Allow CLBP Pathway access?');
      expect(html).toContain('value="patient/MedicationStatement.rs" checked');
    } finally {
      sandbox.auth.setEhrConsent(false);
    }
  });

  it('uses a launch only once', async () => {
    const launch = await ehrLaunchId(sandbox, 'clbp-eligible');
    const first = await fetchManual(
      authorizeUrl(sandbox, { scope: APP_EHR_SCOPE, launch }, createPkce()),
    );
    expect(location(first).searchParams.get('code')).not.toBeNull();
    const again = await fetchManual(
      authorizeUrl(sandbox, { scope: APP_EHR_SCOPE, launch }, createPkce()),
    );
    expect(location(again).searchParams.get('error')).toBe('invalid_request');
  });

  it('refuses an audience other than the FHIR base', async () => {
    const launch = await ehrLaunchId(sandbox, 'clbp-eligible');
    const res = await fetchManual(
      authorizeUrl(
        sandbox,
        { scope: APP_EHR_SCOPE, launch, aud: 'https://other.example/fhir' },
        createPkce(),
      ),
    );
    expect(location(res).searchParams.get('error')).toBe('invalid_request');
  });
});

/**
 * Runs the sandbox's command line in a child process without blocking this process's event loop:
 * the sandbox under test lives here, and a loop blocked for seconds leaves its keep-alive sockets
 * to be closed under the next request.
 */
function sandboxCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['src/sandbox/main.ts', ...args],
      { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 30_000 },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : error.code;
        resolve({ status: typeof code === 'number' ? code : null, stderr });
      },
    );
  });
}

describe('sandbox command line', () => {
  it('exits non-zero with a one-line message when the port is taken', async () => {
    const port = new URL(sandbox.origin).port;
    const run = await sandboxCli([], { ...process.env, SANDBOX_PORT: port, APP_PORT: '0' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `error: port ${port} is already in use; stop the other server or set SANDBOX_PORT / APP_PORT`,
    );
  });

  it('refuses a cohort size that is not a whole number', async () => {
    const run = await sandboxCli(['--cohort', 'many']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--cohort needs a whole number');
  });
});

describe('standalone launch', () => {
  const scope =
    'launch/patient openid fhirUser offline_access patient/Patient.rs patient/Observation.rs';

  it('goes through sign-in, patient picker and consent, and grants only the ticked scopes', async () => {
    const granted = ['launch/patient', 'openid', 'fhirUser', 'patient/Patient.rs'];
    const token = await standaloneToken(sandbox, {
      practitioner: 'coordinator-1',
      patient: 'opioid-taper',
      scope,
      grant: granted,
    });
    expect(token.scope.split(' ')).toEqual(granted);
    expect(token.patient).toBe('opioid-taper');
    expect(token.need_patient_banner).toBe(true);
    expect(token.refresh_token).toBeUndefined(); // offline_access was unticked
    expect(decodeJwt(token.id_token ?? '')['fhirUser']).toBe(
      `${sandbox.fhirBase}/Practitioner/coordinator-1`,
    );
    expect((await fhirFetch(sandbox, token.access_token, 'Patient/opioid-taper')).status).toBe(200);
    expect(
      (await fhirFetch(sandbox, token.access_token, 'Observation?patient=opioid-taper')).status,
    ).toBe(403);
  });

  it('sends the user back with access_denied when they deny', async () => {
    const signIn = await fetchManual(
      authorizeUrl(sandbox, { scope, state: 'deny-me' }, createPkce()),
    );
    const request = formRequestId(await signIn.text());
    const interact = `${sandbox.origin}/auth/interact`;
    await (await postForm(interact, { request, action: 'sign-in', practitioner: 'pcp-1' })).text();
    await (
      await postForm(interact, { request, action: 'choose-patient', patient: 'clbp-eligible' })
    ).text();
    const back = location(await postForm(interact, { request, action: 'deny' }));
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('deny-me');
  });
});

describe('the authorization server under anonymous and out-of-order requests', () => {
  const scope = 'launch/patient openid fhirUser patient/Patient.rs';
  const interact = (): string => `${sandbox.origin}/auth/interact`;

  async function newRequest(): Promise<string> {
    const page = await fetchManual(authorizeUrl(sandbox, { scope }, createPkce()));
    return formRequestId(await page.text());
  }

  it('holds at most 1000 authorizations in progress: the oldest goes, memory does not grow', async () => {
    const oldest = await newRequest();
    for (let i = 0; i < 1000; i++) {
      await (await fetchManual(authorizeUrl(sandbox, { scope }, createPkce()))).text();
    }
    const newest = await newRequest();
    const gone = await postForm(interact(), {
      request: oldest,
      action: 'sign-in',
      practitioner: 'pcp-1',
    });
    expect([gone.status, await gone.text()]).toEqual([
      400,
      expect.stringContaining('Sign-in expired'),
    ]);
    const kept = await postForm(interact(), {
      request: newest,
      action: 'sign-in',
      practitioner: 'pcp-1',
    });
    expect([kept.status, await kept.text()]).toEqual([
      200,
      expect.stringContaining('Choose a patient'),
    ]);
  });

  it('refuses consent posted before sign-in, and a patient chosen before sign-in', async () => {
    const request = await newRequest();
    const consent = await postForm(interact(), { request, action: 'approve', scope: 'openid' });
    expect([consent.status, await consent.text()]).toEqual([
      400,
      expect.stringContaining('Sign in and choose the patient before allowing access.'),
    ]);
    const patient = await postForm(interact(), {
      request,
      action: 'choose-patient',
      patient: 'clbp-eligible',
    });
    expect(await patient.text()).toContain('Sign in before choosing a patient.');
    await (
      await postForm(interact(), { request, action: 'sign-in', practitioner: 'pcp-1' })
    ).text();
    const early = await postForm(interact(), { request, action: 'approve', scope: 'openid' });
    expect([early.status, early.headers.get('location')]).toEqual([400, null]);
  });

  it('asks the user before granting user/ write scopes in an EHR launch', async () => {
    const launch = await ehrLaunchId(sandbox, 'clbp-eligible');
    const res = await fetchManual(
      authorizeUrl(
        sandbox,
        { scope: 'launch openid user/Observation.cruds', launch },
        createPkce(),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('Allow CLBP Pathway access?');
  });
});

describe('authorization code', () => {
  it('is single-use: a replay is refused and revokes the tokens issued from it', async () => {
    const { code, pkce } = await authorizeEhr(sandbox, { patient: 'clbp-eligible' });
    const first = (await (
      await exchangeCode(sandbox, code, pkce.verifier)
    ).json()) as TokenResponse;
    const replay = await exchangeCode(sandbox, code, pkce.verifier);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as OAuthErrorBody).error).toBe('invalid_grant');
    expect((await fhirFetch(sandbox, first.access_token, 'Patient/clbp-eligible')).status).toBe(
      401,
    );
  });

  it('refuses a wrong code verifier', async () => {
    const { code } = await authorizeEhr(sandbox, { patient: 'clbp-eligible' });
    const res = await exchangeCode(sandbox, code, createPkce().verifier);
    expect(res.status).toBe(400);
    const body = (await res.json()) as OAuthErrorBody;
    expect(body.error).toBe('invalid_grant');
    expect(body.error_description).toContain('code_verifier');
  });

  it('refuses a redirect_uri that differs from the authorization request', async () => {
    const { code, pkce } = await authorizeEhr(sandbox, { patient: 'clbp-eligible' });
    const res = await exchangeCode(sandbox, code, pkce.verifier, `${sandbox.appOrigin}/index.html`);
    expect(((await res.json()) as OAuthErrorBody).error).toBe('invalid_grant');
  });

  it.each([
    ['no code challenge', null, 'S256'],
    ['no challenge method', undefined, null],
    ['the plain method', undefined, 'plain'],
  ])(
    'refuses an authorization request with %s (PKCE S256 required)',
    async (_label, challenge, method) => {
      const launch = await ehrLaunchId(sandbox, 'clbp-eligible');
      const res = await fetchManual(
        authorizeUrl(
          sandbox,
          { scope: APP_EHR_SCOPE, launch, codeChallenge: challenge, codeChallengeMethod: method },
          createPkce(),
        ),
      );
      const back = location(res);
      expect(back.origin).toBe(sandbox.appOrigin);
      expect(back.searchParams.get('error')).toBe('invalid_request');
      expect(back.searchParams.get('code')).toBeNull();
    },
  );

  it('never redirects to an unregistered redirect URI', async () => {
    const res = await fetchManual(
      authorizeUrl(
        sandbox,
        { scope: APP_EHR_SCOPE, redirectUri: 'https://evil.example/cb' },
        createPkce(),
      ),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('not registered');
  });

  it('refuses an unknown client with an error page, not a redirect', async () => {
    const res = await fetchManual(
      authorizeUrl(sandbox, { scope: APP_EHR_SCOPE, clientId: 'someone-else' }, createPkce()),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('refuses a token request from an unknown client with 401 invalid_client', async () => {
    const res = await tokenRequest(sandbox, {
      grant_type: 'authorization_code',
      code: 'x',
      code_verifier: 'y',
      client_id: 'nobody',
      redirect_uri: `${sandbox.appOrigin}/`,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as OAuthErrorBody).error).toBe('invalid_client');
  });
});

describe('FHIR access with tokens', () => {
  it('answers 401 without a token', async () => {
    expect((await fhirFetch(sandbox, undefined, 'Patient/clbp-eligible')).status).toBe(401);
  });

  it("keeps a clbp-eligible token out of opioid-taper's data", async () => {
    const token = await ehrLaunchToken(sandbox, { patient: 'clbp-eligible' });
    // 404, as for a patient that does not exist: the answer does not say the record is there.
    expect((await fhirFetch(sandbox, token.access_token, 'Patient/opioid-taper')).status).toBe(404);
    const system = await backendToken(sandbox, 'system/MedicationStatement.rs');
    const all = (await (
      await fhirFetch(
        sandbox,
        system.access_token,
        'MedicationStatement?subject=Patient/opioid-taper',
      )
    ).json()) as Bundle;
    expect(all.entry?.length ?? 0).toBeGreaterThan(0);
    const search = await fhirFetch(
      sandbox,
      token.access_token,
      'MedicationStatement?subject=Patient/opioid-taper',
    );
    const leaked = search.status === 200 ? (((await search.json()) as Bundle).entry ?? []) : [];
    expect(leaked.filter((e) => e.resource.subject?.reference === 'Patient/opioid-taper')).toEqual(
      [],
    );
  });

  it('refuses a create without a write scope', async () => {
    const token = await ehrLaunchToken(sandbox, {
      patient: 'clbp-eligible',
      scope: 'launch patient/Observation.rs',
    });
    const res = await fhirFetch(sandbox, token.access_token, 'Observation', {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { text: 'x' },
        subject: { reference: 'Patient/clbp-eligible' },
      }),
    });
    expect(res.status).toBe(403);
  });
});

describe('refresh tokens', () => {
  it('rotate: the new refresh token works and the old one is refused', async () => {
    const token = await ehrLaunchToken(sandbox, { patient: 'clbp-eligible' });
    const refresh = (fields: string): Promise<Response> =>
      tokenRequest(sandbox, {
        grant_type: 'refresh_token',
        refresh_token: fields,
        client_id: APP_CLIENT_ID,
      });
    const next = (await (await refresh(token.refresh_token ?? '')).json()) as TokenResponse;
    expect(next.refresh_token).toEqual(expect.any(String));
    expect(next.refresh_token).not.toBe(token.refresh_token);
    expect(next.patient).toBe('clbp-eligible');
    expect((await fhirFetch(sandbox, next.access_token, 'Patient/clbp-eligible')).status).toBe(200);
    const old = await refresh(token.refresh_token ?? '');
    expect(old.status).toBe(400);
    expect(((await old.json()) as OAuthErrorBody).error).toBe('invalid_grant');
  });
});

describe('backend services (client_credentials with private_key_jwt)', () => {
  it('issues a system token to the registered key that can search any patient', async () => {
    const token = await backendToken(sandbox, 'system/Patient.rs system/Observation.rs');
    expect(token.scope).toBe('system/Patient.rs system/Observation.rs');
    const res = await fhirFetch(sandbox, token.access_token, 'Patient?_count=50');
    expect(((await res.json()) as Bundle).entry?.length).toBeGreaterThanOrEqual(8);
  });

  it('refuses a replayed assertion', async () => {
    const assertion = await backendAssertion(sandbox);
    expect((await backendTokenRequest(sandbox, assertion, 'system/Patient.rs')).status).toBe(200);
    const replay = await backendTokenRequest(sandbox, assertion, 'system/Patient.rs');
    expect(replay.status).toBe(401);
    const body = (await replay.json()) as OAuthErrorBody;
    expect(body.error).toBe('invalid_client');
    expect(body.error_description).toContain('replay');
  });

  it('refuses an assertion signed by a key that is not registered', async () => {
    const { privateKey } = await generateKeyPair('ES384');
    const forged = await backendAssertion(sandbox, {
      key: { key: privateKey, kid: 'not-registered' },
    });
    const res = await backendTokenRequest(sandbox, forged, 'system/Patient.rs');
    expect(res.status).toBe(401);
    expect(((await res.json()) as OAuthErrorBody).error).toBe('invalid_client');
  });

  it('refuses an assertion that expires more than five minutes ahead', async () => {
    const longLived = await backendAssertion(sandbox, { expiresInS: 3600 });
    const res = await backendTokenRequest(sandbox, longLived, 'system/Patient.rs');
    expect(res.status).toBe(401);
    expect(((await res.json()) as OAuthErrorBody).error_description).toContain('five minutes');
  });

  it('refuses patient scopes to the backend client', async () => {
    const res = await backendTokenRequest(
      sandbox,
      await backendAssertion(sandbox),
      'patient/Patient.rs',
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as OAuthErrorBody).error).toBe('invalid_scope');
  });

  it('refuses an assertion addressed to another token endpoint', async () => {
    const wrongAud = await backendAssertion(sandbox, { audience: 'https://other.example/token' });
    expect((await backendTokenRequest(sandbox, wrongAud, 'system/Patient.rs')).status).toBe(401);
  });
});

describe('fault switches from the environment', () => {
  let faulty: Sandbox;
  beforeAll(async () => {
    faulty = await startTestSandbox({
      env: {
        // Long enough for the first request on a loaded machine (at 1 s it once came too late).
        SANDBOX_TOKEN_TTL_S: '3',
        SANDBOX_NO_S256: '1',
        SANDBOX_NARROW_SCOPES: 'patient/Observation',
      },
    });
  });
  afterAll(async () => {
    await faulty.close();
  });

  it('leaves S256 out of discovery with SANDBOX_NO_S256=1', async () => {
    const conf = (await (
      await fetch(`${faulty.fhirBase}/.well-known/smart-configuration`)
    ).json()) as Record<string, unknown>;
    expect(conf['code_challenge_methods_supported']).toEqual([]);
  });

  it('narrows the grant with SANDBOX_NARROW_SCOPES and expires tokens after SANDBOX_TOKEN_TTL_S', async () => {
    const token = await ehrLaunchToken(faulty, { patient: 'clbp-eligible' });
    const issuedBy = Date.now();
    expect(token.expires_in).toBe(3);
    expect(token.scope).not.toContain('Observation');
    expect((await fhirFetch(faulty, token.access_token, 'Patient/clbp-eligible')).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, issuedBy + 3100 - Date.now())));
    const res = await fhirFetch(faulty, token.access_token, 'Patient/clbp-eligible');
    expect(res.status).toBe(401);
  });
});

describe('EHR simulator page', () => {
  it('lists every seeded patient with a Launch action', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${sandbox.origin}/`);
      const rows = page.locator('#patients tbody tr');
      expect(await rows.count()).toBe(sandbox.patients.length);
      for (const p of sandbox.patients) {
        await page.locator(`#launch-${p.id}`).waitFor();
      }
      expect(await page.getByLabel('Signed-in clinician').inputValue()).toBe('pcp-1');
      mkdirSync('/tmp/clbp-e2e', { recursive: true });
      await page.screenshot({ path: '/tmp/clbp-e2e/ehr-simulator.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('has no WCAG 2 A/AA violations on the EHR page and the sign-in, patient and consent pages', async () => {
    const browser = await launchChromium();
    try {
      const page = await (await browser.newContext()).newPage();
      const violations = async (): Promise<string[]> => {
        const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
        return result.violations.map((v) => `${v.id}: ${v.help}`);
      };
      await page.goto(`${sandbox.origin}/`);
      expect(await violations()).toEqual([]);
      const scope = 'launch/patient openid fhirUser patient/Patient.rs';
      await page.goto(authorizeUrl(sandbox, { scope }, createPkce()).href);
      expect(await violations()).toEqual([]);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Continue' }).waitFor();
      expect(await violations()).toEqual([]);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Allow' }).waitFor();
      expect(await violations()).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('answers /favicon.ico with an empty 204, not a 404', async () => {
    const response = await fetch(`${sandbox.origin}/favicon.ico`);
    expect(response.status).toBe(204);
    await expect(response.text()).resolves.toBe('');
  });

  it('lets a browser user sign in, pick a patient and consent through labelled forms, without a console error or a failed request', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // The sign-in pages load nothing that fails (a favicon request answered 404 was a console
      // error).
      const problems: string[] = [];
      // (The app's page is a stub here: only the sandbox's own pages are checked.)
      page.on('console', (message) => {
        if (message.type() === 'error' && message.location().url.startsWith(sandbox.origin)) {
          problems.push(`console: ${message.text()}`);
        }
      });
      page.on('response', (response) => {
        if (response.status() >= 400 && response.url().startsWith(sandbox.origin)) {
          problems.push(`${String(response.status())} ${response.url()}`);
        }
      });
      // Only the authorization pages are under test: the app's own page is replaced by a stub.
      await page.route(`${sandbox.appOrigin}/**`, (route) =>
        route.fulfill({ contentType: 'text/html', body: '<title>app</title>' }),
      );
      const pkce = createPkce();
      await page.goto(
        authorizeUrl(
          sandbox,
          { scope: 'launch/patient openid fhirUser patient/Patient.rs', state: 'browser' },
          pkce,
        ).href,
      );
      // It declares no icon, as the app's pages do, so a browser does not ask for /favicon.ico
      // (headless Chromium never asks; a desktop browser did, and logged the 404).
      await expect(page.locator('link[rel="icon"]').getAttribute('href')).resolves.toBe('data:,');
      await page.getByLabel('Dr. Elena Morgan').check();
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel(/Linda Haskins/).check();
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('checkbox', { name: /openid/ }).uncheck();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((u) => u.searchParams.has('code'));
      const back = new URL(page.url());
      expect(back.origin).toBe(sandbox.appOrigin);
      expect(back.searchParams.get('state')).toBe('browser');
      const token = (await (
        await exchangeCode(sandbox, back.searchParams.get('code') ?? '', pkce.verifier)
      ).json()) as TokenResponse;
      expect(token.scope).toBe('launch/patient fhirUser patient/Patient.rs');
      expect(token.id_token).toBeUndefined();
      expect(token.patient).toBe('fentanyl-patch');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
