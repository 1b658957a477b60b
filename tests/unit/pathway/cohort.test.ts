import { describe, expect, it } from 'vitest';
import type { Group, Task } from 'fhir/r4';
import {
  attendanceEncounter,
  cohortResources,
  cohortStage,
  readCohort,
  scheduledTask,
  taskAfterAttendance,
  taskAtCompletion,
  withMember,
} from '../../../src/domain/pathway/cohort.ts';
import { programmeReferrals } from '../../../src/domain/pathway/referrals.ts';

const ORDER = {
  submissionId: 'c0h0rt',
  name: 'Tuesday evenings',
  firstSession: '2026-03-03T18:00:00-07:00',
  programme: 'Organization/optimum-gmv-programme',
  staff: 'Practitioner/coordinator-1',
};

function cohort() {
  const { group, sessions } = cohortResources(ORDER, 'Group/g1');
  return readCohort(
    { ...group, id: 'g1' },
    sessions.map((s, i) => ({ ...s, id: `a${String(i + 1)}` })),
  );
}

const task = (status: Task['status'], start?: string): Task => ({
  resourceType: 'Task',
  status,
  intent: 'order',
  ...(start === undefined ? {} : { executionPeriod: { start } }),
});

describe('a cohort of the group programme', () => {
  it('has 8 weekly sessions of 90 minutes at the same local time, across a change of clock', () => {
    const c = cohort();
    expect(c.sessions.map((s) => s.day)).toEqual([
      '2026-03-03',
      '2026-03-10',
      '2026-03-17',
      '2026-03-24',
      '2026-03-31',
      '2026-04-07',
      '2026-04-14',
      '2026-04-21',
    ]);
    // America/Denver moves to daylight time on 8 March: 18:00 stays 18:00.
    expect(c.sessions[2]?.appointment.start).toBe('2026-03-17T18:00:00-06:00');
    expect(c.sessions[0]?.appointment.end).toBe('2026-03-03T19:30:00-07:00');
    expect(c.start).toBe('2026-03-03');
    expect(c.end).toBe('2026-04-21');
  });

  it.each([
    ['2026-03-02', 'recruiting'],
    ['2026-03-03', 'running'],
    ['2026-04-21', 'running'],
    ['2026-04-22', 'ended'],
  ] as const)('on %s is %s', (today, stage) => {
    expect(cohortStage(cohort(), today)).toBe(stage);
  });

  it('is completed once the staff close it, whatever the day', () => {
    const c = cohort();
    expect(cohortStage({ ...c, completed: true }, '2026-03-04')).toBe('completed');
  });

  it('adds a patient once: a second add writes nothing', () => {
    const group: Group = { resourceType: 'Group', type: 'person', actual: true };
    const once = withMember(group, 'Patient/p1', '2026-03-01');
    expect(once?.member).toEqual([
      { entity: { reference: 'Patient/p1' }, period: { start: '2026-03-01' } },
    ]);
    expect(once === undefined ? 'none' : withMember(once, 'Patient/p1', '2026-03-02')).toBe(
      undefined,
    );
  });

  it('notes the cohort on an accepted referral once', () => {
    const scheduled = scheduledTask(task('accepted'), cohort(), '2026-03-01T10:00:00Z');
    expect(scheduled?.businessStatus?.text).toBe('Scheduled in cohort Tuesday evenings');
    expect(scheduledTask(scheduled ?? task('accepted'), cohort(), 'later')).toBeUndefined();
    expect(scheduledTask(task('in-progress'), cohort(), 'later')).toBeUndefined();
  });
});

describe('attendance and the referral Task', () => {
  const c = cohort();
  const [s1, s2] = c.sessions;
  if (s1 === undefined || s2 === undefined) {
    throw new Error('no sessions');
  }
  const order = (session: typeof s1, attended: boolean) => ({ session, cohort: c, attended });

  it('starts the programme at the first attended session', () => {
    const next = taskAfterAttendance(task('accepted'), order(s1, true), [], 'now');
    expect(next).toMatchObject({
      status: 'in-progress',
      executionPeriod: { start: s1.appointment.start },
    });
  });

  it('changes nothing when a later session is attended', () => {
    const started = task('in-progress', s1.appointment.start);
    expect(
      taskAfterAttendance(started, order(s2, true), [s1.appointment.start ?? ''], 'now'),
    ).toBeUndefined();
  });

  it('moves the start back when an earlier session is recorded later', () => {
    const started = task('in-progress', s2.appointment.start);
    const next = taskAfterAttendance(started, order(s1, true), [s2.appointment.start ?? ''], 'now');
    expect(next?.executionPeriod?.start).toBe(s1.appointment.start);
  });

  it('returns to accepted when the only attended session is corrected to absent', () => {
    const started = task('in-progress', s1.appointment.start);
    const next = taskAfterAttendance(started, order(s1, false), [], 'now');
    expect(next?.status).toBe('accepted');
    expect(next?.executionPeriod).toBeUndefined();
  });

  it('records an absence without moving an accepted referral', () => {
    expect(taskAfterAttendance(task('accepted'), order(s1, false), [], 'now')).toBeUndefined();
  });

  it('writes the Encounter the pathway reads as an attended session of the referral', () => {
    const encounter = {
      ...attendanceEncounter({
        session: s1,
        cohort: c,
        patient: 'Patient/p1',
        referral: 'ServiceRequest/r1',
        programme: ORDER.programme,
        attended: true,
      }),
      id: 'e1',
    };
    const request = {
      resourceType: 'ServiceRequest' as const,
      id: 'r1',
      status: 'active' as const,
      intent: 'order' as const,
      subject: { reference: 'Patient/p1' },
      authoredOn: '2026-02-20',
      code: {
        coding: [
          {
            system: 'http://fhir.clbp-pathway.org/CodeSystem/clbp-pathway',
            code: 'mindfulness-gmv',
          },
        ],
      },
    };
    const [referral] = programmeReferrals(
      [request],
      [{ ...task('in-progress'), focus: { reference: 'ServiceRequest/r1' } }],
      [encounter, { ...encounter, id: 'e2', status: 'cancelled' }],
    );
    expect(referral?.sessionsAttended).toBe(1);
    expect(referral?.programmeStart).toEqual({ day: '2026-03-03', source: 'first-session' });
  });

  it.each([
    ['in-progress', 'completed'],
    ['accepted', 'failed'],
    ['completed', undefined],
    ['rejected', undefined],
  ] as const)('completes a %s referral as %s', (from, to) => {
    expect(taskAtCompletion(task(from, s1.appointment.start), c, 'now')?.status).toBe(to);
  });
});
