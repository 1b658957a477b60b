/**
 * A referral's life through the writes that make it, against the sandbox's own FHIR engine in
 * process: the clinician places it (and may cancel it), the programme staff accept it, put the
 * patient in a cohort, record attendance, ask for a follow-up PEG and complete the programme. At
 * each step what was written is read back, a repeat (double click, retry after a lost answer)
 * changes nothing twice, and a colleague's change in between is said, not overwritten. The
 * expected records are written out here, never computed by the code under test.
 */
import type { Encounter, Group, ServiceRequest, Task } from 'fhir/r4';
import { beforeEach, describe, expect, it } from 'vitest';
import { readCohort } from '../../src/domain/pathway/cohort.ts';
import { nextStep } from '../../src/fhir/errors.ts';
import {
  addToCohort,
  completeCohort,
  createCohort,
  recordAttendance,
} from '../../src/fhir/cohortWrite.ts';
import { closePegRequest, loadPegRequests, requestPeg } from '../../src/fhir/followUpWrite.ts';
import { loadCohorts } from '../../src/fhir/programmeCohorts.ts';
import { decideReferral } from '../../src/fhir/programmeQueue.ts';
import { cancelReferral, placeReferral, type ReferralOrder } from '../../src/fhir/referralWrite.ts';
import { programmeScope, requestedScope } from '../../src/fhir/scopes.ts';
import type { FhirTransport } from '../../src/fhir/transport.ts';
import { generateSeed } from '../../src/sandbox/seed/seed.ts';
import { failureOf, inProcessSandbox, type InProcessSandbox } from './support/inProcessSandbox.ts';

const SEED = generateSeed({ asOf: new Date('2026-03-16T21:00:00Z') }).resources;
const TRANSACTION = /^POST \/fhir\/?(\?|$)/;
const PROGRAMME = 'Organization/optimum-gmv-programme';
const PATIENT = 'clbp-eligible';

let sandbox: InProcessSandbox;
let clinician: FhirTransport;
let staff: FhirTransport;

beforeEach(async () => {
  sandbox = await inProcessSandbox(SEED);
  clinician = sandbox.transport({
    scopes: requestedScope('v2', 'ehr').split(' '),
    patient: PATIENT,
    fhirUser: 'Practitioner/pcp-1',
  });
  staff = sandbox.transport({
    scopes: programmeScope('v2', 'ehr').split(' '),
    fhirUser: 'Practitioner/coordinator-1',
  });
});

const ORDER: ReferralOrder = {
  submissionId: 'referral-1',
  context: { patientId: PATIENT, enterer: 'Practitioner/pcp-1', encounter: undefined },
  programme: PROGRAMME,
  authoredOn: '2026-03-16T10:00:00-06:00',
  reason: undefined,
  supportingInfo: [],
  note: 'Prefers evening sessions',
  preferredStart: '2026-04-06',
};

const read = async <T>(transport: FhirTransport, path: string): Promise<T & { id: string }> =>
  (await transport.json(path, { label: `reading ${path}` })) as T & { id: string };

const ofPatient = async <T extends ServiceRequest | Task | Encounter>(
  resourceType: T['resourceType'],
): Promise<T[]> =>
  (await sandbox.stored<T>(resourceType)).filter((r) =>
    JSON.stringify(r).includes(`"Patient/${PATIENT}"`),
  );

describe('placing a referral', () => {
  it('stores the ServiceRequest and the Task the programme works from, linked', async () => {
    const placed = await placeReferral(clinician, ORDER);
    const request = await read<ServiceRequest>(
      clinician,
      `ServiceRequest/${placed.serviceRequest.id}`,
    );
    expect([request.status, request.intent, request.subject.reference]).toEqual([
      'active',
      'order',
      'Patient/clbp-eligible',
    ]);
    expect(request.requester?.reference).toBe('Practitioner/pcp-1');
    expect(request.performer).toEqual([{ reference: PROGRAMME }]);
    expect(request.note?.[0]?.text).toBe('Prefers evening sessions');
    const task = await read<Task>(clinician, `Task/${placed.task.id}`);
    expect([task.status, task.owner?.reference, task.focus?.reference]).toEqual([
      'requested',
      PROGRAMME,
      `ServiceRequest/${placed.serviceRequest.id}`,
    ]);
  });

  it('twice (a double click, or a retry after a lost answer) places one referral', async () => {
    sandbox.loseNextAnswer(TRANSACTION);
    expect((await failureOf(placeReferral(clinician, ORDER))).kind).toBe('network');
    const again = await placeReferral(clinician, ORDER);
    expect([again.serviceRequest.status, again.task.status]).toEqual([200, 200]);
    expect(await ofPatient('ServiceRequest')).toHaveLength(1);
    expect(await ofPatient('Task')).toHaveLength(1);
  });

  it('refused halfway (the Task entry) leaves no ServiceRequest behind', async () => {
    // The clinician may create ServiceRequests but not Tasks: the transaction's second entry fails.
    const noTasks = sandbox.transport({
      scopes: requestedScope('v2', 'ehr')
        .split(' ')
        .filter((s) => !s.startsWith('patient/Task.')),
      patient: PATIENT,
      fhirUser: 'Practitioner/pcp-1',
    });
    const refused = await failureOf(placeReferral(noTasks, ORDER));
    expect(refused.kind).toBe('forbidden');
    expect(await ofPatient('ServiceRequest')).toEqual([]);
  });
});

