/**
 * The token endpoint: authorization_code (PKCE S256), refresh_token (rotating) and
 * client_credentials (private_key_jwt). Errors are RFC 6749 §5.2 JSON.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JWT_BEARER, verifyClientAssertion } from './clientAssertion.ts';
import type { AuthDeps } from './deps.ts';
import { BodyError, applyCors, readParams, sendJson, single } from './http.ts';
import { splitScope } from '../../fhir/smartScope.ts';
import { decideScopes } from './scopes.ts';
import { LIFETIMES_MS, randomId, userReference } from './state.ts';
import type { GrantContext } from './state.ts';
import { signAccessToken, signIdToken } from './tokens.ts';
import type { TokenSettings } from './tokens.ts';

class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly error: string;
  readonly status: 400 | 401;
  constructor(error: string, description: string, status: 400 | 401 = 400) {
    super(description);
    this.error = error;
    this.status = status;
  }
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** RFC 7636 §4.1: 43–128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

function required(params: URLSearchParams, name: string): string {
  const v = single(params, name);
  if (v === undefined) {
    throw new OAuthError('invalid_request', `${name} is required`);
  }
  return v;
}

function settings(deps: AuthDeps): TokenSettings {
  return {
    issuer: deps.urls().issuer,
    fhirBase: deps.fhirBase(),
    ttlS: deps.settings.tokenTtlS,
    now: deps.now(),
  };
}

/** Issues the token response of a user grant (authorization code or refresh). */
async function userTokenResponse(
  grant: GrantContext,
  deps: AuthDeps,
): Promise<Record<string, unknown>> {
  const s = settings(deps);
  const body: Record<string, unknown> = {
    access_token: await signAccessToken(deps.key, grant, s),
    token_type: 'Bearer',
    expires_in: s.ttlS,
    scope: grant.scopes.join(' '),
    need_patient_banner: grant.needPatientBanner,
    smart_style_url: deps.urls().smartStyle,
  };
  if (grant.patient !== undefined) {
    body['patient'] = grant.patient;
  }
  if (grant.encounter !== undefined) {
    body['encounter'] = grant.encounter;
  }
  const offline = grant.scopes.includes('offline_access');
  if (offline || grant.scopes.includes('online_access')) {
    const refresh = randomId(32);
    const ttl = offline ? LIFETIMES_MS.offlineRefresh : LIFETIMES_MS.onlineRefresh;
    deps.state.refreshTokens.set(refresh, { grant, rotated: false }, ttl);
    body['refresh_token'] = refresh;
  }
  const wantsIdentity = grant.scopes.includes('fhirUser') || grant.scopes.includes('profile');
  const user = userReference(grant);
  if (grant.scopes.includes('openid') && wantsIdentity && user !== undefined) {
    body['id_token'] = await signIdToken(deps.key, grant, user, s);
  }
  return body;
}

function publicClient(params: URLSearchParams, deps: AuthDeps): string {
  const clientId = required(params, 'client_id');
  const client = deps.clients().get(clientId);
  if (client?.type !== 'public') {
    throw new OAuthError(
      'invalid_client',
      `client_id "${clientId}" is not a registered public client`,
      401,
    );
  }
  return clientId;
}

async function authorizationCode(
  params: URLSearchParams,
  deps: AuthDeps,
): Promise<Record<string, unknown>> {
  const code = required(params, 'code');
  const redirectUri = required(params, 'redirect_uri');
  const verifier = required(params, 'code_verifier');
  const clientId = publicClient(params, deps);
  const rec = deps.state.codes.get(code);
  if (rec === undefined) {
    throw new OAuthError('invalid_grant', 'unknown or expired authorization code');
  }
  if (rec.used) {
    deps.state.revokeGrant(rec.grant.grantId);
    throw new OAuthError(
      'invalid_grant',
      'authorization code already used; the tokens issued from it are revoked',
    );
  }
  rec.used = true;
  if (rec.grant.clientId !== clientId) {
    throw new OAuthError('invalid_grant', 'authorization code was issued to another client');
  }
  if (rec.redirectUri !== redirectUri) {
    throw new OAuthError(
      'invalid_grant',
      'redirect_uri differs from the one in the authorization request',
    );
  }
  if (!VERIFIER.test(verifier)) {
    throw new OAuthError('invalid_grant', 'code_verifier must be 43-128 unreserved characters');
  }
  if (createHash('sha256').update(verifier).digest('base64url') !== rec.codeChallenge) {
    throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
  }
  return userTokenResponse(rec.grant, deps);
}

