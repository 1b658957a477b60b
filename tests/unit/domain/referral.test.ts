import type { ServiceRequest, Task } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  isActiveReferral,
  isFollowedReferral,
  programmeWindow,
} from '../../../src/domain/pathway/referral.ts';

const request = (status: ServiceRequest['status']): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  status,
  intent: 'order',
  subject: { reference: 'Patient/p' },
});
const task = (status: Task['status']): Task => ({ resourceType: 'Task', status, intent: 'order' });

describe('which referral blocks a new one and which one follow-up hangs off', () => {
  it.each([
    ['active', undefined, true, true],
    ['active', 'requested', true, true],
    ['active', 'in-progress', true, true],
    ['on-hold', 'accepted', true, true],
    ['active', 'completed', false, true],
    ['completed', 'completed', false, true],
    ['active', 'cancelled', false, false],
    ['active', 'rejected', false, false],
    ['revoked', 'cancelled', false, false],
    ['entered-in-error', undefined, false, false],
    ['draft', undefined, false, false],
  ] as const)(
    'a %s ServiceRequest with a %s Task: active %s, followed %s',
    (srStatus, taskStatus, active, followed) => {
      const t = taskStatus === undefined ? undefined : task(taskStatus);
      expect(isActiveReferral(request(srStatus), t)).toBe(active);
      expect(isFollowedReferral(request(srStatus), t)).toBe(followed);
    },
  );
});

describe('the programme window', () => {
  it('runs eight weekly sessions: the last one 7 weeks after the first', () => {
    expect(programmeWindow('2026-12-01')).toEqual({ start: '2026-12-01', end: '2027-01-19' });
  });

  it.each(['2026-02-30', '2026-13-01', 'next week', ''])('refuses %j as a start date', (start) => {
    expect(programmeWindow(start)).toBeUndefined();
  });
});
