import type { Bundle, Observation, Resource } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FhirError } from '../../src/fhir/errors.ts';
import { SUMMARY_REQUESTS } from '../../src/fhir/summary.ts';
import { guardFor } from '../../src/fhir/guards.ts';
import { searchAll } from '../../src/fhir/search.ts';
import { createTransport } from '../../src/fhir/transport.ts';
import fixture from '../fixtures/summary/patient-a.json' with { type: 'json' };
import { BASE, fakeFhirHandlers, fixtureResources } from './support/fakeFhir.ts';

const resources = fixtureResources(fixture as Bundle);
const server = setupServer(...fakeFhirHandlers(resources));

beforeAll(() => {
  // msw 3 spells msw 2's onUnhandledRequest as onUnhandledFrame: any request without a handler fails the test.
  server.listen({ onUnhandledFrame: 'error' });
});
afterEach(() => {
  server.resetHandlers();
});
afterAll(() => {
  server.close();
});

function transport(overrides: Partial<Parameters<typeof createTransport>[0]> = {}) {
  return createTransport({
    baseUrl: BASE,
    auth: { token: () => Promise.resolve('token-1') },
    sleep: () => Promise.resolve(),
    ...overrides,
  });
}

function observation(i: number): Observation {
  return {
    resourceType: 'Observation',
    id: `peg-${i}`,
    status: 'final',
    subject: { reference: 'Patient/a' },
    code: { coding: [{ system: 'http://loinc.org', code: '91147-9' }] },
    valueQuantity: { value: i % 10 },
  };
}

