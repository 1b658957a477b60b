import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Condition, Resource, ServiceRequest, Task } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClbp } from '../../support/cli.ts';
import { RX, dosage, request, rxnorm, statement } from '../mme/builders.ts';
import { CLBP, PATIENT, peg, referral, screening, session } from './chartBuilders.ts';

/**
 * A patient screened on 2026-01-04, PEG 6.67 on 01-05 and referred that day: on 2026-01-20 the
 * programme had not answered yet. Each later record below was dated after that day.
 */
const AS_OF = '2026-01-20';
const [REQUEST, TASK] = referral('2026-01-05', 'requested') as [ServiceRequest, Task];
const BASE: Resource[] = [
  PATIENT,
  CLBP,
  screening('2026-01-04'),
  peg('baseline', '2026-01-05', [7, 7, 6]),
  REQUEST,
  TASK,
];

const oxycodone = { medicationCodeableConcept: rxnorm(RX.oxycodone10) };
const ofP = { subject: { reference: 'Patient/p' } };

/** What the chart said on 2026-01-20, written by hand from BASE. */
const ON_THE_DAY = {
  id: 'p',
  state: 'referred',
  redFlags: [],
  peg: { latest: 6.67, latestDate: '2026-01-05T10:00:00-07:00', baseline: 6.67, change: null },
  mme: { current: 0, trajectory: 'none' },
  prompts: [],
  referral: { stage: 'awaiting', referredOn: '2026-01-05', programmeStart: null },
  followUps: [
    { timePoint: 'week8', due: '2026-03-02', status: 'upcoming', provisional: true },
    { timePoint: 'month6', due: '2026-07-05', status: 'upcoming', provisional: true },
    { timePoint: 'month12', due: '2027-01-05', status: 'upcoming', provisional: true },
  ],
};

const condition = (c: Condition): Condition => c;
const serviceRequest = (r: ServiceRequest): ServiceRequest => r;

/** The same referral's Task, changed in place after the day. */
const taskLater = (change: Partial<Task>): Task => ({ ...TASK, ...change });

const LATER: [string, Resource[]][] = [
  ['a PEG taken on 01-30', [peg('later', '2026-01-30', [2, 2, 2])]],
  ['a screening on 02-15 with a red flag', [screening('2026-02-15', { redFlag: 'rf-trauma' })]],
  [
    'a red-flag diagnosis recorded on 02-01',
    [
      condition({
        resourceType: 'Condition',
        id: 'fracture',
        ...ofP,
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'S32.009A' }] },
        recordedDate: '2026-02-01',
      }),
    ],
  ],
  [
    'the first session on 02-01 and the Task set in progress then',
    [
      session('2026-01-05', '2026-02-01', 0),
      taskLater({
        status: 'in-progress',
        executionPeriod: { start: '2026-02-01T17:00:00-07:00' },
        lastModified: '2026-02-01T17:00:00-07:00',
      }),
    ],
  ],
  [
    'the programme declining on 01-25',
    [
      taskLater({
        status: 'rejected',
        statusReason: { text: 'Moved away' },
        lastModified: '2026-01-25T09:00:00-07:00',
      }),
    ],
  ],
  [
    'the clinician cancelling on 01-28',
    [
      taskLater({
        status: 'cancelled',
        statusReason: { text: 'Patient asked' },
        lastModified: '2026-01-28T09:00:00-07:00',
      }),
      serviceRequest({
        ...REQUEST,
        status: 'revoked',
        note: [{ text: 'Cancelled: Patient asked', time: '2026-01-28T09:00:00-07:00' }],
      }),
    ],
  ],
  [
    'oxycodone 40 mg/day asserted on 01-26 as taken since 01-02',
    [
      statement(oxycodone, {
        id: 'oxy-statement',
        ...ofP,
        dateAsserted: '2026-01-26',
        effectivePeriod: { start: '2026-01-02' },
        dosage: [dosage(10, 'mg', 4)],
      }),
    ],
  ],
  [
    'oxycodone 40 mg/day ordered on 01-26',
    [
      request(oxycodone, {
        id: 'oxy-order',
        ...ofP,
        authoredOn: '2026-01-26',
        dosageInstruction: [dosage(10, 'mg', 4)],
      }),
    ],
  ],
];

let dir: string;

async function bundle(name: string, resources: readonly Resource[]): Promise<string> {
  // A later version of a resource replaces the earlier one, as in an export.
  const byKey = new Map(resources.map((r) => [`${r.resourceType}/${r.id ?? ''}`, r]));
  const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
  await writeFile(
    file,
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [...byKey.values()].map((resource) => ({ resource })),
    }),
  );
  return file;
}

async function patientOn(file: string, day: string): Promise<unknown> {
  const run = await runClbp(['pathway', file, '--as-of', day]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { patients: unknown[] }).patients[0];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-pathway-as-of-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('clbp pathway --as-of shows the pathway as it stood on that day', () => {
  it('reads the referred patient of 2026-01-20 from the chart of that day', async () => {
    expect(await patientOn(await bundle('base', BASE), AS_OF)).toMatchObject(ON_THE_DAY);
  });

  it.each(LATER)('is not changed by %s', async (name, later) => {
    const file = await bundle(name, [...BASE, ...later]);
    expect(await patientOn(file, AS_OF)).toMatchObject(ON_THE_DAY);
  });

  it('counts what had happened by the day: in the programme on 02-03, session 1 of 8', async () => {
    const file = await bundle('started', [...BASE, ...(LATER[3]?.[1] ?? [])]);
    expect(await patientOn(file, '2026-02-03')).toMatchObject({
      state: 'in-programme',
      referral: { stage: 'in-programme', programmeStart: '2026-02-01', sessionsAttended: 1 },
    });
  });

  it('shows the cancellation from the day it was recorded', async () => {
    const file = await bundle('cancelled', [...BASE, ...(LATER[5]?.[1] ?? [])]);
    expect(await patientOn(file, '2026-01-28')).toMatchObject({
      state: 'cancelled',
      referral: { stage: 'cancelled' },
    });
  });
});
