/**
 * The one HTTP client: the token-origin rule, renewal, retries, timeouts and the one error type,
 * with a scripted fetch (no server).
 */
import { describe, expect, it } from 'vitest';
import { FhirError } from '../../../src/fhir/errors.ts';
import type { Destination, TransportOptions } from '../../../src/fhir/transport.ts';
import {
  APP_RETRIES,
  COMMAND_LINE_RETRIES,
  createTransport,
  retryAfterMs,
} from '../../../src/fhir/transport.ts';
import { destinationOf } from '../../../src/fhir/tokenOrigin.ts';

const BASE = 'https://ehr.example/fhir';

describe('Retry-After', () => {
  const now = Date.parse('2026-11-21T12:00:00Z');
  it.each([
    ['2', 2000],
    ['0', 0],
    [null, undefined],
    ['', undefined],
    ['soon', undefined],
    ['3600', 30_000],
    ['Sat, 21 Nov 2026 12:00:05 GMT', 5000],
    ['Sat, 21 Nov 2026 11:00:00 GMT', 0],
  ])('waits for %j as %s ms (capped at 30 s)', (header, ms) => {
    expect(retryAfterMs(header, now, 30_000)).toBe(ms);
  });
});

describe('the token-origin rule', () => {
  it.each<[string, Destination, boolean]>([
    [`${BASE}/Observation?page=2`, 'fhir', true],
    [`${BASE}?_getpages=x`, 'fhir', true],
    [BASE, 'fhir', true],
    ['https://ehr.example/fhir-evil/Observation', 'fhir', false],
    ['https://ehr.example/fhir/../auth/token', 'fhir', false],
    ['https://ehr.example.evil.com/fhir/Observation', 'fhir', false],
    ['http://ehr.example/fhir/Observation', 'fhir', false], // https downgraded
    ['https://ehr.example:8443/fhir/Observation', 'fhir', false],
    ['https://other.example/fhir/Observation', 'fhir', false],
    ['https://ehr.example/bulk-status/1', 'fhir-origin', true],
    ['https://other.example/bulk-status/1', 'fhir-origin', false],
    ['https://files.example/x.ndjson', 'anywhere', true],
    ['file:///etc/passwd', 'anywhere', false],
    ['javascript:alert(1)', 'fhir', false],
  ])('%s is %s: %s', (url, destination, allowed) => {
    expect(destinationOf(BASE, url, destination)).toBe(allowed);
  });
});

interface Call {
  readonly url: string;
  readonly authorization: string | null;
}

/** A fetch that answers from a script and records what it was sent. */
function scripted(answers: (() => Response | Promise<Response>)[]): {
  fetch: typeof fetch;
  calls: Call[];
} {
  const calls: Call[] = [];
  return {
    calls,
    fetch: (input, init) => {
      calls.push({
        url: input instanceof Request ? input.url : input.toString(),
        authorization: new Headers(init?.headers).get('Authorization'),
      });
      const next = answers.shift();
      if (next === undefined) {
        throw new Error('no more scripted answers');
      }
      return Promise.resolve(next());
    },
  };
}

const ok = (): Response => Response.json({ resourceType: 'Bundle', type: 'searchset' });
const status =
  (code: number, body: unknown = {}, headers = {}): (() => Response) =>
  () =>
    Response.json(body, { status: code, headers });

