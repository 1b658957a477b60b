import type { FhirResource, ServiceRequest, Task } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { queueEntry } from '../../../src/domain/pathway/queue.ts';
import { referralStage } from '../../../src/domain/pathway/referral.ts';
import {
  AWAITING_DECISION,
  awaitsDecision,
  carriesDecision,
  decidedTask,
} from '../../../src/domain/pathway/referralDecision.ts';
import { referralEntries } from '../../../src/fhir/referralWrite.ts';

const ALL_TASK_STATUSES: readonly Task['status'][] = [
  'draft',
  'requested',
  'received',
  'accepted',
  'rejected',
  'ready',
  'cancelled',
  'in-progress',
  'on-hold',
  'failed',
  'completed',
  'entered-in-error',
];

/** A referral as the clinician's app writes it, stored with ids. */
function referral(note: string): { request: ServiceRequest; task: Task & { id: string } } {
  const [requestEntry, taskEntry] = referralEntries({
    submissionId: '0f1e2d3c-0000-4000-8000-000000000001',
    context: { patientId: 'p1', enterer: 'Practitioner/pcp-1', encounter: undefined },
    programme: 'Organization/optimum-gmv-programme',
    authoredOn: '2026-11-20T16:05:00-07:00',
    reason: undefined,
    supportingInfo: [],
    note,
    preferredStart: '2026-12-07',
  });
  const request = { ...(requestEntry?.resource as ServiceRequest), id: 'sr1' };
  const task = {
    ...(taskEntry?.resource as Task),
    id: 't1',
    meta: { versionId: '3' },
    focus: { reference: 'ServiceRequest/sr1' },
  };
  return { request, task };
}

const included = (...resources: FhirResource[]) =>
  new Map(resources.map((r) => [`${r.resourceType}/${r.id ?? ''}`, r]));

describe('which referrals await the programme’s answer', () => {
  // A draft was never sent and an entered-in-error Task is no Task (the referral definition then
  // falls back to "awaiting" for the ServiceRequest alone): neither is the programme's to decide.
  it.each(ALL_TASK_STATUSES)(
    'a Task with status %s awaits a decision exactly when the referral definition reads it as awaiting',
    (status) => {
      const stage = referralStage({ status: 'active' }, { status });
      const sent = status !== 'draft' && status !== 'entered-in-error';
      expect(awaitsDecision({ status })).toBe(stage === 'awaiting' && sent);
    },
  );

  it('never offers a decision on a referral the clinician cancelled (ServiceRequest revoked)', () => {
    const { request, task } = referral('');
    const entry = queueEntry(task, included({ ...request, status: 'revoked' }));
    expect(entry.stage).toBe('cancelled');
    expect(entry.decidable).toBe(false);
  });
});

describe('the Task a decision writes', () => {
  const { task } = referral('');

  it('accepts: status accepted, the programme step, no reason, everything else kept', () => {
    const accepted = decidedTask(
      { ...task, statusReason: { text: 'stale' } },
      { kind: 'accept' },
      '2026-12-03T10:00:00-07:00',
    );
    expect(accepted).toMatchObject({
      id: 't1',
      status: 'accepted',
      businessStatus: { text: 'Accepted — awaiting a cohort' },
      lastModified: '2026-12-03T10:00:00-07:00',
      owner: task.owner,
      focus: task.focus,
      meta: { versionId: '3' },
    });
    expect(accepted.statusReason).toBeUndefined();
  });

  it('declines: status rejected with the reason as the staff member wrote it (trimmed)', () => {
    const declined = decidedTask(task, { kind: 'decline', reason: '  No telehealth  ' }, 'x');
    expect(declined).toMatchObject({
      status: 'rejected',
      statusReason: { text: 'No telehealth' },
      businessStatus: { text: 'Declined by the programme' },
    });
  });

  it.each([
    ['accepted', undefined, { kind: 'accept' }, true],
    ['requested', undefined, { kind: 'accept' }, false],
    ['rejected', 'No telehealth', { kind: 'decline', reason: 'No telehealth ' }, true],
    ['rejected', 'Another reason', { kind: 'decline', reason: 'No telehealth' }, false],
    ['accepted', undefined, { kind: 'decline', reason: 'No telehealth' }, false],
  ] as const)(
    'a Task with status %s (reason %s) already carries %o: %s',
    (status, reason, decision, expected) => {
      const stored = {
        status,
        ...(reason === undefined ? {} : { statusReason: { text: reason } }),
      };
      expect(carriesDecision(stored, decision)).toBe(expected);
    },
  );
});

describe('a queue row', () => {
  it('shows the patient, the referring clinician, the day, the note and the preferred start', () => {
    const { request, task } = referral('Prefers evening sessions');
    const entry = queueEntry(
      task,
      included(
        request,
        {
          resourceType: 'Patient',
          id: 'p1',
          name: [{ given: ['Dolores', 'Ann'], family: 'Reyes' }],
          birthDate: '1972-07-13',
        },
        {
          resourceType: 'Practitioner',
          id: 'pcp-1',
          name: [{ prefix: ['Dr.'], given: ['Elena'], family: 'Morgan' }],
        },
      ),
    );
    expect(entry).toMatchObject({
      patientReference: 'Patient/p1',
      patientName: 'Dolores Ann Reyes',
      birthDate: '1972-07-13',
      referrer: 'Dr. Elena Morgan',
      referredOn: '2026-11-20',
      note: 'Prefers evening sessions',
      preferredStart: '2026-12-07',
      stage: 'awaiting',
      statusText: 'Requested',
      decidable: true,
    });
  });

  it('says what is missing when the EHR did not include the patient, clinician or referral', () => {
    const { task } = referral('');
    const entry = queueEntry({ ...task, note: [] }, new Map());
    expect(entry).toMatchObject({
      patientName: 'Patient record not available',
      referrer: 'Referring clinician not recorded',
      referredOn: '2026-11-20',
      note: undefined,
      preferredStart: undefined,
      decidable: true,
    });
  });

  it('shows a decline with its reason and offers no second decision', () => {
    const { request, task } = referral('');
    const entry = queueEntry(
      { ...task, status: 'rejected', statusReason: { text: 'No telehealth' } },
      included(request),
    );
    expect(entry).toMatchObject({ stage: 'declined', reason: 'No telehealth', decidable: false });
  });
});

it('lists every Task status the queue filters on as one FHIR Task status', () => {
  expect(AWAITING_DECISION.every((s) => ALL_TASK_STATUSES.includes(s))).toBe(true);
});
