/**
 * A referral to the group visits as the app writes it (its own referralEntries) and as the programme
 * staff then record it: the Task's status and executionPeriod (start = the first attended session),
 * and one Encounter per attended group session, basedOn the ServiceRequest.
 */
import type { Encounter, Resource, ServiceRequest, Task } from 'fhir/r4';
import { PROGRAMME_ORGANIZATION_ID } from '../../domain/codes/canonical.ts';
import { referralEntries } from '../../fhir/referralWrite.ts';
import { dateAgo, instantAgo } from './clock.ts';
import { SYSTEM } from './codes.ts';
import { PCP, ref } from './fhirBuilders.ts';
import type { ScenarioContext } from './scenario.ts';

/** After every PEG minute of the day (clinic hours end at 23:00 UTC). */
const REFERRAL_MINUTE = 23 * 60 + 30;
/** Group sessions run 17:00–18:30 UTC. */
const SESSION_MINUTE = 17 * 60;

export interface ProgrammeReferralSpec {
  readonly patientId: string;
  readonly referralDaysAgo: number;
  readonly taskStatus: Task['status'];
  /** The first attended session, days ago (absent: the programme has not started). */
  readonly startDaysAgo?: number;
  /** Weeks (0-based from the start) whose session the patient attended. */
  readonly attendedWeeks?: readonly number[];
  /** The last session, days ago, when the programme completed. */
  readonly endDaysAgo?: number;
  /** Evidence for the referral ('Observation/<id>'). */
  readonly supportingInfo: readonly string[];
}

function session(
  ctx: ScenarioContext,
  spec: ProgrammeReferralSpec,
  requestId: string,
  week: number,
): Encounter {
  const daysAgo = (spec.startDaysAgo ?? 0) - week * 7;
  return {
    resourceType: 'Encounter',
    id: `${spec.patientId}-session-${String(week + 1)}`,
    status: 'finished',
    class: { system: SYSTEM.actCode, code: 'VR', display: 'virtual' },
    type: [{ text: `Mindfulness group medical visit, session ${String(week + 1)}` }],
    subject: ref('Patient', spec.patientId),
    basedOn: [ref('ServiceRequest', requestId)],
    period: {
      start: instantAgo(ctx.clock, daysAgo, SESSION_MINUTE),
      end: instantAgo(ctx.clock, daysAgo, SESSION_MINUTE + 90),
    },
    serviceProvider: ref('Organization', PROGRAMME_ORGANIZATION_ID),
  };
}

export function programmeReferral(ctx: ScenarioContext, spec: ProgrammeReferralSpec): Resource[] {
  const id = spec.patientId;
  const authoredOn = instantAgo(ctx.clock, spec.referralDaysAgo, REFERRAL_MINUTE);
  // Built by the app's own referral builder, then stored as the EHR would have them (ids
  // assigned, the Task's focus resolved) and moved on by the programme's staff.
  const [requestEntry, taskEntry] = referralEntries({
    submissionId: ctx.rng.uuid(),
    context: { patientId: id, enterer: PCP.reference, encounter: undefined },
    programme: `Organization/${PROGRAMME_ORGANIZATION_ID}`,
    authoredOn,
    reason: `Condition/${id}-clbp`,
    supportingInfo: spec.supportingInfo,
    note: '',
    // The planned 8 weekly sessions, from a week after the referral.
    preferredStart: dateAgo(ctx.clock, spec.referralDaysAgo - 7),
  });
  const request: ServiceRequest = {
    ...(requestEntry?.resource as ServiceRequest),
    id: `${id}-referral`,
  };
  const start = spec.startDaysAgo;
  const task: Task = {
    ...(taskEntry?.resource as Task),
    id: `${id}-referral-task`,
    status: spec.taskStatus,
    focus: ref('ServiceRequest', request.id ?? ''),
    lastModified: instantAgo(
      ctx.clock,
      spec.endDaysAgo ?? start ?? spec.referralDaysAgo - 2,
      23 * 60,
    ),
    ...(start === undefined
      ? {}
      : {
          executionPeriod: {
            start: instantAgo(ctx.clock, start, SESSION_MINUTE),
            ...(spec.endDaysAgo === undefined
              ? {}
              : { end: instantAgo(ctx.clock, spec.endDaysAgo, SESSION_MINUTE + 90) }),
          },
        }),
  };
  const sessions = (spec.attendedWeeks ?? []).map((week) =>
    session(ctx, spec, request.id ?? '', week),
  );
  return [request, task, ...sessions];
}
