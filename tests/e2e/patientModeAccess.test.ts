import type { Bundle, Observation, Task } from 'fhir/r4';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patientSelfScope } from '../../src/fhir/scopes.ts';
import { startTestSandbox, type Sandbox } from './harness/sandbox.ts';
import { fhirFetch, patientStandaloneToken } from './harness/smart.ts';
import { stored } from './support/app.ts';

let s: Sandbox;
let token: string;
const SELF = 'referred-followup';
const OTHER = 'clbp-eligible';

beforeAll(async () => {
  s = await startTestSandbox();
  token = (await patientStandaloneToken(s, SELF, patientSelfScope('v2', 'standalone')))
    .access_token;
});
afterAll(async () => {
  await s.close();
});

const json = { 'Content-Type': 'application/fhir+json' };

async function otherObservation(): Promise<string> {
  const [observation] = await stored<Observation>(s, `Observation?patient=${OTHER}`);
  return observation?.id ?? 'missing';
}

describe("a patient's own token (patient mode) reaches only that patient's data", () => {
  it('is issued for the patient as the user, with patient/ scopes only', async () => {
    const asked = `${patientSelfScope('v2', 'standalone')} user/Observation.rs`;
    const response = await patientStandaloneToken(s, SELF, asked);
    expect(response.patient).toBe(SELF);
    expect(response.scope).not.toContain('user/');
    expect(decodeJwt(response.id_token ?? '').fhirUser).toBe(`${s.fhirBase}/Patient/${SELF}`);
  });

  it("cannot read another patient's record, by id or by search", async () => {
    const read = await fhirFetch(s, token, `Observation/${await otherObservation()}`);
    expect(read.status).toBe(404);
    for (const query of [`Observation?patient=${OTHER}`, `Task?patient=in-programme`]) {
      const search = await fhirFetch(s, token, query);
      const bundle = search.ok ? ((await search.json()) as Bundle) : undefined;
      expect(bundle?.entry ?? []).toEqual([]);
    }
  });

  it('cannot read what the clinician sees beyond the check-ins (no scope was asked for it)', async () => {
    for (const path of [
      `Condition?patient=${SELF}`,
      `MedicationRequest?patient=${SELF}&intent=order`,
      `ServiceRequest/${SELF}-referral`,
    ]) {
      expect({ path, status: (await fhirFetch(s, token, path)).status }).toEqual({
        path,
        status: 403,
      });
    }
  });

  it("cannot change the programme's referral Task, nor give its own request away", async () => {
    const [referralTask] = await stored<Task>(s, `Task?_id=${SELF}-referral-task`);
    const cancel = await fhirFetch(s, token, `Task/${SELF}-referral-task`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ ...referralTask, status: 'cancelled' }),
    });
    expect(cancel.status).toBe(403);
    const [request] = await stored<Task>(s, `Task?_id=${SELF}-peg-request-month6`);
    const giveAway = await fhirFetch(s, token, `Task/${SELF}-peg-request-month6`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({
        ...request,
        owner: { reference: 'Organization/optimum-gmv-programme' },
      }),
    });
    expect(giveAway.status).toBe(403);
    await expect(giveAway.text()).resolves.toContain('only update the Tasks they own');
    const [after] = await stored<Task>(s, `Task?_id=${SELF}-referral-task`);
    expect(after?.status).toBe(referralTask?.status);
  });

  it("cannot write into another patient's chart", async () => {
    const before = await stored<Observation>(s, `Observation?patient=${OTHER}`);
    const write = await fhirFetch(s, token, 'Observation', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '91147-9' }] },
        subject: { reference: `Patient/${OTHER}` },
        valueQuantity: { value: 9 },
      }),
    });
    expect(write.status).toBeGreaterThanOrEqual(400);
    expect(await stored<Observation>(s, `Observation?patient=${OTHER}`)).toHaveLength(
      before.length,
    );
  });

  it("cannot create a clinician's record for itself even when granted patient/*.cruds", async () => {
    const wide = (
      await patientStandaloneToken(s, SELF, 'launch/patient openid fhirUser patient/*.cruds')
    ).access_token;
    for (const resource of [
      {
        resourceType: 'ServiceRequest',
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/${SELF}` },
      },
      {
        resourceType: 'Condition',
        code: { text: 'self-diagnosed' },
        subject: { reference: `Patient/${SELF}` },
      },
    ]) {
      const created = await fhirFetch(s, wide, resource.resourceType, {
        method: 'POST',
        headers: json,
        body: JSON.stringify(resource),
      });
      expect({ type: resource.resourceType, status: created.status }).toEqual({
        type: resource.resourceType,
        status: 403,
      });
      await expect(created.text()).resolves.toContain('A patient signed in as themselves');
    }
  });
});
