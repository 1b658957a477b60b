/**
 * A `patient/` token tried as an attacker would, against the real sandbox over HTTP with real SMART
 * tokens: Bundle entries whose URL carries a query (once run by the engine as conditional writes
 * against whatever an unconfined search found), a create with a search in its URL (once a yes/no
 * oracle about any patient), a client-chosen id, and a URL whose type is not the resource's. Every
 * entry is tried alone, in a batch and in a transaction, with the app's own token and with a
 * `patient/*.cruds` token, and every victim is read back unchanged with a system token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestedScope } from '../../src/fhir/scopes.ts';
import { startTestSandbox } from './harness/sandbox.ts';
import type { Sandbox } from './harness/sandbox.ts';
import { backendToken, ehrLaunchToken, fhirFetch } from './harness/smart.ts';

const PATIENT = 'clbp-eligible';
const own = { reference: `Patient/${PATIENT}` };

interface Json {
  readonly resourceType?: string;
  readonly id?: string;
  readonly total?: number;
  readonly issue?: readonly { readonly code?: string; readonly diagnostics?: string }[];
  readonly entry?: readonly {
    readonly response?: { readonly status?: string; readonly location?: string };
    readonly resource?: Json;
  }[];
}

let sandbox: Sandbox;
let systemToken: string;
const tokens: Record<'app scopes' | 'patient/*.cruds', string> = {
  'app scopes': '',
  'patient/*.cruds': '',
};

beforeAll(async () => {
  sandbox = await startTestSandbox();
  systemToken = (await backendToken(sandbox, 'system/*.cruds')).access_token;
  tokens['app scopes'] = (
    await ehrLaunchToken(sandbox, { patient: PATIENT, scope: requestedScope('v2', 'ehr') })
  ).access_token;
  tokens['patient/*.cruds'] = (
    await ehrLaunchToken(sandbox, { patient: PATIENT, scope: 'launch patient/*.cruds' })
  ).access_token;
});
afterAll(async () => {
  await sandbox.close();
});

async function send(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const res = await fhirFetch(sandbox, token, path, {
    method,
    headers: { 'Content-Type': 'application/fhir+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Json) };
}

interface Attack {
  readonly name: string;
  readonly method: 'PUT' | 'POST' | 'DELETE';
  readonly url: string;
  readonly resource?: Record<string, unknown>;
  /** Resources that must read back exactly as before (system token). */
  readonly victims: readonly string[];
}

const ATTACKS: readonly Attack[] = [
  {
    name: "cancel and re-parent another patient's referral Task",
    method: 'PUT',
    url: 'Task/Task?_id=referred-followup-referral-task',
    resource: {
      resourceType: 'Task',
      id: 'Task',
      status: 'cancelled',
      intent: 'order',
      for: own,
    },
    victims: ['Task/referred-followup-referral-task'],
  },
  {
    name: "overwrite another patient's name",
    method: 'PUT',
    url: 'Patient/Patient?_id=opioid-taper',
    resource: { resourceType: 'Patient', id: PATIENT, name: [{ family: 'Overwritten' }] },
    victims: ['Patient/opioid-taper', `Patient/${PATIENT}`],
  },
  {
    name: "delete another patient's cancer red flag",
    method: 'DELETE',
    url: 'Condition/Condition?_id=clbp-red-flag-prostate-cancer',
    victims: ['Condition/clbp-red-flag-prostate-cancer'],
  },
  {
    name: "move another patient's PEG into this chart",
    method: 'PUT',
    url: 'Observation/Observation?_id=opioid-taper-peg-1',
    resource: {
      resourceType: 'Observation',
      id: 'Observation',
      status: 'final',
      code: { text: 'PEG' },
      subject: own,
    },
    victims: ['Observation/opioid-taper-peg-1'],
  },
  {
    name: 'probe another chart with a search in a create URL',
    method: 'POST',
    url: 'Condition?subject=Patient/clbp-red-flag&code=C61',
    resource: { resourceType: 'Condition', subject: own, code: { text: 'probe' } },
    victims: ['Condition/clbp-red-flag-prostate-cancer'],
  },
  {
    name: "update another patient's Observation through a URL of another type",
    method: 'PUT',
    url: 'Condition/opioid-taper-peg-1',
    resource: {
      resourceType: 'Observation',
      id: 'opioid-taper-peg-1',
      status: 'final',
      code: { text: 'PEG' },
      subject: own,
    },
    victims: ['Observation/opioid-taper-peg-1'],
  },
];

async function snapshot(paths: readonly string[]): Promise<unknown[]> {
  return Promise.all(paths.map(async (p) => (await send(systemToken, 'GET', p)).json));
}

/** How many Conditions with the probe's code text exist anywhere. */
async function probes(): Promise<number> {
  const { json } = await send(systemToken, 'GET', `Condition?code:text=probe&_summary=count`);
  return json.total ?? -1;
}

function bundle(type: 'batch' | 'transaction', attack: Attack): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type,
    entry: [
      {
        ...(attack.resource ? { resource: attack.resource } : {}),
        request: { method: attack.method, url: attack.url },
      },
    ],
  };
}

const SCOPE_KINDS = Object.keys(tokens) as (keyof typeof tokens)[];
const TABLE = ATTACKS.flatMap((attack) =>
  (['alone', 'batch', 'transaction'] as const).flatMap((how) =>
    SCOPE_KINDS.map((scope) => ({ attack, how, scope })),
  ),
);