describe('cancelling a referral', () => {
  /** The referral placed, as the chart then shows it (the versions a cancellation is based on). */
  const placedAndShown = async () => {
    const placed = await placeReferral(clinician, ORDER);
    return {
      request: await read<ServiceRequest>(clinician, `ServiceRequest/${placed.serviceRequest.id}`),
      task: await read<Task>(clinician, `Task/${placed.task.id}`),
    };
  };

  it('revokes the request and cancels the Task with the reason', async () => {
    const { request, task } = await placedAndShown();
    await cancelReferral(clinician, request, task, 'Moved away', '2026-03-17T09:00:00-06:00');
    expect((await read<ServiceRequest>(clinician, `ServiceRequest/${request.id}`)).status).toBe(
      'revoked',
    );
    const cancelled = await read<Task>(clinician, `Task/${task.id}`);
    expect([cancelled.status, cancelled.statusReason?.text]).toEqual(['cancelled', 'Moved away']);
  });

  it('after the programme accepted it meanwhile is refused as a change, and nothing is overwritten', async () => {
    const { request, task: shown } = await placedAndShown();
    await decideReferral(staff, {
      task: shown,
      decision: { kind: 'accept' },
      when: '2026-03-16T12:00:00-06:00',
    });

    const refused = await failureOf(
      cancelReferral(clinician, request, shown, 'Moved away', '2026-03-17T09:00:00-06:00'),
    );
    expect([refused.kind, refused.status]).toEqual(['changed', 412]);
    expect(nextStep(refused.kind)).toBe(
      'Someone changed this record since it was shown. Reload to see it as it is now; nothing was overwritten.',
    );
    // One transaction: the request, whose version had not moved, is not revoked either.
    expect((await read<ServiceRequest>(clinician, `ServiceRequest/${request.id}`)).status).toBe(
      'active',
    );
    expect((await read<Task>(clinician, `Task/${shown.id}`)).status).toBe('accepted');
  });
});

describe("the programme's decision", () => {
  it('once accepted, a repeat of the same decision is "already", and a colleague\'s other decision is a change', async () => {
    const placed = await placeReferral(clinician, ORDER);
    const shown = await read<Task>(staff, `Task/${placed.task.id}`);
    const accept = {
      task: shown,
      decision: { kind: 'accept' },
      when: '2026-03-16T12:00:00-06:00',
    } as const;

    const first = await decideReferral(staff, accept);
    expect([first.outcome, first.task.status]).toEqual(['written', 'accepted']);
    const repeat = await decideReferral(staff, accept);
    expect([repeat.outcome, repeat.task.status]).toEqual(['already', 'accepted']);

    const colleague = await failureOf(
      decideReferral(staff, {
        task: shown,
        decision: { kind: 'decline', reason: 'Not reachable' },
        when: '2026-03-16T12:05:00-06:00',
      }),
    );
    expect(colleague.kind).toBe('changed');
    expect(colleague.message).toBe(
      'Declining the referral: the referral was changed meanwhile (it is now "accepted"), so nothing was written.',
    );
  });
});

