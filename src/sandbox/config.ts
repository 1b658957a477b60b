/**
 * Sandbox settings read from the environment, validated once at start so a typo in a fault switch
 * fails loudly instead of silently testing the happy path.
 */

export interface SandboxEnvConfig {
  /** Access-token lifetime in seconds (`SANDBOX_TOKEN_TTL_S`, default 3600). */
  readonly tokenTtlS: number;
  /** `SANDBOX_NO_S256=1`: discovery stops advertising S256 (PKCE stays required). */
  readonly noS256: boolean;
  /** `SANDBOX_NARROW_SCOPES`: scope prefixes or resource types the server refuses to grant. */
  readonly narrowScopes: readonly string[];
  /** `SANDBOX_EHR_CONSENT=1`: show the consent screen in EHR launches too. */
  readonly ehrConsent: boolean;
}

export const DEFAULT_SANDBOX_PORT = 8110;
export const DEFAULT_APP_PORT = 5173;
const DEFAULT_TOKEN_TTL_S = 3600;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') {
    return false;
  }
  if (raw === '1' || raw === 'true') {
    return true;
  }
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

/** Parses a whole number in [min, max]; `undefined`/empty gives the fallback. */
export function intSetting(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Splits a comma list, dropping blanks. */
export function parseNarrowing(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function configFromEnv(env: NodeJS.ProcessEnv): SandboxEnvConfig {
  return {
    tokenTtlS: intSetting(env, 'SANDBOX_TOKEN_TTL_S', DEFAULT_TOKEN_TTL_S, 1, 86_400),
    noS256: flag(env, 'SANDBOX_NO_S256'),
    narrowScopes: parseNarrowing(env['SANDBOX_NARROW_SCOPES']),
    ehrConsent: flag(env, 'SANDBOX_EHR_CONSENT'),
  };
}

export function portsFromEnv(env: NodeJS.ProcessEnv): { sandboxPort: number; appPort: number } {
  return {
    sandboxPort: intSetting(env, 'SANDBOX_PORT', DEFAULT_SANDBOX_PORT, 0, 65_535),
    appPort: intSetting(env, 'APP_PORT', DEFAULT_APP_PORT, 0, 65_535),
  };
}
