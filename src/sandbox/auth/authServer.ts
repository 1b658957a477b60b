/**
 * The sandbox's strict SMART authorization server: routes, run-time fault controls, the launch
 * registry the EHR simulator writes to, and the TokenVerifier the FHIR server reads with.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenVerifier } from '../accessContext.ts';
import type { SandboxEnvConfig } from '../config.ts';
import { handleAuthorize } from './authorize.ts';
import { loadClients } from './clients.ts';
import type { ClientRegistry } from './clients.ts';
import type { AuthDeps, AuthSettings } from './deps.ts';
import { smartConfiguration } from './discovery.ts';
import type { AuthUrls } from './discovery.ts';
import { applyCors, sendJson } from './http.ts';
import { handleInteract } from './interact.ts';
import { handleToken } from './token.ts';
import type { Directory } from './pages.ts';
import { AuthState, LIFETIMES_MS, randomId } from './state.ts';
import type { LaunchContext } from './state.ts';
import { createSigningKey, createTokenVerifier } from './tokens.ts';

interface AuthServerOptions {
  /** The sandbox origin, e.g. http://127.0.0.1:8110 (known only once the server listens). */
  readonly origin: () => string;
  readonly fhirBase: () => string;
  readonly appOrigin: () => string;
  readonly directory: Directory;
  readonly config: SandboxEnvConfig;
  /** Milliseconds since the epoch; defaults to the wall clock. */
  readonly now?: () => number;
}

/** Run-time switches for in-process tests (the env variables set their start values). */
export interface AuthControls {
  /** Refuse scopes matching these prefixes or resource types (SANDBOX_NARROW_SCOPES); [] resets. */
  setNarrowing(rules: readonly string[]): void;
  /** Lifetime of access tokens issued from now on (SANDBOX_TOKEN_TTL_S). */
  setTokenTtl(seconds: number): void;
  /** Show the consent screen in EHR launches too (SANDBOX_EHR_CONSENT). */
  setEhrConsent(on: boolean): void;
  /** Advertise S256 in discovery or not (SANDBOX_NO_S256); PKCE stays required either way. */
  setAdvertiseS256(on: boolean): void;
}

interface AuthServer {
  /** Handles /auth/* and /.well-known/smart-configuration; false when the path is not ours. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  readonly verifyToken: TokenVerifier;
  smartConfiguration(): Record<string, unknown>;
  urls(): AuthUrls;
  /** Registers an EHR launch context and returns its opaque `launch` id. */
  createLaunch(context: LaunchContext): string;
  clients(): ClientRegistry;
  readonly controls: AuthControls;
}

export async function createAuthServer(o: AuthServerOptions): Promise<AuthServer> {
  const now = o.now ?? (() => Date.now());
  const key = await createSigningKey();
  const state = new AuthState(now);
  const settings: AuthSettings = {
    narrowing: [...o.config.narrowScopes],
    tokenTtlS: o.config.tokenTtlS,
    ehrConsent: o.config.ehrConsent,
    advertiseS256: !o.config.noS256,
  };
  const clients = clientsFor(o.appOrigin);
  const urls = (): AuthUrls => authUrls(o.origin());
  const allowedOrigins = (): readonly string[] => [o.appOrigin()];
  const deps: AuthDeps = {
    clients,
    state,
    key,
    directory: o.directory,
    settings,
    urls,
    fhirBase: o.fhirBase,
    allowedOrigins,
    now,
  };
  const discovery = (): Record<string, unknown> =>
    smartConfiguration(urls(), settings.advertiseS256);

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    switch (url.pathname) {
      case '/auth/authorize':
        await handleAuthorize(req, res, url, deps);
        return true;
      case '/auth/interact':
        await handleInteract(req, res, url, deps);
        return true;
      case '/auth/token':
        await handleToken(req, res, url, deps);
        return true;
      case '/auth/jwks.json':
      case '/.well-known/smart-configuration':
        if (!applyCors(req, res, allowedOrigins(), 'GET, OPTIONS')) {
          sendJson(res, 200, url.pathname === '/auth/jwks.json' ? key.jwks : discovery());
        }
        return true;
      default:
        return false;
    }
  };

  return {
    handle,
    verifyToken: createTokenVerifier(key, {
      issuer: () => urls().issuer,
      fhirBase: o.fhirBase,
      isRevoked: (g) => state.isRevoked(g),
      now,
    }),
    smartConfiguration: discovery,
    urls,
    clients,
    createLaunch(context) {
      const id = randomId(18);
      state.launches.set(id, context, LIFETIMES_MS.launch);
      return id;
    },
    controls: controlsOver(settings),
  };
}

/** The authorization server's endpoints under the sandbox origin. */
function authUrls(origin: string): AuthUrls {
  return {
    issuer: `${origin}/auth`,
    authorize: `${origin}/auth/authorize`,
    token: `${origin}/auth/token`,
    jwks: `${origin}/auth/jwks.json`,
    smartStyle: `${origin}/ehr/smart-style.json`,
  };
}

/** clients.json with the app's origin filled in, read again only when that origin changes. */
function clientsFor(appOrigin: () => string): () => ClientRegistry {
  let registry: { appOrigin: string; clients: ClientRegistry } | undefined;
  return () => {
    const origin = appOrigin();
    if (registry?.appOrigin !== origin) {
      registry = { appOrigin: origin, clients: loadClients(origin) };
    }
    return registry.clients;
  };
}

/** The run-time switches tests and the EHR simulator flip (narrowing, token lifetime, consent). */
function controlsOver(settings: AuthSettings): AuthControls {
  return {
    setNarrowing(rules) {
      settings.narrowing = [...rules];
    },
    setTokenTtl(seconds) {
      if (!Number.isInteger(seconds) || seconds < 1) {
        throw new RangeError(
          `token lifetime must be a whole number of seconds ≥ 1, got ${seconds}`,
        );
      }
      settings.tokenTtlS = seconds;
    },
    setEhrConsent(on) {
      settings.ehrConsent = on;
    },
    setAdvertiseS256(on) {
      settings.advertiseS256 = on;
    },
  };
}