describe('entries that once reached other charts are refused and change nothing', () => {
  it.each(TABLE)('$attack.name: $how, $scope', async ({ attack, how, scope }) => {
    const before = await snapshot(attack.victims);
    const probesBefore = await probes();
    const token = tokens[scope];
    const { status, json } =
      how === 'alone'
        ? await send(token, attack.method, attack.url, attack.resource)
        : await send(token, 'POST', '', bundle(how, attack));
    const answered =
      how === 'batch' ? Number(json.entry?.[0]?.response?.status ?? 'missing') : status;
    expect(answered).toBeGreaterThanOrEqual(400);
    expect(answered).toBeLessThan(500);
    const outcome = how === 'batch' ? json.entry?.[0]?.response : json;
    expect(JSON.stringify(outcome)).toContain('OperationOutcome');
    expect(await snapshot(attack.victims)).toEqual(before);
    expect(await probes()).toBe(probesBefore);
  });

  it('says why a query on a write URL is refused', async () => {
    const attack = ATTACKS[0]!;
    const { status, json } = await send(
      tokens['patient/*.cruds'],
      'POST',
      '',
      bundle('transaction', attack),
    );
    expect([status, json.issue?.[0]?.code]).toEqual([400, 'not-supported']);
    expect(json.issue?.[0]?.diagnostics).toMatch(/entry 0: .*cannot carry a search/);
  });
});

describe('ids and other charts: no answer tells whether another patient has a record', () => {
  const token = (): string => tokens['patient/*.cruds'];

  it("answers a read of another patient's record exactly as a read of a missing one", async () => {
    const other = await send(token(), 'GET', 'Observation/opioid-taper-peg-1');
    const missing = await send(token(), 'GET', 'Observation/no-such-observation');
    expect([other.status, missing.status]).toEqual([404, 404]);
    expect(other.json.issue?.[0]?.diagnostics?.replace('opioid-taper-peg-1', 'X')).toBe(
      missing.json.issue?.[0]?.diagnostics?.replace('no-such-observation', 'X'),
    );
  });

  it("answers an update of another patient's id exactly as an update of a free id, creating nothing", async () => {
    const body = (id: string): Record<string, unknown> => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { text: 'id probe' },
      subject: own,
    });
    const before = await snapshot(['Observation/opioid-taper-peg-1']);
    const taken = await send(
      token(),
      'PUT',
      'Observation/opioid-taper-peg-1',
      body('opioid-taper-peg-1'),
    );
    const free = await send(token(), 'PUT', 'Observation/free-id-1', body('free-id-1'));
    expect([taken.status, free.status]).toEqual([404, 404]);
    expect(await snapshot(['Observation/opioid-taper-peg-1'])).toEqual(before);
    expect((await send(systemToken, 'GET', 'Observation/free-id-1')).status).toBe(404);
  });

  it.each(['alone', 'transaction'] as const)(
    'ignores a client-chosen id on create (%s): the record gets a new id, the other one is untouched',
    async (how) => {
      const resource = {
        resourceType: 'Observation',
        id: 'opioid-taper-peg-1',
        status: 'final',
        code: { text: 'chosen id' },
        subject: own,
      };
      const before = await snapshot(['Observation/opioid-taper-peg-1']);
      const { status, json } =
        how === 'alone'
          ? await send(token(), 'POST', 'Observation', resource)
          : await send(token(), 'POST', '', {
              resourceType: 'Bundle',
              type: 'transaction',
              entry: [{ resource, request: { method: 'POST', url: 'Observation' } }],
            });
      const created = how === 'alone' ? json : json.entry?.[0]?.resource;
      expect(status).toBe(how === 'alone' ? 201 : 200);
      expect(created?.id).toBeDefined();
      expect(created?.id).not.toBe('opioid-taper-peg-1');
      expect(await snapshot(['Observation/opioid-taper-peg-1'])).toEqual(before);
    },
  );

  it('confines a conditional create to the chart: a match elsewhere is not found, a new record is made', async () => {
    const { status, json } = await send(token(), 'POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          resource: { resourceType: 'Condition', subject: own, code: { text: 'confined' } },
          request: {
            method: 'POST',
            url: 'Condition',
            ifNoneExist: '_id=clbp-red-flag-prostate-cancer',
          },
        },
      ],
    });
    expect([status, json.entry?.[0]?.response?.status]).toEqual([200, '201']);
    expect(json.entry?.[0]?.resource?.id).not.toBe('clbp-red-flag-prostate-cancer');
  });

  it('shows a patient token a Group it belongs to without the other members', async () => {
    const group = await send(systemToken, 'POST', 'Group', {
      resourceType: 'Group',
      type: 'person',
      actual: true,
      quantity: 2,
      member: [{ entity: own }, { entity: { reference: 'Patient/opioid-taper' } }],
    });
    const id = group.json.id ?? '';
    const read = await send(token(), 'GET', `Group/${id}`);
    const searched = await send(token(), 'GET', `Group?_id=${id}`);
    for (const shown of [read.json, searched.json.entry?.[0]?.resource]) {
      expect(JSON.stringify(shown)).not.toContain('opioid-taper');
      expect(shown).toMatchObject({
        member: [{ entity: own }],
        meta: { tag: [{ code: 'SUBSETTED' }] },
      });
    }
  });
});
