import { describe, expect, it } from 'vitest';
import { clientMayHave, loadClients } from '../../../src/sandbox/auth/clients.ts';
import {
  ConfigError,
  configFromEnv,
  parseNarrowing,
  portsFromEnv,
} from '../../../src/sandbox/config.ts';

describe('client registry', () => {
  it('expands ${APP_ORIGIN} in the app client redirect URIs and launch URL', () => {
    const app = loadClients('http://127.0.0.1:40001').get('clbp-pathway');
    expect(app).toMatchObject({
      type: 'public',
      redirectUris: ['http://127.0.0.1:40001/', 'http://127.0.0.1:40001/index.html'],
      launchUri: 'http://127.0.0.1:40001/launch/launch.html',
    });
  });

  it('registers the backend client with a public ES384 key only (no private part)', () => {
    const backend = loadClients('http://x').get('clbp-research');
    expect(backend?.type).toBe('confidential-asymmetric');
    const keys = backend?.type === 'confidential-asymmetric' ? backend.jwks.keys : [];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('does not know unregistered clients', () => {
    expect(loadClients('http://x').get('someone-else')).toBeUndefined();
  });

  it('refuses a registry entry of an unknown client type', () => {
    const doc = {
      clients: [{ clientId: 'a', name: 'A', type: 'symmetric', allowedScopePrefixes: [] }],
    };
    expect(() => loadClients('http://x', doc)).toThrow(/type must be/);
  });

  it('matches exact scope names and prefixes ending in a slash', () => {
    const app = loadClients('http://x').get('clbp-pathway');
    expect(app && clientMayHave(app, 'launch/patient')).toBe(true);
    expect(app && clientMayHave(app, 'launchpad')).toBe(false);
    expect(app && clientMayHave(app, 'patient/Observation.rs')).toBe(true);
  });
});

describe('sandbox settings from the environment', () => {
  it('defaults to one-hour tokens, S256 advertised, nothing narrowed, no EHR consent', () => {
    expect(configFromEnv({})).toEqual({
      tokenTtlS: 3600,
      noS256: false,
      narrowScopes: [],
      ehrConsent: false,
    });
  });

  it('reads the fault switches', () => {
    const env = {
      SANDBOX_TOKEN_TTL_S: '5',
      SANDBOX_NO_S256: '1',
      SANDBOX_NARROW_SCOPES: ' Observation, offline_access ,',
      SANDBOX_EHR_CONSENT: 'true',
    };
    expect(configFromEnv(env)).toEqual({
      tokenTtlS: 5,
      noS256: true,
      narrowScopes: ['Observation', 'offline_access'],
      ehrConsent: true,
    });
  });

  it.each([
    [{ SANDBOX_TOKEN_TTL_S: '0' }, /SANDBOX_TOKEN_TTL_S/],
    [{ SANDBOX_TOKEN_TTL_S: '1.5' }, /whole number/],
    [{ SANDBOX_NO_S256: 'yes' }, /SANDBOX_NO_S256 must be 1 or 0/],
  ])('refuses %o with a clear message', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(ConfigError);
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it('reads ports, defaulting to 8110 and 5173', () => {
    expect(portsFromEnv({})).toEqual({ sandboxPort: 8110, appPort: 5173 });
    expect(portsFromEnv({ SANDBOX_PORT: '0', APP_PORT: '9000' })).toEqual({
      sandboxPort: 0,
      appPort: 9000,
    });
    expect(() => portsFromEnv({ APP_PORT: '70000' })).toThrow(/APP_PORT/);
  });

  it('splits a narrowing list and drops blanks', () => {
    expect(parseNarrowing('a,,b ,')).toEqual(['a', 'b']);
    expect(parseNarrowing(undefined)).toEqual([]);
  });
});