describe('a cohort, from creation to completion', () => {
  it('schedules, records attendance and completes once, whatever the repeats', async () => {
    const placed = await placeReferral(clinician, ORDER);
    const taskId = placed.task.id;
    const referral = `ServiceRequest/${placed.serviceRequest.id}`;
    await decideReferral(staff, {
      task: await read<Task>(staff, `Task/${taskId}`),
      decision: { kind: 'accept' },
      when: '2026-03-16T12:00:00-06:00',
    });

    const cohortOrder = {
      submissionId: 'cohort-evening',
      name: 'Spring evenings B',
      firstSession: '2026-04-06T18:00:00-06:00',
      programme: PROGRAMME,
      staff: 'Practitioner/coordinator-1',
    };
    sandbox.loseNextAnswer(TRANSACTION);
    expect((await failureOf(createCohort(staff, cohortOrder))).kind).toBe('network');
    const groupId = await createCohort(staff, cohortOrder);
    const groups = (await sandbox.stored<Group>('Group')).filter(
      (g) => g.name === 'Spring evenings B',
    );
    expect(groups.map((g) => g.id)).toEqual([groupId]);

    const cohort = (await loadCohorts(staff, PROGRAMME)).find((c) => c.group.id === groupId);
    expect(cohort?.sessions.map((s) => s.day)).toEqual([
      '2026-04-06',
      '2026-04-13',
      '2026-04-20',
      '2026-04-27',
      '2026-05-04',
      '2026-05-11',
      '2026-05-18',
      '2026-05-25',
    ]);
    if (cohort === undefined) {
      return;
    }

    const add = {
      cohort,
      patient: `Patient/${PATIENT}`,
      taskId,
      day: '2026-03-20',
      when: '2026-03-20T09:00:00-06:00',
    };
    expect(await addToCohort(staff, add)).toBe('written');
    expect(await addToCohort(staff, add)).toBe('already');
    const group = await read<Group>(staff, `Group/${groupId}`);
    expect([group.quantity, group.member?.map((m) => m.entity.reference)]).toEqual([
      1,
      ['Patient/clbp-eligible'],
    ]);
    expect((await read<Task>(staff, `Task/${taskId}`)).businessStatus?.text).toBe(
      'Scheduled in cohort Spring evenings B',
    );

    const session1 = cohort.sessions[0];
    if (session1 === undefined) {
      return;
    }
    const attendance = {
      session: session1,
      cohort,
      patient: `Patient/${PATIENT}`,
      referral,
      programme: PROGRAMME,
      attended: true,
      taskId,
      when: '2026-04-06T19:30:00-06:00',
    };
    sandbox.loseNextAnswer(TRANSACTION);
    expect((await failureOf(recordAttendance(staff, attendance))).kind).toBe('network');
    expect(await recordAttendance(staff, attendance)).toBe('already');
    const encounters = await ofPatient<Encounter>('Encounter');
    const attended = encounters.filter(
      (e) => e.appointment?.[0]?.reference === `Appointment/${session1.appointment.id}`,
    );
    expect(attended.map((e) => e.status)).toEqual(['finished']);
    const started = await read<Task>(staff, `Task/${taskId}`);
    expect([started.status, started.executionPeriod?.start]).toEqual([
      'in-progress',
      '2026-04-06T18:00:00-06:00',
    ]);

    const reread = readCohort(
      group,
      cohort.sessions.map((s) => s.appointment),
    );
    const complete = { cohort: reread, taskIds: [taskId], when: '2026-05-25T20:00:00-06:00' };
    expect(await completeCohort(staff, complete)).toBe('written');
    expect(await completeCohort(staff, complete)).toBe('already');
    const done = await read<Task>(staff, `Task/${taskId}`);
    expect([done.status, done.executionPeriod]).toEqual([
      'completed',
      { start: '2026-04-06T18:00:00-06:00', end: '2026-05-25T19:30:00-06:00' },
    ]);
    expect((await read<Group>(staff, `Group/${groupId}`)).active).toBe(false);
  });
});

describe("the programme's follow-up PEG request", () => {
  const SPEC = {
    patientId: 'in-programme',
    referral: 'ServiceRequest/in-programme-referral',
    timePoint: 'week8',
    window: { start: '2026-04-20', end: '2026-05-18' },
    authoredOn: '2026-03-16T10:00:00-06:00',
    requester: 'Practitioner/coordinator-1',
  } as const;

  it('is made once whatever the retries, and closed once by a PEG taken by phone', async () => {
    sandbox.loseNextAnswer(TRANSACTION);
    expect((await failureOf(requestPeg(staff, 'ask-1', SPEC))).kind).toBe('network');
    const id = await requestPeg(staff, 'ask-1', SPEC);
    const [request, ...others] = (await loadPegRequests(staff, ['in-programme'])).filter((r) =>
      r.task.identifier?.some((i) => i.value === 'ask-1'),
    );
    expect([request?.task.id, others]).toEqual([id, []]);
    expect([request?.open, request?.task.status, request?.task.owner?.reference]).toEqual([
      true,
      'requested',
      'Patient/in-programme',
    ]);
    if (request === undefined) {
      return;
    }

    const answer = {
      response: 'QuestionnaireResponse/by-phone',
      observation: 'Observation/by-phone',
      at: '2026-04-25T10:00:00-06:00',
    };
    await closePegRequest(staff, request, answer);
    const closed = await read<Task>(staff, `Task/${id}`);
    expect([closed.status, closed.output?.map((o) => o.valueReference?.reference)]).toEqual([
      'completed',
      ['QuestionnaireResponse/by-phone', 'Observation/by-phone'],
    ]);
    // The same close again, from the list as it was shown: the request is left as it is.
    await closePegRequest(staff, request, { ...answer, at: '2026-04-25T10:05:00-06:00' });
    expect((await read<Task>(staff, `Task/${id}`)).meta?.versionId).toBe(closed.meta?.versionId);
  });
});
