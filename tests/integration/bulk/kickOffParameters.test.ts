/**
 * The sandbox's `$export` kick-off and the parameters it does not implement (Bulk Data IG 2.0.0):
 * refused with 400 and an OperationOutcome, or ignored and reported under
 * `Prefer: handling=lenient` — never silently ignored, and `patient` never ignored at all.
 */
import type { OperationOutcome } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackendAuth } from '../../../src/fhir/bulk/backendAuth.ts';
import type { Sandbox } from '../../../src/sandbox/server.ts';
import { CLIENT_ID, PRIVATE_KEY, startBulkSandbox } from './support.ts';

let sandbox: Sandbox;
let token: string;

beforeAll(async () => {
  sandbox = await startBulkSandbox({ SANDBOX_EXPORT_STEP_MS: '1' }, 4);
  token = await createBackendAuth({
    fhirBase: sandbox.fhirBase,
    clientId: CLIENT_ID,
    privateKey: PRIVATE_KEY,
    scope: 'system/Patient.rs system/Condition.rs',
  }).token();
});
afterAll(async () => {
  await sandbox.close();
});

async function kickOff(query: string, prefer = 'respond-async'): Promise<Response> {
  return fetch(`${sandbox.fhirBase}/Patient/$export?_type=Patient,Condition&${query}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json', Prefer: prefer },
  });
}

interface ManifestBody {
  output: { type: string; url: string; count: number }[];
  error: { type: string; url: string; count: number }[];
}

async function manifestOf(statusUrl: string): Promise<ManifestBody> {
  for (;;) {
    const r = await fetch(statusUrl, { headers: { Authorization: `Bearer ${token}` } });
    if (r.status === 200) {
      return (await r.json()) as ManifestBody;
    }
    expect(r.status).toBe(202);
    await r.body?.cancel();
    await new Promise((done) => setTimeout(done, 20));
  }
}

async function download(url: string): Promise<unknown[]> {
  const r = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  return (await r.text())
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}

describe('unsupported $export parameters without Prefer: handling=lenient', () => {
  it.each([
    ['_typeFilter', '_typeFilter=Condition%3Fcode%3D279039007'],
    ['_elements', '_elements=id,code'],
    ['patient', 'patient=Patient%2Fopioid-taper'],
    ['includeAssociatedData', 'includeAssociatedData=LatestProvenanceResources'],
  ])('refuses %s with 400 and an OperationOutcome naming it', async (name, query) => {
    const r = await kickOff(query);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-location')).toBeNull();
    const outcome = (await r.json()) as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]?.code).toBe('not-supported');
    expect(outcome.issue[0]?.diagnostics).toContain(name);
  });

  it('still accepts the parameters it implements', async () => {
    const r = await kickOff('_since=2020-01-01T00:00:00Z&_outputFormat=application/fhir%2Bndjson');
    expect(r.status).toBe(202);
    const manifest = await manifestOf(r.headers.get('content-location') ?? '');
    expect(manifest.error).toEqual([]);
  });
});

describe('unsupported $export parameters with Prefer: handling=lenient', () => {
  it('ignores _typeFilter and _elements and says so in the manifest’s error OperationOutcome', async () => {
    const r = await kickOff(
      '_typeFilter=Condition%3Fcode%3D279039007&_elements=id',
      'respond-async, handling=lenient',
    );
    expect(r.status).toBe(202);
    const manifest = await manifestOf(r.headers.get('content-location') ?? '');
    expect(manifest.output.map((f) => f.type)).toEqual(['Patient', 'Condition']);
    expect(manifest.error.map((f) => [f.type, f.count])).toEqual([['OperationOutcome', 1]]);
    const [outcome] = (await download(manifest.error[0]?.url ?? '')) as OperationOutcome[];
    expect(outcome?.issue[0]?.severity).toBe('warning');
    expect(outcome?.issue[0]?.diagnostics).toMatch(/_typeFilter, _elements/);
  });

  it('still refuses patient=, since ignoring it would export every patient', async () => {
    const r = await kickOff('patient=Patient%2Fopioid-taper', 'respond-async, handling=lenient');
    expect(r.status).toBe(400);
    expect(((await r.json()) as OperationOutcome).issue[0]?.diagnostics).toContain('patient');
  });
});