function transport(doFetch: typeof fetch, extra: Partial<TransportOptions> = {}) {
  return createTransport({
    baseUrl: BASE,
    auth: { token: () => Promise.resolve('token-1'), renew: () => Promise.resolve('token-2') },
    fetch: doFetch,
    sleep: () => Promise.resolve(),
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<FhirError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof FhirError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a FhirError');
}

describe('createTransport', () => {
  it('sends the token under the FHIR base, never to a Bulk file elsewhere', async () => {
    const s = scripted([ok, () => new Response('{}\n')]);
    const t = transport(s.fetch);
    await t.json('Observation?patient=a', { label: 'Observation search' });
    await t.request('https://files.example/x.ndjson', { label: 'file', destination: 'anywhere' });
    expect(s.calls).toEqual([
      { url: `${BASE}/Observation?patient=a`, authorization: 'Bearer token-1' },
      { url: 'https://files.example/x.ndjson', authorization: null },
    ]);
  });

  it('refuses a next link outside the base before sending anything, naming the URL', async () => {
    const s = scripted([]);
    const error = await failure(
      transport(s.fetch).json('https://evil.example/fhir/Observation?page=2', {
        label: 'Observation search',
      }),
    );
    expect(error.message).toBe(
      `Observation search: the server pointed to https://evil.example/fhir/Observation?page=2, outside its FHIR server (${BASE}); not followed.`,
    );
    expect(s.calls).toEqual([]);
  });

  it('renews the token once after a 401 and sends the request again with the new one', async () => {
    const s = scripted([status(401), ok]);
    await transport(s.fetch).json('Patient/a', { label: 'Patient read' });
    expect(s.calls.map((c) => c.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('says the session ended when the renewed token is refused too', async () => {
    const s = scripted([
      status(401),
      status(401, {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'login', diagnostics: 'expired' }],
      }),
    ]);
    const error = await failure(transport(s.fetch).json('Patient/a', { label: 'Patient read' }));
    expect([error.kind, error.status, error.message]).toEqual([
      'session-expired',
      401,
      'Patient read failed: HTTP 401 (expired)',
    ]);
  });

  it.each([
    ['the app', APP_RETRIES, 1],
    ['the command line', COMMAND_LINE_RETRIES, 2],
  ])('%s retries a 503 as its policy says', async (_, retry, calls) => {
    const s = scripted([status(503), ok]);
    const t = transport(s.fetch, { retry });
    const outcome = await t.json('Condition?patient=a', { label: 'Condition search' }).then(
      () => 'ok',
      (err: unknown) => (err as FhirError).kind,
    );
    expect([outcome, s.calls.length]).toEqual([calls === 2 ? 'ok' : 'server', calls]);
  });

  it('hands back a status the caller accepts (a Bulk status poll) instead of failing', async () => {
    const s = scripted([status(202), status(404)]);
    const t = transport(s.fetch);
    const poll = { label: 'status poll', destination: 'fhir-origin' as const, accept: [202, 404] };
    expect((await t.request('https://ehr.example/status/1', poll)).status).toBe(202);
    expect((await t.request('https://ehr.example/status/1', poll)).status).toBe(404);
  });

  it('times out a request that gets no answer, naming it', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          reject(init.signal?.reason as Error);
        });
      });
    const error = await failure(
      transport(hanging, { timeoutMs: 20 }).json('Observation?patient=a', {
        label: 'Observation search',
      }),
    );
    expect([error.kind, error.message]).toEqual([
      'timeout',
      'Observation search timed out: no answer within 20 ms.',
    ]);
  });

  it('reads an OAuth error body as well as an OperationOutcome', async () => {
    const s = scripted([
      status(400, { error: 'invalid_client', error_description: 'unknown client' }),
    ]);
    const error = await failure(
      transport(s.fetch).json('https://auth.example/token', {
        label: 'the token endpoint',
        method: 'POST',
        destination: 'anywhere',
      }),
    );
    expect(error.message).toBe(
      'the token endpoint failed: HTTP 400 (invalid_client: unknown client)',
    );
  });

  it('keeps at most maxConcurrent requests in flight; the others are sent in order as slots free', async () => {
    const pending: { url: string; answer: () => void }[] = [];
    const sent: string[] = [];
    const held: typeof fetch = (input) =>
      new Promise((resolve) => {
        const url = input instanceof Request ? input.url : input.toString();
        sent.push(url);
        pending.push({
          url,
          answer: () => {
            resolve(Response.json({ resourceType: 'Bundle' }));
          },
        });
      });
    const t = transport(held, { maxConcurrent: 2, timeoutMs: 60_000 });
    const answers = ['a', 'b', 'c', 'd'].map((id) =>
      t.json(`Patient/${id}`, { label: `read ${id}` }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toEqual([`${BASE}/Patient/a`, `${BASE}/Patient/b`]);
    pending.shift()?.answer();
    await answers[0];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toEqual([`${BASE}/Patient/a`, `${BASE}/Patient/b`, `${BASE}/Patient/c`]);
    for (const p of pending.splice(0)) {
      p.answer();
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
    pending.shift()?.answer();
    await expect(Promise.all(answers)).resolves.toHaveLength(4);
    expect(sent).toHaveLength(4);
  });

  it('starts a waiting request’s timeout only when it is sent, and frees its slot on failure', async () => {
    let calls = 0;
    const slowThenFail: typeof fetch = () => {
      calls += 1;
      return calls === 1
        ? new Promise((resolve) =>
            setTimeout(() => {
              resolve(status(500)());
            }, 40),
          )
        : Promise.resolve(Response.json({ resourceType: 'Bundle' }));
    };
    const t = transport(slowThenFail, { maxConcurrent: 1, timeoutMs: 30 });
    const first = failure(t.json('Patient/a', { label: 'read a', timeoutMs: 100 }));
    const second = t.json('Patient/b', { label: 'read b' });
    expect((await first).kind).toBe('server');
    await expect(second).resolves.toEqual({ resourceType: 'Bundle' });
  });
});
