/**
 * The sandbox FHIR server over real HTTP (node:http on port 0, fetch), with a stand-in token
 * verifier. The SMART tokens themselves are tested with the auth server (A2's tests).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, FhirResource, Observation, OperationOutcome, Resource } from 'fhir/r4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AccessContext, TokenVerifier } from '../../src/sandbox/accessContext.ts';
import {
  createFhirHandler,
  createFhirRepository,
  FhirFaults,
  loadResources,
} from '../../src/sandbox/fhir/fhirServer.ts';

const APP_ORIGIN = 'http://localhost:5173';
const PEG_PAIN = { system: 'http://loinc.org', code: '75893-2' };
const SUBMISSION = 'urn:test:submission';

const CONTEXTS: Record<string, AccessContext> = {
  'patient-A': {
    clientId: 'app',
    patient: 'pat-a',
    expiresAt: 4_000_000_000,
    scopes: [
      'openid',
      'launch',
      'patient/Patient.rs',
      'patient/Observation.cruds',
      'patient/Condition.rs',
      'patient/MedicationRequest.rs',
      'patient/Medication.rs',
      'patient/QuestionnaireResponse.cruds',
    ],
  },
  'user-all': { clientId: 'app', expiresAt: 4_000_000_000, scopes: ['user/*.cruds'] },
  'read-only': { clientId: 'app', expiresAt: 4_000_000_000, scopes: ['user/*.read'] },
};

const verifyToken: TokenVerifier = (header) => {
  if (header === undefined) {
    return Promise.resolve({ ok: false, reason: 'missing', message: 'No bearer token' });
  }
  const context = CONTEXTS[header.replace(/^Bearer /, '')];
  return Promise.resolve(
    context
      ? { ok: true, context }
      : { ok: false, reason: 'invalid', message: 'Unknown or expired token' },
  );
};

function observation(
  id: string,
  patient: string,
  day: number,
  extra: Partial<Observation> = {},
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [PEG_PAIN] },
    subject: { reference: `Patient/${patient}` },
    effectiveDateTime: new Date(Date.UTC(2025, 0, 1 + day)).toISOString(),
    valueInteger: day % 11,
    ...extra,
  };
}

const SEED: FhirResource[] = [
  { resourceType: 'Patient', id: 'pat-a', name: [{ family: 'Alvarez' }] },
  { resourceType: 'Patient', id: 'pat-b', name: [{ family: 'Brown' }] },
  { resourceType: 'Medication', id: 'med-1', code: { text: 'oxycodone 5 mg tablet' } },
  ...Array.from({ length: 25 }, (_, i) => observation(`obs-a-${i}`, 'pat-a', i)),
  ...Array.from({ length: 3 }, (_, i) => observation(`obs-b-${i}`, 'pat-b', i)),
  // A's observation derived from one of B's: _include must not carry B's data to A's token.
  observation('obs-a-derived', 'pat-a', 40, {
    derivedFrom: [{ reference: 'Observation/obs-b-0' }],
  }),
  {
    resourceType: 'Condition',
    id: 'cond-a',
    subject: { reference: 'Patient/pat-a' },
    code: { text: 'Low back pain' },
  },
  {
    resourceType: 'MedicationRequest',
    id: 'mr-a',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/pat-a' },
    medicationReference: { reference: 'Medication/med-1' },
  },
];

let server: Server;
let base: string;
const faults = new FhirFaults();

beforeAll(async () => {
  const repo = await createFhirRepository();
  await loadResources(repo, SEED);
  const handler = createFhirHandler({
    repo,
    verifyToken,
    publicBaseUrl: () => base,
    allowedOrigins: () => [APP_ORIGIN],
    smartConfiguration: () => ({ authorization_endpoint: 'http://auth/authorize' }),
    oauthUris: () => ({ authorize: 'http://auth/authorize', token: 'http://auth/token' }),
    faults,
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  faults.reset();
});

async function call(
  path: string,
  init: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) {
    headers.Authorization = `Bearer ${init.token}`;
  }
  if (init.body !== undefined) {
    headers['Content-Type'] ??= 'application/fhir+json';
  }
  const url = path.startsWith('http') ? path : `${base}${path}`;
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    json: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

const asBundle = (json: unknown): Bundle => json as Bundle;
const ids = (json: unknown): string[] =>
  (asBundle(json).entry ?? []).map((e) => e.resource?.id ?? '?');
const issueCode = (json: unknown): string | undefined => {
  const outcome = json as OperationOutcome | Resource;
  return outcome.resourceType === 'OperationOutcome'
    ? (outcome as OperationOutcome).issue[0]?.code
    : undefined;
};

describe('capabilities and authentication', () => {
  it('publishes a CapabilityStatement without a token, with search parameters and the SMART OAuth URIs', async () => {
    const { status, json } = await call('/metadata');
    expect(status).toBe(200);
    const rest = (
      json as {
        rest: {
          resource: { type: string; searchParam: { name: string }[] }[];
          security: unknown;
        }[];
      }
    ).rest[0]!;
    const obs = rest.resource.find((r) => r.type === 'Observation')!;
    expect(obs.searchParam.map((p) => p.name)).toEqual(
      expect.arrayContaining(['patient', 'code', 'date', '_id']),
    );
    expect(JSON.stringify(rest.security)).toContain('http://auth/token');
  });

  it('lists PATCH among the interactions, and serves it to a user/ scope', async () => {
    const { json } = await call('/metadata');
    const rest = (
      json as { rest: { resource: { type: string; interaction: { code: string }[] }[] }[] }
    ).rest[0]!;
    const obs = rest.resource.find((r) => r.type === 'Observation')!;
    expect(obs.interaction.map((i) => i.code)).toContain('patch');
    const patched = await call('/Condition/cond-a', {
      token: 'user-all',
      method: 'PATCH',
      body: [{ op: 'add', path: '/note', value: [{ text: 'patched' }] }],
      headers: { 'Content-Type': 'application/json-patch+json' },
    });
    expect(patched.status).toBe(200);
  });

  it('serves the SMART configuration without a token', async () => {
    const { status, json } = await call('/.well-known/smart-configuration');
    expect(status).toBe(200);
    expect(json).toEqual({ authorization_endpoint: 'http://auth/authorize' });
  });

  it.each([
    ['no token', undefined],
    ['an unknown token', 'forged'],
  ])('answers 401 with invalid_token and an OperationOutcome for %s', async (_, token) => {
    const { status, headers, json } = await call('/Patient/pat-a', token ? { token } : {});
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
    expect(issueCode(json)).toBe('login');
  });
});

describe('read and search', () => {
  it('reads a resource with its ETag and reads the same version back by vread', async () => {
    const read = await call('/Observation/obs-a-3', { token: 'user-all' });
    expect(read.status).toBe(200);
    const versionId = (read.json as Observation).meta?.versionId;
    expect(read.headers.get('etag')).toBe(`W/"${versionId}"`);
    const vread = await call(`/Observation/obs-a-3/_history/${versionId}`, { token: 'user-all' });
    expect((vread.json as Observation).id).toBe('obs-a-3');
  });

  it('answers 404 with an OperationOutcome for an unknown id and an unknown type', async () => {
    const missing = await call('/Observation/nope', { token: 'user-all' });
    expect([missing.status, issueCode(missing.json)]).toEqual([404, 'not-found']);
    const unknownType = await call('/Nonsense/1', { token: 'user-all' });
    expect(unknownType.status).toBe(404);
  });

  it('pages a 26-Observation patient by next links until every result was seen once', async () => {
    let page = await call('/Observation?patient=pat-a&_count=10', { token: 'user-all' });
    expect(asBundle(page.json).total).toBe(26);
    const seen: string[] = [];
    const pages: number[] = [];
    for (;;) {
      seen.push(...ids(page.json));
      pages.push(ids(page.json).length);
      const next = asBundle(page.json).link?.find((l) => l.relation === 'next')?.url;
      if (!next) {
        break;
      }
      page = await call(next, { token: 'user-all' });
    }
    expect(pages).toEqual([10, 10, 6]);
    expect(new Set(seen).size).toBe(26);
    expect(asBundle(page.json).link?.some((l) => l.relation === 'previous')).toBe(true);
  });

  it('sorts by date descending with _sort=-date', async () => {
    const { json } = await call('/Observation?patient=pat-a&_sort=-date&_count=5', {
      token: 'user-all',
    });
    const dates = (asBundle(json).entry ?? []).map(
      (e) => (e.resource as Observation).effectiveDateTime ?? '',
    );
    expect(dates).toEqual([...dates].sort().reverse());
    expect(ids(json)[0]).toBe('obs-a-derived');
  });

  it('finds the same Observations with patient=<id> and patient=Patient/<id>', async () => {
    const bare = await call('/Observation?patient=pat-b', { token: 'user-all' });
    const typed = await call('/Observation?patient=Patient/pat-b', { token: 'user-all' });
    expect(ids(bare.json).sort()).toEqual(['obs-b-0', 'obs-b-1', 'obs-b-2']);
    expect(ids(typed.json).sort()).toEqual(ids(bare.json).sort());
  });

  it('filters by token and date parameters together', async () => {
    const q = `/Observation?code=${PEG_PAIN.system}|${PEG_PAIN.code}&date=ge2025-01-20&patient=pat-a`;
    const { json } = await call(q, { token: 'user-all' });
    expect(ids(json).sort()).toEqual([
      'obs-a-19',
      'obs-a-20',
      'obs-a-21',
      'obs-a-22',
      'obs-a-23',
      'obs-a-24',
      'obs-a-derived',
    ]);
  });

  it('searches by POST _search with a form body', async () => {
    const { status, json } = await call('/Observation/_search', {
      token: 'user-all',
      method: 'POST',
      body: 'patient=pat-b',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(status).toBe(200);
    expect(asBundle(json).total).toBe(3);
  });

  it('includes the referenced Medication and reverse-includes the Conditions of a patient', async () => {
    const inc = await call(
      '/MedicationRequest?patient=pat-a&_include=MedicationRequest:medication',
      { token: 'user-all' },
    );
    expect(ids(inc.json)).toEqual(['mr-a', 'med-1']);
    const rev = await call('/Patient?_id=pat-a&_revinclude=Condition:subject', {
      token: 'user-all',
    });
    expect(ids(rev.json)).toEqual(['pat-a', 'cond-a']);
  });

  it('rejects an unknown search parameter with 400 instead of an empty result', async () => {
    const { status, json } = await call('/Observation?bogus=1', { token: 'user-all' });
    expect([status, issueCode(json)]).toEqual([400, 'invalid']);
  });

  it.each(['nonsense', '-nonsense', 'date,nonsense'])(
    'rejects _sort=%s with 400 instead of an unsorted page',
    async (sort) => {
      const { status, json } = await call(`/Observation?patient=pat-a&_sort=${sort}`, {
        token: 'user-all',
      });
      expect([status, issueCode(json)]).toEqual([400, 'invalid']);
    },
  );
});

function pegObservation(patient: string, submission: string): Observation {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [PEG_PAIN] },
    subject: { reference: `Patient/${patient}` },
    identifier: [{ system: SUBMISSION, value: submission }],
    valueInteger: 6,
  };
}

async function countBySubmission(value: string): Promise<number> {
  const { json } = await call(`/Observation?identifier=${SUBMISSION}|${value}`, {
    token: 'user-all',
  });
  return asBundle(json).total ?? -1;
}

describe('writes', () => {
  it('creates with 201, a Location that reads the resource back, and an ETag', async () => {
    const { status, headers, json } = await call('/Observation', {
      token: 'user-all',
      method: 'POST',
      body: pegObservation('pat-a', 'create-1'),
    });
    expect(status).toBe(201);
    const created = json as Observation;
    expect(headers.get('location')).toBe(
      `${base}/Observation/${created.id}/_history/${created.meta?.versionId}`,
    );
    expect(headers.get('etag')).toBe(`W/"${created.meta?.versionId}"`);
    const back = await call(headers.get('location')!, { token: 'user-all' });
    expect((back.json as Observation).identifier?.[0]?.value).toBe('create-1');
  });

  it('creates only once when the same If-None-Exist create is sent twice', async () => {
    const send = (): ReturnType<typeof call> =>
      call('/Observation', {
        token: 'user-all',
        method: 'POST',
        body: pegObservation('pat-a', 'once'),
        headers: { 'If-None-Exist': `identifier=${SUBMISSION}|once` },
      });
    const first = await send();
    const second = await send();
    expect([first.status, second.status]).toEqual([201, 200]);
    expect((second.json as Observation).id).toBe((first.json as Observation).id);
    expect(await countBySubmission('once')).toBe(1);
  });

  it('updates with a matching If-Match and refuses a stale one with 412', async () => {
    const read = await call('/Condition/cond-a', { token: 'user-all' });
    const etag = read.headers.get('etag')!;
    const body = { ...(read.json as Resource), clinicalStatus: { text: 'active' } };
    const ok = await call('/Condition/cond-a', {
      token: 'user-all',
      method: 'PUT',
      body,
      headers: { 'If-Match': etag },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).not.toBe(etag);
    const stale = await call('/Condition/cond-a', {
      token: 'user-all',
      method: 'PUT',
      body,
      headers: { 'If-Match': etag },
    });
    expect([stale.status, issueCode(stale.json)]).toEqual([412, 'processing']);
  });

  it('creates by PUT to a new id with 201 and a Location', async () => {
    const body = { ...pegObservation('pat-b', 'put-create'), id: 'put-created-1' };
    const { status, headers } = await call('/Observation/put-created-1', {
      token: 'user-all',
      method: 'PUT',
      body,
    });
    expect(status).toBe(201);
    expect(headers.get('location')).toMatch(/\/Observation\/put-created-1\/_history\//);
  });

  it('answers 400 with an OperationOutcome to malformed JSON, and to an invalid resource', async () => {
    const malformed = await call('/Observation', {
      token: 'user-all',
      method: 'POST',
      body: '{"resourceType": "Obs',
    });
    expect([malformed.status, issueCode(malformed.json)]).toEqual([400, 'structure']);
    const invalid = await call('/Observation', {
      token: 'user-all',
      method: 'POST',
      body: { resourceType: 'Observation', status: 'final' }, // Observation.code is 1..1
    });
    expect([invalid.status, invalid.json]).toMatchObject([
      400,
      { resourceType: 'OperationOutcome' },
    ]);
  });

  it('answers 405 to a method the path does not support, and 410 to a read after delete', async () => {
    const notAllowed = await call('/Observation', { token: 'user-all', method: 'DELETE' });
    expect([notAllowed.status, issueCode(notAllowed.json)]).toEqual([405, 'not-supported']);
    const created = await call('/Observation', {
      token: 'user-all',
      method: 'POST',
      body: pegObservation('pat-b', 'gone'),
    });
    const id = (created.json as Observation).id!;
    expect((await call(`/Observation/${id}`, { token: 'user-all', method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await call(`/Observation/${id}`, { token: 'user-all' })).status).toBe(410);
  });
});

describe('transactions', () => {
  it('resolves urn:uuid references between the entries of a transaction', async () => {
    const patientUrn = 'urn:uuid:5b0f1f0e-3c53-4a5c-9a0e-1b2c3d4e5f60';
    const { status, json } = await call('', {
      token: 'user-all',
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: patientUrn,
            resource: { resourceType: 'Patient', name: [{ family: 'New' }] },
            request: { method: 'POST', url: 'Patient' },
          },
          {
            resource: { ...pegObservation('x', 'txn-urn'), subject: { reference: patientUrn } },
            request: { method: 'POST', url: 'Observation' },
          },
        ],
      },
    });
    expect(status).toBe(200);
    const [patientEntry, obsEntry] = asBundle(json).entry ?? [];
    expect(patientEntry?.response?.status).toBe('201');
    const obs = obsEntry?.resource as Observation;
    expect(obs.subject?.reference).toBe(`Patient/${patientEntry?.resource?.id}`);
  });

  it.each([
    [
      'is an invalid resource',
      {
        resource: { resourceType: 'Observation', status: 'bogus' },
        request: { method: 'POST', url: 'Observation' },
      },
    ],
    [
      'fails its If-Match precondition',
      {
        resource: {
          resourceType: 'Condition',
          id: 'cond-a',
          subject: { reference: 'Patient/pat-a' },
        },
        request: { method: 'PUT', url: 'Condition/cond-a', ifMatch: 'W/"stale"' },
      },
    ],
  ])('leaves nothing behind when the last entry %s', async (_, lastEntry) => {
    const before = asBundle(
      (await call('/Observation?patient=pat-a&_count=0', { token: 'user-all' })).json,
    ).total;
    const { status, json } = await call('', {
      token: 'user-all',
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: pegObservation('pat-a', 'txn-rollback'),
            request: { method: 'POST', url: 'Observation' },
          },
          {
            resource: { ...pegObservation('pat-a', 'txn-rollback-2') },
            request: { method: 'POST', url: 'Observation' },
          },
          lastEntry,
        ],
      },
    });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(issueCode(json)).toBeDefined();
    expect(await countBySubmission('txn-rollback')).toBe(0);
    expect(await countBySubmission('txn-rollback-2')).toBe(0);
    const after = asBundle(
      (await call('/Observation?patient=pat-a&_count=0', { token: 'user-all' })).json,
    ).total;
    expect(after).toBe(before);
  });
});

describe('scopes and the launch patient compartment', () => {
  it.each([
    ['read patient B', '/Patient/pat-b'],
    ["read one of patient B's Observations", '/Observation/obs-b-1'],
  ])(
    'answers a patient-A token that tries to %s with 404, as for a missing record',
    async (_, path) => {
      const { status, json } = await call(path, { token: 'patient-A' });
      expect([status, issueCode(json)]).toEqual([404, 'not-found']);
    },
  );

  it("returns only patient A's Observations to a patient-A token, whatever the query asks", async () => {
    const all = await call('/Observation?_count=1000', { token: 'patient-A' });
    const subjects = new Set(
      (asBundle(all.json).entry ?? []).map((e) => (e.resource as Observation).subject?.reference),
    );
    expect([...subjects]).toEqual(['Patient/pat-a']);
    expect(ids(all.json)).toEqual(expect.arrayContaining(['obs-a-0', 'obs-a-24', 'obs-a-derived']));
    const other = await call('/Observation?patient=pat-b', { token: 'patient-A' });
    expect(asBundle(other.json).total).toBe(0);
  });

  it("does not leak patient B's Observation through _include to a patient-A token", async () => {
    const q = '/Observation?_id=obs-a-derived&_include=Observation:derived-from';
    expect(ids((await call(q, { token: 'user-all' })).json)).toEqual(['obs-a-derived', 'obs-b-0']);
    expect(ids((await call(q, { token: 'patient-A' })).json)).toEqual(['obs-a-derived']);
  });

  it('lets a patient-A token search a shared type (Medication) and its own Patient only', async () => {
    expect(ids((await call('/Medication', { token: 'patient-A' })).json)).toEqual(['med-1']);
    expect(ids((await call('/Patient', { token: 'patient-A' })).json)).toEqual(['pat-a']);
  });

  it('lets a patient-A token create for patient A but not for patient B', async () => {
    const own = await call('/Observation', {
      token: 'patient-A',
      method: 'POST',
      body: pegObservation('pat-a', 'pa-own'),
    });
    expect(own.status).toBe(201);
    const other = await call('/Observation', {
      token: 'patient-A',
      method: 'POST',
      body: pegObservation('pat-b', 'pa-b'),
    });
    expect([other.status, issueCode(other.json)]).toEqual([403, 'forbidden']);
    expect(await countBySubmission('pa-b')).toBe(0);
  });

  it('refuses a create to a read-only (v1 user/*.read) token but lets it read', async () => {
    const create = await call('/Observation', {
      token: 'read-only',
      method: 'POST',
      body: pegObservation('pat-a', 'ro'),
    });
    expect([create.status, issueCode(create.json)]).toEqual([403, 'forbidden']);
    expect((await call('/Observation/obs-a-1', { token: 'read-only' })).status).toBe(200);
  });

  it('accepts a retried patient-A transaction of conditional creates linked by urn:uuid once only', async () => {
    const responseUrn = 'urn:uuid:0d9e7f6a-1111-4c2b-9d3e-2a1b3c4d5e6f';
    const transaction = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: responseUrn,
          resource: {
            resourceType: 'QuestionnaireResponse',
            status: 'completed',
            subject: { reference: 'Patient/pat-a' },
            identifier: { system: SUBMISSION, value: 'retry-qr' },
          },
          request: {
            method: 'POST',
            url: 'QuestionnaireResponse',
            ifNoneExist: `identifier=${SUBMISSION}|retry-qr`,
          },
        },
        {
          resource: {
            ...pegObservation('pat-a', 'retry-obs'),
            derivedFrom: [{ reference: responseUrn }],
          },
          request: {
            method: 'POST',
            url: 'Observation',
            ifNoneExist: `identifier=${SUBMISSION}|retry-obs`,
          },
        },
      ],
    };
    const first = await call('', { token: 'patient-A', method: 'POST', body: transaction });
    const retry = await call('', { token: 'patient-A', method: 'POST', body: transaction });
    const statuses = (json: unknown): (string | undefined)[] =>
      (asBundle(json).entry ?? []).map((e) => e.response?.status);
    expect([first.status, statuses(first.json)]).toEqual([200, ['201', '201']]);
    expect(statuses(retry.json)).toEqual(['200', '200']);
    expect(await countBySubmission('retry-obs')).toBe(1);
    const obs = asBundle(first.json).entry?.[1]?.resource as Observation;
    const qr = asBundle(first.json).entry?.[0]?.resource;
    expect(obs.derivedFrom?.[0]?.reference).toBe(`QuestionnaireResponse/${qr?.id}`);
  });

  it('refuses a whole transaction with 403 when one entry is outside the scopes, creating nothing', async () => {
    const { status } = await call('', {
      token: 'patient-A',
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: pegObservation('pat-a', 'pa-txn'),
            request: { method: 'POST', url: 'Observation' },
          },
          {
            resource: { resourceType: 'Condition', subject: { reference: 'Patient/pat-a' } },
            request: { method: 'POST', url: 'Condition' },
          },
        ],
      },
    });
    expect(status).toBe(403);
    expect(await countBySubmission('pa-txn')).toBe(0);
  });

  it("shows a patient-A token only the versions of a corrected Observation that were patient A's", async () => {
    const misfiled = { ...pegObservation('pat-b', 'misfiled'), id: 'misfiled-1' };
    await call('/Observation/misfiled-1', { token: 'user-all', method: 'PUT', body: misfiled });
    const corrected = { ...misfiled, subject: { reference: 'Patient/pat-a' } };
    await call('/Observation/misfiled-1', { token: 'user-all', method: 'PUT', body: corrected });
    const subjects = (json: unknown): (string | undefined)[] =>
      (asBundle(json).entry ?? []).map((e) => (e.resource as Observation).subject?.reference);
    const all = await call('/Observation/misfiled-1/_history', { token: 'user-all' });
    expect(subjects(all.json)).toEqual(['Patient/pat-a', 'Patient/pat-b']);
    const mine = await call('/Observation/misfiled-1/_history', { token: 'patient-A' });
    expect([mine.status, subjects(mine.json)]).toEqual([200, ['Patient/pat-a']]);
  });

  it("answers each batch entry on its own: the allowed one succeeds, the other chart's gets 404", async () => {
    const { json } = await call('', {
      token: 'patient-A',
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { request: { method: 'GET', url: 'Observation/obs-a-2' } },
          { request: { method: 'GET', url: 'Observation/obs-b-2' } },
        ],
      },
    });
    expect((asBundle(json).entry ?? []).map((e) => e.response?.status)).toEqual(['200', '404']);
  });
});

describe('CORS', () => {
  it('answers a preflight from the app origin allowing Authorization and the conditional headers', async () => {
    const res = await fetch(`${base}/Observation`, {
      method: 'OPTIONS',
      headers: {
        Origin: APP_ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, if-none-exist',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const allowed = res.headers.get('access-control-allow-headers')?.toLowerCase() ?? '';
    for (const header of ['authorization', 'if-none-exist', 'if-match', 'prefer']) {
      expect(allowed).toContain(header);
    }
  });

  it('exposes Location and ETag to the app origin and refuses other origins', async () => {
    const res = await fetch(`${base}/metadata`, { headers: { Origin: APP_ORIGIN } });
    expect(res.headers.get('access-control-expose-headers')).toMatch(/Location.*ETag/);
    const foreign = await fetch(`${base}/Observation`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('fault injection', () => {
  it('fails the next request with an injected 500 OperationOutcome, then serves normally', async () => {
    faults.failNext({ status: 500 });
    const failed = await call('/Observation/obs-a-1', { token: 'user-all' });
    expect([failed.status, issueCode(failed.json)]).toEqual([500, 'exception']);
    expect((await call('/Observation/obs-a-1', { token: 'user-all' })).status).toBe(200);
  });

  it('fails only the matching request, with 429 and Retry-After', async () => {
    faults.failNext({ status: 429, method: 'POST', match: /\/Observation/, retryAfterSeconds: 2 });
    expect((await call('/Observation/obs-a-1', { token: 'user-all' })).status).toBe(200);
    const throttled = await call('/Observation', {
      token: 'user-all',
      method: 'POST',
      body: pegObservation('pat-a', 'throttled'),
    });
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '2']);
    expect(await countBySubmission('throttled')).toBe(0);
  });

  it('drops the connection when asked, so the client sees a network error', async () => {
    faults.dropNext();
    await expect(fetch(`${base}/metadata`)).rejects.toThrow();
    expect((await call('/metadata')).status).toBe(200);
  });

  it('adds the configured latency to every response', async () => {
    faults.setLatency(150);
    const started = performance.now();
    await call('/metadata');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('cost limits: a request asking too much gets 400 and an OperationOutcome naming the bound', () => {
  const sort5kb = Array.from({ length: 400 }, (_, i) => (i % 2 ? '-date' : 'code')).join(',');
  it.each([
    [
      'a 5 KB _sort (once 18 s of a blocked server)',
      `/Observation?_sort=${sort5kb}`,
      /_sort has 400 keys/,
    ],
    ['four _sort keys', '/Observation?_sort=date,code,status,-date', /at most 3/],
    ['_include:iterate', '/Observation?_include:iterate=Observation:derived-from', /iterate/],
    [
      'four includes',
      '/Observation?_include=Observation:patient&_include=Observation:subject&_include=Observation:derived-from&_revinclude=Observation:derived-from',
      /at most 3/,
    ],
    [
      '101 values of one parameter',
      `/Observation?code=${Array.from({ length: 101 }, (_, i) => `c${i}`).join(',')}`,
      /101 values/,
    ],
    ['an 8 KB URL', `/Observation?code=${'x'.repeat(8 * 1024)}`, /at most 8192/],
  ])('refuses %s', async (_, path, message) => {
    const { status, json } = await call(path, { token: 'user-all' });
    expect([status, issueCode(json)]).toEqual([400, 'too-costly']);
    expect(JSON.stringify(json)).toMatch(message);
  });

  it('refuses a Bundle of more than 100 entries, and a body over 5 MB with 413', async () => {
    const entry = { request: { method: 'GET', url: 'Observation/obs-a-1' } };
    const big = await call('', {
      token: 'user-all',
      method: 'POST',
      body: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: Array.from({ length: 101 }, () => entry),
      },
    });
    expect([big.status, issueCode(big.json)]).toEqual([400, 'too-costly']);
    const huge = await call('/Observation', {
      token: 'user-all',
      method: 'POST',
      body: { ...pegObservation('pat-a', 'huge'), note: [{ text: 'x'.repeat(5 * 1024 * 1024) }] },
    });
    expect([huge.status, issueCode(huge.json)]).toEqual([413, 'too-costly']);
  });

  it('pages a search with includes 250 at a time, whatever _count asks', async () => {
    const { json } = await call('/Observation?_count=1000&_include=Observation:patient', {
      token: 'user-all',
    });
    const next = asBundle(json).link?.find((l) => l.relation === 'self')?.url ?? '';
    expect(new URL(next).searchParams.get('_count')).toBe('250');
  });

  it.each([
    ['a chained parameter', '/Observation?derived-from:Observation.subject=Patient/pat-b'],
    ['a _has parameter', '/Patient?_has:Observation:subject:code=x'],
  ])("refuses a patient-A token %s, which would test another chart's records", async (_, path) => {
    const { status, json } = await call(path, { token: 'patient-A' });
    expect([status, issueCode(json)]).toEqual([403, 'forbidden']);
  });
});