async function refreshToken(
  params: URLSearchParams,
  deps: AuthDeps,
): Promise<Record<string, unknown>> {
  const token = required(params, 'refresh_token');
  const clientId = publicClient(params, deps);
  const rec = deps.state.refreshTokens.get(token);
  if (rec === undefined || deps.state.isRevoked(rec.grant.grantId)) {
    throw new OAuthError('invalid_grant', 'unknown, expired or revoked refresh token');
  }
  if (rec.grant.clientId !== clientId) {
    throw new OAuthError('invalid_grant', 'refresh token was issued to another client');
  }
  if (rec.rotated) {
    // Reuse of a rotated token means it leaked (OAuth 2.0 Security BCP §4.14.2): end the grant.
    deps.state.revokeGrant(rec.grant.grantId);
    throw new OAuthError(
      'invalid_grant',
      'refresh token already used (rotated); the grant is revoked',
    );
  }
  const asked = splitScope(single(params, 'scope'));
  const beyond = asked.filter((s) => !rec.grant.scopes.includes(s));
  if (beyond.length > 0) {
    throw new OAuthError('invalid_scope', `scopes not in the original grant: ${beyond.join(' ')}`);
  }
  rec.rotated = true;
  const grant: GrantContext =
    asked.length > 0
      ? { ...rec.grant, scopes: rec.grant.scopes.filter((s) => asked.includes(s)) }
      : rec.grant;
  return userTokenResponse(grant, deps);
}

async function clientCredentials(
  params: URLSearchParams,
  deps: AuthDeps,
): Promise<Record<string, unknown>> {
  if (single(params, 'client_assertion_type') !== JWT_BEARER) {
    throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER}`, 401);
  }
  const check = await verifyClientAssertion(required(params, 'client_assertion'), deps);
  if (!check.ok) {
    throw new OAuthError('invalid_client', check.message, 401);
  }
  const requested = splitScope(required(params, 'scope'));
  const { granted } = decideScopes(requested, check.client, deps.settings.narrowing);
  if (granted.length === 0) {
    throw new OAuthError(
      'invalid_scope',
      'none of the requested scopes can be granted (backend clients get system/ scopes)',
    );
  }
  const grant: GrantContext = {
    grantId: randomId(16),
    clientId: check.client.clientId,
    scopes: granted,
    needPatientBanner: false,
  };
  const s = settings(deps);
  return {
    access_token: await signAccessToken(deps.key, grant, s),
    token_type: 'Bearer',
    expires_in: s.ttlS,
    scope: granted.join(' '),
  };
}

/** POST /auth/token (CORS-enabled for the app's origin). */
export async function handleToken(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AuthDeps,
): Promise<void> {
  if (applyCors(req, res, deps.allowedOrigins(), 'POST, OPTIONS')) {
    return;
  }
  try {
    if (req.method !== 'POST') {
      throw new OAuthError('invalid_request', 'the token endpoint accepts POST only');
    }
    const params = await readParams(req, url);
    const grantType = single(params, 'grant_type') ?? '';
    let body: Record<string, unknown>;
    switch (grantType) {
      case 'authorization_code':
        body = await authorizationCode(params, deps);
        break;
      case 'refresh_token':
        body = await refreshToken(params, deps);
        break;
      case 'client_credentials':
        body = await clientCredentials(params, deps);
        break;
      default:
        throw new OAuthError(
          'unsupported_grant_type',
          `grant_type "${grantType}" is not supported`,
        );
    }
    sendJson(res, 200, body, NO_STORE);
  } catch (err) {
    if (err instanceof OAuthError) {
      sendJson(res, err.status, { error: err.error, error_description: err.message }, NO_STORE);
    } else if (err instanceof BodyError) {
      sendJson(res, 400, { error: 'invalid_request', error_description: err.message }, NO_STORE);
    } else {
      throw err;
    }
  }
}
