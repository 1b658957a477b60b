import type { PegAdministration } from '../../../src/domain/peg/peg.ts';
import { describe, expect, it } from 'vitest';
import { patientCheckIns } from '../../../src/domain/pathway/checkIns.ts';
import { followUpSchedule } from '../../../src/domain/pathway/followUp.ts';
import {
  answeredPegRequest,
  isPegRequest,
  pegRequestTask,
  readPegRequest,
  type PegRequest,
} from '../../../src/domain/pathway/pegRequest.ts';
import { on } from './chartBuilders.ts';

const MONTH_6 = pegRequestTask({
  patientId: 'p',
  referral: 'ServiceRequest/ref-1',
  timePoint: 'month6',
  window: { start: '2026-06-01', end: '2026-07-31' },
  authoredOn: '2026-05-20T09:00:00-06:00',
  requester: 'Organization/programme',
});

function request(task = MONTH_6, id = 'task-6'): PegRequest {
  const read = readPegRequest({ ...task, id });
  if (read === undefined) {
    throw new Error('not a PEG request');
  }
  return read;
}

describe('a PEG request Task', () => {
  it('asks the patient, who owns it, to answer the PEG Questionnaire for month 6 of the referral', () => {
    expect(MONTH_6).toMatchObject({
      status: 'requested',
      intent: 'order',
      for: { reference: 'Patient/p' },
      owner: { reference: 'Patient/p' },
      basedOn: [{ reference: 'ServiceRequest/ref-1' }],
      restriction: { period: { start: '2026-06-01', end: '2026-07-31' } },
    });
    expect(MONTH_6.description).toContain('Month 6 check-in');
    const read = request();
    expect(read).toMatchObject({
      reference: 'Task/task-6',
      open: true,
      timePoint: 'month6',
      label: 'Month 6',
      window: { start: '2026-06-01', end: '2026-07-31' },
      referral: 'ServiceRequest/ref-1',
      responses: [],
    });
  });

  it.each([
    ['a referral Task (code fulfill)', { code: { coding: [{ code: 'fulfill' }] } }],
    ['another Questionnaire', { input: [{ type: { text: 'x' }, valueCanonical: 'http://x/Q' }] }],
  ])('is not a PEG request: %s', (_, change) => {
    expect(isPegRequest({ ...MONTH_6, ...change })).toBe(false);
  });

  it('is never completed before it was made (a patient device clock behind the EHR)', () => {
    const done = answeredPegRequest(
      { ...MONTH_6, id: 'task-6' },
      {
        response: 'QuestionnaireResponse/q',
        observation: 'Observation/o',
        at: '2026-05-20T08:59:00-06:00',
      },
    );
    expect(done.lastModified).toBe(MONTH_6.authoredOn);
  });

  it('is completed with the response and the score as its outputs, and read back as answered', () => {
    const done = answeredPegRequest(
      { ...MONTH_6, id: 'task-6' },
      {
        response: 'QuestionnaireResponse/qr-1',
        observation: 'Observation/obs-1',
        at: '2026-06-10T08:00:00-06:00',
      },
    );
    expect(done.status).toBe('completed');
    expect(done.executionPeriod?.end).toBe('2026-06-10T14:00:00.000Z');
    expect(done.lastModified).toBe('2026-06-10T14:00:00.000Z');
    const read = request(done);
    expect(read.open).toBe(false);
    expect(read.responses).toEqual(['QuestionnaireResponse/qr-1']);
  });
});

const NONE: PegAdministration[] = [];

describe("the patient's check-ins", () => {
  it.each([
    [
      'before the window opens',
      '2026-05-25',
      [],
      { title: 'Month 6 check-in', opens: '2026-06-01' },
    ],
    ['on the first day of the window', '2026-06-01', [['due', '2026-07-31']], undefined],
    ['on the last day', '2026-07-31', [['due', '2026-07-31']], undefined],
    ['after the window, still open', '2026-08-01', [['overdue', '2026-07-31']], undefined],
  ])('an open month-6 request %s', (_, today, due, next) => {
    const result = patientCheckIns([request()], undefined, NONE, today);
    expect(result.due.map((c) => [c.status, c.dueBy])).toEqual(due);
    expect(result.next).toEqual(next);
  });

  it('shows no answered request', () => {
    const done = answeredPegRequest(
      { ...MONTH_6, id: 'task-6' },
      { response: 'QuestionnaireResponse/q', observation: 'Observation/o', at: '2026-06-02' },
    );
    expect(patientCheckIns([request(done)], undefined, NONE, '2026-06-03').due).toEqual([]);
  });

  it('asks for the follow-up the schedule says is due when no request was made', () => {
    const schedule = followUpSchedule(
      { kind: 'programme-start', day: '2026-01-05' },
      NONE,
      on('2026-07-06'),
    );
    const result = patientCheckIns([], schedule, NONE, '2026-07-06');
    expect(result.due).toEqual([
      expect.objectContaining({
        key: 'schedule:month6',
        title: 'Month 6 check-in',
        status: 'due',
        request: undefined,
      }),
    ]);
    // A request for that time point (open or answered) speaks for it instead.
    expect(patientCheckIns([request()], schedule, NONE, '2026-07-06').due).toHaveLength(1);
  });

  it('says when the next check-in by the schedule opens, on a firm schedule only', () => {
    const firm = followUpSchedule(
      { kind: 'programme-start', day: '2026-01-05' },
      NONE,
      on('2026-01-20'),
    );
    expect(patientCheckIns([], firm, NONE, '2026-01-20')).toEqual({
      due: [],
      next: { title: 'Week 8 check-in', opens: '2026-02-16' },
    });
    const provisional = followUpSchedule(
      { kind: 'referral', day: '2026-01-05' },
      NONE,
      on('2026-01-20'),
    );
    expect(patientCheckIns([], provisional, NONE, '2026-01-20').next).toBeUndefined();
  });

  it('asks nothing on a provisional schedule (the programme has not started)', () => {
    const schedule = followUpSchedule(
      { kind: 'referral', day: '2026-01-05' },
      NONE,
      on('2026-07-06'),
    );
    expect(patientCheckIns([], schedule, NONE, '2026-07-06').due).toEqual([]);
  });
});
