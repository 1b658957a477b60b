/** What the authorization server's handlers share. */
import type { ClientRegistry } from './clients.ts';
import type { AuthUrls } from './discovery.ts';
import type { Directory } from './pages.ts';
import type { AuthState } from './state.ts';
import type { SigningKey } from './tokens.ts';

/** Settings that tests may change while the sandbox runs. */
export interface AuthSettings {
  /** Narrowing rules (scope prefixes or resource types) the server refuses to grant. */
  narrowing: readonly string[];
  tokenTtlS: number;
  ehrConsent: boolean;
  advertiseS256: boolean;
}

export interface AuthDeps {
  readonly clients: () => ClientRegistry;
  readonly state: AuthState;
  readonly key: SigningKey;
  readonly directory: Directory;
  readonly settings: AuthSettings;
  readonly urls: () => AuthUrls;
  readonly fhirBase: () => string;
  readonly allowedOrigins: () => readonly string[];
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}
