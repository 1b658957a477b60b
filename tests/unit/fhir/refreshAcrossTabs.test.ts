/**
 * Two tabs holding one refresh token (a duplicated tab) refresh once between them: the EHR rotates
 * refresh tokens and revokes the grant when an old one comes back.
 */
import { describe, expect, it } from 'vitest';
import type { HandOffStore, Tokens } from '../../../src/fhir/refreshAcrossTabs.ts';
import { refreshAcrossTabs } from '../../../src/fhir/refreshAcrossTabs.ts';

/** The hand-off store as the tabs of one origin share it (IndexedDB in the browser). */
function sharedStore(): HandOffStore & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    get: (k) => Promise.resolve(items.get(k)),
    set: (k, v) => {
      items.set(k, v);
      return Promise.resolve();
    },
    entries: () => Promise.resolve([...items.entries()]),
    delete: (k) => {
      items.delete(k);
      return Promise.resolve();
    },
  };
}

/**
 * A strict EHR: each refresh token works once; a reused one revokes the grant. Or an EHR that does
 * not rotate refresh tokens: it hands the same one back, or leaves it out of its answer.
 */
function rotatingEhr(now: () => number, rotation: 'rotates' | 'same' | 'omitted' = 'rotates') {
  let serial = 0;
  const used = new Set<string>();
  let revoked = false;
  return {
    get revoked() {
      return revoked;
    },
    refresh(token: string): Tokens {
      if (rotation === 'rotates' && (used.has(token) || revoked)) {
        revoked = true;
        throw new Error('invalid_grant: refresh token reused, grant revoked');
      }
      used.add(token);
      serial += 1;
      const refresh = { rotates: `rt-${serial}`, same: token, omitted: undefined }[rotation];
      return {
        access_token: `at-${serial}`,
        ...(refresh === undefined ? {} : { refresh_token: refresh }),
        expiresAt: now() + 60,
        response: { scope: 'launch patient/*.rs' },
      };
    },
  };
}

/** One tab: its own copy of the session (as sessionStorage holds it). */
function tab(ehr: ReturnType<typeof rotatingEhr>, store: HandOffStore, now: () => number) {
  let session = { access_token: 'at-0', refresh_token: 'rt-0' };
  let refreshes = 0;
  return {
    get session() {
      return session;
    },
    get refreshes() {
      return refreshes;
    },
    async refresh(): Promise<string> {
      const tokens = await refreshAcrossTabs({
        refreshToken: session.refresh_token,
        // As fhirclient does, a refresh answer without a refresh token keeps the one used.
        refresh: () => {
          refreshes += 1;
          const answer = ehr.refresh(session.refresh_token);
          return Promise.resolve({
            ...answer,
            refresh_token: answer.refresh_token ?? session.refresh_token,
          });
        },
        adopt: (t) => {
          session = {
            access_token: t.access_token,
            refresh_token: t.refresh_token ?? session.refresh_token,
          };
        },
        now,
        store,
      });
      session = {
        access_token: tokens.access_token,
        refresh_token: tokens.refresh_token ?? session.refresh_token,
      };
      return tokens.access_token;
    },
  };
}

describe('refreshAcrossTabs', () => {
  it('lets the duplicated tab take the tokens the first tab got, so the grant survives', async () => {
    let clock = 1_000;
    const now = (): number => clock;
    const ehr = rotatingEhr(now);
    const store = sharedStore();
    const [a, b] = [tab(ehr, store, now), tab(ehr, store, now)];
    expect(await a.refresh()).toBe('at-1');
    expect(await b.refresh()).toBe('at-1');
    expect([a.refreshes, b.refreshes, ehr.revoked]).toEqual([1, 0, false]);
    // Both move on from the same newest refresh token, in either order, any number of times.
    clock += 120;
    expect(await b.refresh()).toBe('at-2');
    expect(await a.refresh()).toBe('at-2');
    clock += 120;
    expect(await a.refresh()).toBe('at-3');
    expect(await b.refresh()).toBe('at-3');
    expect(ehr.revoked).toBe(false);
  });

  it('follows the chain when the other tab refreshed several times meanwhile', async () => {
    let clock = 1_000;
    const now = (): number => clock;
    const ehr = rotatingEhr(now);
    const store = sharedStore();
    const [a, b] = [tab(ehr, store, now), tab(ehr, store, now)];
    for (let i = 0; i < 3; i++) {
      clock += 120;
      await a.refresh();
    }
    expect(await b.refresh()).toBe('at-3');
    expect([b.refreshes, ehr.revoked]).toEqual([0, false]);
  });

  it('refreshes with the newest token when the tokens it finds have expired', async () => {
    let clock = 1_000;
    const now = (): number => clock;
    const ehr = rotatingEhr(now);
    const store = sharedStore();
    const [a, b] = [tab(ehr, store, now), tab(ehr, store, now)];
    await a.refresh();
    clock += 600; // at-1 has expired; rt-1 was never used
    expect(await b.refresh()).toBe('at-2');
    expect([b.refreshes, ehr.revoked]).toEqual([1, false]);
  });

  it.each(['same', 'omitted'] as const)(
    'works with an EHR that does not rotate refresh tokens (refresh token in its answer: %s)',
    async (rotation) => {
      let clock = 1_000;
      const now = (): number => clock;
      const ehr = rotatingEhr(now, rotation);
      const store = sharedStore();
      const [a, b] = [tab(ehr, store, now), tab(ehr, store, now)];
      expect(await a.refresh()).toBe('at-1');
      expect(await b.refresh()).toBe('at-1');
      clock += 120; // at-1 has expired: b refreshes with the refresh token both tabs hold
      expect(await b.refresh()).toBe('at-2');
      expect(await a.refresh()).toBe('at-2');
      expect([a.refreshes, b.refreshes]).toEqual([1, 1]);
      expect([a.session.refresh_token, b.session.refresh_token]).toEqual(['rt-0', 'rt-0']);
    },
  );

  it('leaves nothing another holder of a different token could read', async () => {
    const now = (): number => 1_000;
    const store = sharedStore();
    await tab(rotatingEhr(now), store, now).refresh();
    const stored = [...store.items.values()].join('');
    expect(stored).not.toBe('');
    expect(stored).not.toContain('at-1');
    expect(stored).not.toContain('rt-1');
  });
});
