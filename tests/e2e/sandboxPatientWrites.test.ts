/**
 * Writes under a `patient/` token, end to end with real SMART tokens against the real sandbox on
 * free ports: a patient's token writes only into that patient's own chart, never into another
 * patient's, and never changes the data every chart shares (Medication, Questionnaire,
 * Organization). Also: the sandbox's latency switch covers the authorization server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestSandbox } from './harness/sandbox.ts';
import type { Sandbox } from './harness/sandbox.ts';
import {
  appRedirectUri,
  APP_CLIENT_ID,
  backendToken,
  ehrLaunchToken,
  fetchManual,
  fhirFetch,
  tokenRequest,
} from './harness/smart.ts';

const PATIENT = 'clbp-eligible';
const OTHER = 'opioid-taper';
const SUBMISSION = 'urn:test:patient-writes';

interface Json {
  readonly resourceType?: string;
  readonly id?: string;
  readonly total?: number;
  readonly issue?: readonly { readonly code?: string; readonly diagnostics?: string }[];
  readonly entry?: readonly {
    readonly response?: { readonly status?: string };
    readonly resource?: { readonly id?: string };
  }[];
}

let sandbox: Sandbox;
/** clbp-eligible's EHR launch token with every patient/ permission on every type. */
let patientToken: string;
let systemToken: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  patientToken = (
    await ehrLaunchToken(sandbox, { patient: PATIENT, scope: 'launch patient/*.cruds' })
  ).access_token;
  systemToken = (await backendToken(sandbox, 'system/*.cruds')).access_token;
});
afterAll(async () => {
  await sandbox.close();
});

async function send(
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Json }> {
  const res = await fhirFetch(sandbox, token, path, {
    method,
    headers: { 'Content-Type': 'application/fhir+json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Json) };
}

function pegPain(submission: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '75893-2' }] },
    identifier: [{ system: SUBMISSION, value: submission }],
    valueInteger: 6,
    ...extra,
  };
}

const subject = (id: string): { reference: string } => ({ reference: `Patient/${id}` });

/** How many Observations carry the submission id, in anyone's chart (system token). */
async function stored(submission: string): Promise<number> {
  const { json } = await send(
    systemToken,
    'GET',
    `Observation?identifier=${SUBMISSION}|${submission}&_count=0`,
  );
  return json.total ?? -1;
}

/** What opioid-taper's own chart search returns for the submission id. */
async function inOthersChart(submission: string): Promise<number> {
  const { json } = await send(
    systemToken,
    'GET',
    `Observation?patient=${OTHER}&identifier=${SUBMISSION}|${submission}&_count=0`,
  );
  return json.total ?? -1;
}

describe("a patient token cannot write into another patient's chart", () => {
  it('records a PEG Observation about the launch patient (201)', async () => {
    const own = await send(
      patientToken,
      'POST',
      'Observation',
      pegPain('own', { subject: subject(PATIENT) }),
    );
    expect(own.status).toBe(201);
    expect(await stored('own')).toBe(1);
  });

  it.each([
    [
      'about the other patient, naming the launch patient as performer',
      'cross-performer',
      { subject: subject(OTHER), performer: [subject(PATIENT)] },
    ],
    [
      'about the launch patient, naming the other patient as performer',
      'cross-subject',
      { subject: subject(PATIENT), performer: [subject(OTHER)] },
    ],
    [
      'about the other patient by absolute URL',
      'cross-absolute',
      {
        subject: { reference: `http://127.0.0.1:8110/fhir/Patient/${OTHER}` },
        performer: [subject(PATIENT)],
      },
    ],
  ])('refuses an Observation %s with 403, and nothing is stored', async (_, submission, refs) => {
    const { status, json } = await send(
      patientToken,
      'POST',
      'Observation',
      pegPain(submission, refs),
    );
    expect([status, json.resourceType, json.issue?.[0]?.code]).toEqual([
      403,
      'OperationOutcome',
      'forbidden',
    ]);
    expect(await stored(submission)).toBe(0);
    expect(await inOthersChart(submission)).toBe(0);
  });

  it('answers 400 (missing subject), not "another patient", to an Observation without a subject', async () => {
    const { status, json } = await send(
      patientToken,
      'POST',
      'Observation',
      pegPain('no-subject', { performer: [subject(PATIENT)] }),
    );
    expect([status, json.issue?.[0]?.code]).toEqual([400, 'required']);
    expect(json.issue?.[0]?.diagnostics).toMatch(/Observation\.subject/);
    expect(await stored('no-subject')).toBe(0);
  });

  it("refuses a conditional create (If-None-Exist) into the other patient's chart", async () => {
    const { status } = await send(
      patientToken,
      'POST',
      'Observation',
      pegPain('conditional', { subject: subject(OTHER), performer: [subject(PATIENT)] }),
      { 'If-None-Exist': `identifier=${SUBMISSION}|conditional` },
    );
    expect(status).toBe(403);
    expect(await stored('conditional')).toBe(0);
  });

  it("refuses to move the launch patient's Observation into the other patient's chart by PUT", async () => {
    const created = await send(
      patientToken,
      'POST',
      'Observation',
      pegPain('moved', { subject: subject(PATIENT) }),
    );
    const id = created.json.id ?? '';
    const moved = await send(
      patientToken,
      'PUT',
      `Observation/${id}`,
      pegPain('moved', { id, subject: subject(OTHER), performer: [subject(PATIENT)] }),
    );
    expect(moved.status).toBe(403);
    expect(await inOthersChart('moved')).toBe(0);
  });

  it('refuses to overwrite or delete an Observation of the other patient that names the launch patient as performer', async () => {
    const planted = await send(
      systemToken,
      'POST',
      'Observation',
      pegPain('planted', { subject: subject(OTHER), performer: [subject(PATIENT)] }),
    );
    const id = planted.json.id ?? '';
    // The patient may read it (performer puts it in their compartment), but not change it.
    expect((await send(patientToken, 'GET', `Observation/${id}`)).status).toBe(200);
    const put = await send(
      patientToken,
      'PUT',
      `Observation/${id}`,
      pegPain('planted', { id, subject: subject(PATIENT) }),
    );
    const del = await send(patientToken, 'DELETE', `Observation/${id}`);
    expect([put.status, del.status]).toEqual([403, 403]);
    expect(await inOthersChart('planted')).toBe(1);
  });

  it('refuses a whole transaction whose second entry writes into the other chart, leaving nothing', async () => {
    const { status } = await send(patientToken, 'POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: pegPain('txn-own', { subject: subject(PATIENT) }),
          request: { method: 'POST', url: 'Observation' },
        },
        {
          resource: pegPain('txn-other', {
            subject: subject(OTHER),
            performer: [subject(PATIENT)],
          }),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect(status).toBe(403);
    expect([await stored('txn-own'), await stored('txn-other')]).toEqual([0, 0]);
  });

  it('accepts a referral transaction whose Task points at its ServiceRequest by urn:uuid', async () => {
    const requestUrn = 'urn:uuid:7f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';
    const { status, json } = await send(patientToken, 'POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: requestUrn,
          resource: {
            resourceType: 'ServiceRequest',
            status: 'active',
            intent: 'order',
            subject: subject(PATIENT),
            code: { text: 'Mindfulness group medical visits' },
          },
          request: { method: 'POST', url: 'ServiceRequest' },
        },
        {
          resource: {
            resourceType: 'Task',
            status: 'requested',
            intent: 'order',
            focus: { reference: requestUrn },
            for: subject(PATIENT),
          },
          request: { method: 'POST', url: 'Task' },
        },
      ],
    });
    expect([status, json.entry?.map((e) => e.response?.status)]).toEqual([200, ['201', '201']]);
  });

  it('answers each batch entry on its own: the own Observation is created, the cross-chart one gets 403', async () => {
    const { json } = await send(patientToken, 'POST', '', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        {
          resource: pegPain('batch-own', { subject: subject(PATIENT) }),
          request: { method: 'POST', url: 'Observation' },
        },
        {
          resource: pegPain('batch-other', {
            subject: subject(OTHER),
            performer: [subject(PATIENT)],
          }),
          request: { method: 'POST', url: 'Observation' },
        },
      ],
    });
    expect(json.entry?.map((e) => e.response?.status)).toEqual(['201', '403']);
    expect(await stored('batch-other')).toBe(0);
  });
});

