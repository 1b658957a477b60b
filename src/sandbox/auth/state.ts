/**
 * Server-side state of the authorization server: launch contexts, authorizations in progress,
 * codes, refresh tokens, used assertion ids and revoked grants. In memory; the sandbox is one process.
 */
import { randomBytes } from 'node:crypto';

/** What the EHR tells the app at launch (held server-side behind an opaque `launch` id). */
export interface LaunchContext {
  /** Absent for a launch without a patient open (the programme staff's workspace). */
  readonly patient?: string;
  /** The signed-in clinician or staff member; absent when the patient is the user. */
  readonly practitioner?: string;
  /** A patient portal's launch: the signed-in user is this patient (the launch patient). */
  readonly patientUser?: string;
  /** False when the EHR shows its own patient banner (embedded/iframe launch). */
  readonly needPatientBanner: boolean;
  /** The visit the app was launched in (SMART `encounter` launch context). */
  readonly encounter?: string;
}

/** Everything a token grant carries from authorization to token (and on through refresh). */
export interface GrantContext {
  /** Ties codes, access tokens and refresh tokens of one authorization together (for revocation). */
  readonly grantId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly patient?: string;
  /** Practitioner id of the signed-in user. */
  readonly practitioner?: string;
  /** Patient id of the signed-in user, when a patient signed in (then `practitioner` is absent). */
  readonly patientUser?: string;
  readonly needPatientBanner: boolean;
  /** Encounter id of an EHR launch within a visit (returned as `encounter` with the token). */
  readonly encounter?: string;
  readonly nonce?: string;
}

interface AuthorizationCode {
  readonly grant: GrantContext;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  used: boolean;
}

interface RefreshTokenRecord {
  readonly grant: GrantContext;
  rotated: boolean;
}

/** An authorization request waiting for the user (sign-in, patient choice, consent). */
export interface PendingAuthorization {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
  readonly nonce?: string;
  /** Scopes the server is willing to grant; the user may untick some. */
  readonly offeredScopes: readonly string[];
  /** Requested scopes the server will not grant (unknown, not allowed for the client, narrowed). */
  readonly refusedScopes: readonly string[];
  readonly launch?: LaunchContext;
  readonly launchId?: string;
  readonly needsPatient: boolean;
  readonly needsConsent: boolean;
  practitioner?: string;
  /** A patient signed in as themselves (their own chart is the patient context). */
  patientUser?: string;
  patient?: string;
  /** Set when the user approves on the consent screen: the scopes left ticked. */
  consentedScopes?: readonly string[];
}

/** The signed-in user as a FHIR reference ('Practitioner/<id>' or 'Patient/<id>'), if any. */
export function userReference(who: {
  readonly practitioner?: string | undefined;
  readonly patientUser?: string | undefined;
}): string | undefined {
  if (who.patientUser !== undefined) {
    return `Patient/${who.patientUser}`;
  }
  return who.practitioner === undefined ? undefined : `Practitioner/${who.practitioner}`;
}

export function randomId(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A map whose entries disappear after their time to live, and which never holds more than
 * `maxEntries`: past that the oldest entry goes, so requests anyone can send (an authorization
 * request, an EHR launch) cannot grow the server's memory.
 */
class ExpiringMap<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #now: () => number;
  readonly #maxEntries: number;

  constructor(now: () => number, maxEntries = Number.POSITIVE_INFINITY) {
    this.#now = now;
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.#sweep();
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) {
        break;
      }
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
  }

  get(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (e === undefined) {
      return undefined;
    }
    if (e.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  values(): V[] {
    this.#sweep();
    return [...this.#entries.values()].map((e) => e.value);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [k, e] of this.#entries) {
      if (e.expiresAt <= now) {
        this.#entries.delete(k);
      }
    }
  }
}

/**
 * Most authorizations in progress, launches and codes held at once: each can be created without
 * credentials (the sandbox signs in without a password), so each is bounded.
 */
const MAX_UNAUTHENTICATED_ENTRIES = 1000;

/** Lifetimes. Codes are short-lived (RFC 6749 §4.1.2 recommends at most 10 minutes). */
export const LIFETIMES_MS = {
  launch: 5 * 60_000,
  pending: 10 * 60_000,
  code: 2 * 60_000,
  offlineRefresh: 30 * 24 * 3600_000,
  onlineRefresh: 8 * 3600_000,
  assertionJti: 10 * 60_000,
} as const;

export class AuthState {
  readonly launches: ExpiringMap<LaunchContext>;
  readonly pending: ExpiringMap<PendingAuthorization>;
  readonly codes: ExpiringMap<AuthorizationCode>;
  readonly refreshTokens: ExpiringMap<RefreshTokenRecord>;
  readonly usedAssertionIds: ExpiringMap<true>;
  readonly #revokedGrants = new Set<string>();

  constructor(now: () => number) {
    this.launches = new ExpiringMap(now, MAX_UNAUTHENTICATED_ENTRIES);
    this.pending = new ExpiringMap(now, MAX_UNAUTHENTICATED_ENTRIES);
    this.codes = new ExpiringMap(now, MAX_UNAUTHENTICATED_ENTRIES);
    this.refreshTokens = new ExpiringMap(now);
    this.usedAssertionIds = new ExpiringMap(now);
  }

  revokeGrant(grantId: string): void {
    this.#revokedGrants.add(grantId);
  }

  isRevoked(grantId: string): boolean {
    return this.#revokedGrants.has(grantId);
  }
}
