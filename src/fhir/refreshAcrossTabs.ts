/**
 * Token refresh when a tab has been duplicated. The browser copies session storage into the new
 * tab, so both hold one refresh token; the EHR rotates refresh tokens, and a second refresh with
 * the old one revokes the grant for both tabs. So refreshes are taken one at a time across the
 * app's tabs (Web Locks), and the tab that refreshes leaves the new tokens for the others, keyed
 * by a hash of the refresh token it used and encrypted with a key derived from that token: only a
 * tab that held the old refresh token can read them. A tab about to refresh first follows that
 * chain to the newest tokens and refreshes only when they are about to expire.
 *
 * The hand-offs are kept in IndexedDB (idb-keyval), not localStorage: Chromium shows one tab's
 * localStorage write to another tab only some time later, so a tab taking the lock just after
 * another released it could miss the new tokens and refresh with a used token. A committed
 * IndexedDB write is seen by every later transaction.
 */
import { createStore, del, entries, get, set } from 'idb-keyval';

export interface Tokens {
  readonly access_token: string;
  readonly refresh_token?: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
  /** The rest of the token response (scope, patient…), kept as the EHR sent it. */
  readonly response: Readonly<Record<string, unknown>>;
}

export interface RefreshAcrossTabsOptions {
  /** This tab's refresh token now. */
  readonly refreshToken: string;
  /** Refreshes with this tab's refresh token (fhirclient's client.refresh). */
  readonly refresh: () => Promise<Tokens>;
  /** Takes tokens another tab obtained (into this tab's stored session). */
  readonly adopt: (tokens: Tokens) => void;
  /** Seconds since the epoch. */
  readonly now: () => number;
  readonly store?: HandOffStore;
  readonly locks?: LockManager;
}

/** Where hand-offs are kept, shared by the app's tabs (IndexedDB in the browser). */
export interface HandOffStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  entries(): Promise<[string, string][]>;
  delete(key: string): Promise<void>;
}

const PREFIX = 'clbp-pathway:refreshed:';
/** How long a hand-off is kept: longer than a refresh token lives between two refreshes. */
const KEEP_S = 12 * 3600;
/** A hand-off whose access token expires sooner than this is followed by a refresh of our own. */
const MARGIN_S = 10;

const encoder = new TextEncoder();

async function digest(label: string, token: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(
    await crypto.subtle.digest('SHA-256', encoder.encode(`${label}\0${token}`)),
  );
}

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function unbase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function keyFor(refreshToken: string): Promise<CryptoKey> {
  const raw = await digest('clbp-pathway refresh hand-off key', refreshToken);
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

async function slotFor(refreshToken: string): Promise<string> {
  return PREFIX + hex(await digest('clbp-pathway refresh hand-off slot', refreshToken));
}

/** The tokens another tab obtained with `refreshToken`, if any (undefined when unreadable). */
async function handedOff(store: HandOffStore, refreshToken: string): Promise<Tokens | undefined> {
  try {
    const stored = await store.get(await slotFor(refreshToken));
    if (stored === undefined) {
      return undefined;
    }
    const { iv, data } = JSON.parse(stored) as { iv: string; data: string };
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: unbase64(iv) },
      await keyFor(refreshToken),
      unbase64(data),
    );
    return JSON.parse(new TextDecoder().decode(plain)) as Tokens;
  } catch {
    return undefined;
  }
}

/** When a stored hand-off may be dropped (at once when it cannot be read). */
function keptUntil(stored: string | null): number {
  try {
    const until = (JSON.parse(stored ?? '{}') as { until?: unknown }).until;
    return typeof until === 'number' ? until : 0;
  } catch {
    return 0;
  }
}

async function handOff(
  store: HandOffStore,
  usedToken: string,
  tokens: Tokens,
  now: number,
): Promise<void> {
  for (const [key, value] of await store.entries()) {
    if (key.startsWith(PREFIX) && keptUntil(value) < now) {
      await store.delete(key);
    }
  }
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      await keyFor(usedToken),
      encoder.encode(JSON.stringify(tokens)),
    ),
  );
  const value = JSON.stringify({ iv: base64(iv), data: base64(data), until: now + KEEP_S });
  await store.set(await slotFor(usedToken), value);
}

/** The app's IndexedDB store of hand-offs, or undefined where the browser refuses IndexedDB. */
function indexedDbStore(): HandOffStore | undefined {
  try {
    if (typeof indexedDB === 'undefined') {
      return undefined;
    }
    const db = createStore('clbp-pathway', 'refresh-hand-offs');
    return {
      get: (key) => get<string>(key, db),
      set: (key, value) => set(key, value, db),
      entries: () => entries<string, string>(db),
      delete: (key) => del(key, db),
    };
  } catch {
    return undefined;
  }
}

async function underLock<T>(locks: LockManager | undefined, work: () => Promise<T>): Promise<T> {
  return locks === undefined ? work() : locks.request('clbp-pathway:token-refresh', work);
}

/**
 * The access token after a refresh coordinated with the app's other tabs (see the module comment).
 * Rejects when the refresh itself fails.
 */
export async function refreshAcrossTabs(o: RefreshAcrossTabsOptions): Promise<Tokens> {
  const store = o.store ?? indexedDbStore();
  if (store === undefined) {
    return o.refresh();
  }
  const locks = o.locks ?? (globalThis.navigator as Navigator | undefined)?.locks;
  return underLock(locks, async () => {
    let newest: Tokens | undefined;
    // The refresh token the newest tokens go with: an EHR that does not rotate refresh tokens
    // leaves it out of the refresh answer, or hands the same one back (so stop at a token seen).
    let holding = o.refreshToken;
    const seen = new Set<string>();
    while (!seen.has(holding)) {
      seen.add(holding);
      const next = await handedOff(store, holding);
      if (next === undefined) {
        break;
      }
      newest = next;
      holding = next.refresh_token ?? holding;
    }
    if (newest !== undefined) {
      const adopted = { ...newest, refresh_token: holding };
      o.adopt(adopted);
      if (adopted.expiresAt - MARGIN_S > o.now()) {
        return adopted;
      }
    }
    const fresh = await o.refresh();
    // A full or refused store only keeps the other tabs from following; this tab has its tokens.
    await handOff(store, holding, fresh, o.now()).catch(() => undefined);
    return fresh;
  });
}