describe('summary searches', () => {
  it('follows next links across several pages and keeps every entry', async () => {
    const many: Resource[] = Array.from({ length: 25 }, (_, i) => observation(i));
    server.use(...fakeFhirHandlers(many, 10));
    const result = await searchAll(transport(), 'Observation?patient=a', {
      label: 'Observation search',
      guard: guardFor('Observation'),
    });
    expect(result.pages).toBe(3);
    expect(result.matches.map((o) => o.id)).toEqual(many.map((o) => o.id));
  });

  it('reads a Bundle without entry as an empty result', async () => {
    server.use(
      http.get(`${BASE}/Condition`, () =>
        HttpResponse.json({ resourceType: 'Bundle', type: 'searchset' }),
      ),
    );
    const result = await SUMMARY_REQUESTS.conditions.run(transport(), 'a');
    expect(result.matches).toEqual([]);
    expect(result.malformed).toBe(0);
  });

  it('waits out a 429 for as long as Retry-After says, then succeeds', async () => {
    let calls = 0;
    server.use(
      http.get(`${BASE}/Condition`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              { resourceType: 'OperationOutcome', issue: [] },
              { status: 429, headers: { 'Retry-After': '2' } },
            )
          : HttpResponse.json({ resourceType: 'Bundle', type: 'searchset', entry: [] });
      }),
    );
    const waits: number[] = [];
    const sleep = (ms: number): Promise<void> => {
      waits.push(ms);
      return Promise.resolve();
    };
    await SUMMARY_REQUESTS.conditions.run(transport({ sleep }), 'a');
    expect(waits).toEqual([2000]);
    expect(calls).toBe(2);
  });

  it('gives up on a server that keeps answering 429 and says it is busy', async () => {
    server.use(
      http.get(
        `${BASE}/Condition`,
        () => new HttpResponse(null, { status: 429, headers: { 'Retry-After': '1' } }),
      ),
    );
    await expect(SUMMARY_REQUESTS.conditions.run(transport(), 'a')).rejects.toMatchObject({
      kind: 'rate-limited',
      status: 429,
    });
  });

  it('turns a dropped connection into a network error naming the request', async () => {
    server.use(http.get(`${BASE}/MedicationStatement`, () => HttpResponse.error()));
    const error: unknown = await SUMMARY_REQUESTS.medicationStatements
      .run(transport(), 'a')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FhirError);
    expect(error).toMatchObject({ kind: 'network', request: 'MedicationStatement search' });
  });

  it('skips and counts malformed resources instead of failing the search', async () => {
    server.use(
      http.get(`${BASE}/Observation`, () =>
        HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [
            { resource: observation(1) },
            { resource: { resourceType: 'Observation', id: 'no-code', status: 'final' } },
            { resource: 'not a resource' },
            {},
            {
              resource: {
                resourceType: 'Condition',
                id: 'wrong-type',
                subject: { reference: 'Patient/a' },
              },
              search: { mode: 'match' },
            },
          ],
        }),
      ),
    );
    const result = await SUMMARY_REQUESTS.pegObservations.run(transport(), 'a');
    expect(result.matches.map((o) => o.id)).toEqual(['peg-1']);
    expect(result.malformed).toBe(4);
  });

  it('takes an entry of another type without search.mode as an included resource', async () => {
    server.use(
      http.get(`${BASE}/MedicationStatement`, () =>
        HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [{ resource: resources[4] }, { resource: resources[3] }],
        }),
      ),
    );
    const result = await SUMMARY_REQUESTS.medicationStatements.run(transport(), 'a');
    expect(result.matches.map((m) => m.id)).toEqual(['ms1']);
    expect([...result.included.keys()]).toEqual(['Medication/m1']);
    expect(result.malformed).toBe(0);
  });

  it('reports the OperationOutcome text of a failed search', async () => {
    server.use(
      http.get(`${BASE}/MedicationRequest`, () =>
        HttpResponse.json(
          {
            resourceType: 'OperationOutcome',
            issue: [{ severity: 'error', code: 'exception', diagnostics: 'Database unavailable' }],
          },
          { status: 500 },
        ),
      ),
    );
    await expect(SUMMARY_REQUESTS.medicationRequests.run(transport(), 'a')).rejects.toMatchObject({
      kind: 'server',
      status: 500,
      message: 'MedicationRequest search failed: HTTP 500 (Database unavailable)',
    });
  });

  it('refreshes the token once after a 401 and repeats the request with the new token', async () => {
    const seen: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/Patient/a`, ({ request }) => {
        seen.push(request.headers.get('Authorization'));
        return seen.length === 1
          ? new HttpResponse(null, { status: 401 })
          : HttpResponse.json(resources[0]);
      }),
    );
    const patient = await SUMMARY_REQUESTS.patient.run(
      transport({
        auth: { token: () => Promise.resolve('token-1'), renew: () => Promise.resolve('token-2') },
      }),
      'a',
    );
    expect(patient.id).toBe('a');
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('says the session has ended when the token cannot be refreshed', async () => {
    server.use(http.get(`${BASE}/Patient/a`, () => new HttpResponse(null, { status: 401 })));
    await expect(
      SUMMARY_REQUESTS.patient.run(
        transport({
          auth: {
            token: () => Promise.resolve('token-1'),
            renew: () => Promise.resolve(undefined),
          },
        }),
        'a',
      ),
    ).rejects.toMatchObject({ kind: 'session-expired' });
  });

  it('never follows a next link to another host with the token', async () => {
    server.use(
      http.get(`${BASE}/Condition`, () =>
        HttpResponse.json({
          resourceType: 'Bundle',
          type: 'searchset',
          entry: [],
          link: [{ relation: 'next', url: 'https://attacker.example.test/fhir/Condition?page=2' }],
        }),
      ),
    );
    await expect(SUMMARY_REQUESTS.conditions.run(transport(), 'a')).rejects.toMatchObject({
      kind: 'malformed',
    });
  });

  it('resolves medicationReference targets from _include, not per-row reads', async () => {
    const result = await SUMMARY_REQUESTS.medicationStatements.run(transport(), 'a');
    expect(result.matches.map((m) => m.id)).toEqual(['ms1']);
    expect([...result.included.keys()]).toEqual(['Medication/m1']);
  });

  it('refuses an answer that is not a Bundle', async () => {
    server.use(
      http.get(`${BASE}/Condition`, () => HttpResponse.json({ resourceType: 'Patient', id: 'x' })),
    );
    await expect(SUMMARY_REQUESTS.conditions.run(transport(), 'a')).rejects.toMatchObject({
      kind: 'malformed',
    });
  });
});