describe('a patient token cannot change data that every chart shares', () => {
  it.each([
    ['PUT', 'Medication/opioid-taper-med-morphine-er-30'],
    ['PUT', 'Questionnaire/peg'],
    ['DELETE', 'Organization/optimum-gmv-programme'],
  ])('refuses %s %s with 403 and leaves it unchanged', async (method, path) => {
    const before = await send(systemToken, 'GET', path);
    expect(before.status).toBe(200);
    const body = method === 'PUT' ? { ...before.json, status: 'entered-in-error' } : undefined;
    const { status, json } = await send(patientToken, method, path, body);
    expect([status, json.issue?.[0]?.code]).toEqual([403, 'forbidden']);
    expect(json.issue?.[0]?.diagnostics).toMatch(/outside the Patient compartment/);
    const after = await send(systemToken, 'GET', path);
    expect(after).toEqual(before);
  });

  it('refuses to create a Medication, though it may read them', async () => {
    const created = await send(patientToken, 'POST', 'Medication', {
      resourceType: 'Medication',
      code: { text: 'x' },
    });
    expect(created.status).toBe(403);
    expect(
      (await send(patientToken, 'GET', 'Medication/opioid-taper-med-morphine-er-30')).status,
    ).toBe(200);
  });

  it('still lets a system/ scope update a shared Medication', async () => {
    const path = 'Medication/opioid-taper-med-morphine-er-30';
    const current = await send(systemToken, 'GET', path);
    expect((await send(systemToken, 'PUT', path, current.json)).status).toBe(200);
  });
});

describe('SANDBOX_LATENCY_MS on the authorization server', () => {
  const LATENCY_MS = 400;
  afterEach(() => {
    sandbox.faults.reset();
  });

  async function timed(request: () => Promise<Response>): Promise<number> {
    const started = performance.now();
    await (await request()).text();
    return performance.now() - started;
  }

  it('delays /auth/authorize and /auth/token like /fhir', async () => {
    sandbox.faults.setLatency(LATENCY_MS);
    const authorize = new URL('/auth/authorize', sandbox.origin);
    authorize.searchParams.set('client_id', APP_CLIENT_ID);
    authorize.searchParams.set('redirect_uri', appRedirectUri(sandbox));
    const times = [
      await timed(() => fetchManual(authorize)),
      await timed(() => tokenRequest(sandbox, { grant_type: 'authorization_code', code: 'nope' })),
      await timed(() => fetch(`${sandbox.fhirBase}/metadata`)),
    ];
    for (const ms of times) {
      expect(ms).toBeGreaterThanOrEqual(LATENCY_MS - 10);
    }
  });

  it('leaves the EHR simulator page and the app server undelayed', async () => {
    sandbox.faults.setLatency(5_000);
    expect(await timed(() => fetch(`${sandbox.origin}/`))).toBeLessThan(5_000);
    expect(await timed(() => fetch(`${sandbox.appOrigin}/`))).toBeLessThan(5_000);
  });
});
