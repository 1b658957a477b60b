/**
 * A referral to the group visits as the app writes it (its own referralEntries) and as the programme
 * staff then record it: the Task's status and executionPeriod (start = the first attended session),
 * and one Encounter per attended group session, basedOn the ServiceRequest.
 */
import type { Appointment, Encounter, Group, Resource, ServiceRequest, Task } from 'fhir/r4';
import {
  attendanceEncounter,
  cohortResources,
  readCohort,
  withMember,
} from '../../domain/pathway/cohort.ts';
import { PROGRAMME_ORGANIZATION_ID } from '../../domain/codes/canonical.ts';
import { referralEntries } from '../../fhir/referralWrite.ts';
import { dateAgo, instantAgo } from './clock.ts';
import { PCP, ref } from './fhirBuilders.ts';
import { FACILITATOR_ID } from './programmeStaff.ts';
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
  /** Evidence for the referral ('QuestionnaireResponse/<id>' of the screening, 'Observation/<id>'). */
  readonly supportingInfo: readonly string[];
  /**
   * The cohort the patient attended (a Group with its 8 session Appointments, domain cohort.ts),
   * its first session on startDaysAgo, named for that session's month and weekday
   * (cohortName); `completed` when the staff closed it.
   */
  readonly cohort?: { readonly id: string; readonly completed: boolean };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * A cohort's name from the month and the weekday of its first session (every session falls on
 * that weekday), e.g. "October Thursday group": the seed's dates move with asOf, so a fixed
 * weekday or season in a name would be wrong on most start days. 17:00 UTC is the same calendar
 * day in every US time zone.
 */
export function cohortName(firstSession: string): string {
  const day = new Date(firstSession);
  return `${MONTHS[day.getUTCMonth()] ?? ''} ${WEEKDAYS[day.getUTCDay()] ?? ''} group`;
}

/**
 * The cohort's sessions with fixed ids, at the seed clock's UTC instants (weekly at 17:00 UTC),
 * so every seeded date moves by exactly the days asOf moves.
 */
function seededSessions(
  clock: ScenarioContext['clock'],
  id: string,
  startDaysAgo: number,
  sessions: readonly Appointment[],
): (Appointment & { id: string })[] {
  return sessions.map((a, i) => ({
    ...a,
    id: `${id}-session-${String(i + 1)}`,
    start: instantAgo(clock, startDaysAgo - 7 * i, SESSION_MINUTE),
    end: instantAgo(clock, startDaysAgo - 7 * i, SESSION_MINUTE + 90),
  }));
}

/** The patient's cohort, built by the app's own cohort builder, with fixed ids. */
function cohortOf(
  ctx: ScenarioContext,
  spec: ProgrammeReferralSpec,
  cohort: { readonly id: string; readonly name: string; readonly completed: boolean },
): { group: Group & { id: string }; sessions: (Appointment & { id: string })[] } {
  const { group, sessions } = cohortResources(
    {
      submissionId: cohort.id,
      name: cohort.name,
      firstSession: instantAgo(ctx.clock, spec.startDaysAgo ?? 0, SESSION_MINUTE),
      programme: `Organization/${PROGRAMME_ORGANIZATION_ID}`,
      staff: `Practitioner/${FACILITATOR_ID}`,
    },
    `Group/${cohort.id}`,
  );
  const added = dateAgo(ctx.clock, (spec.startDaysAgo ?? 0) + 3);
  return {
    group: {
      ...(withMember(group, `Patient/${spec.patientId}`, added) ?? group),
      id: cohort.id,
      active: !cohort.completed,
    },
    sessions: seededSessions(ctx.clock, cohort.id, spec.startDaysAgo ?? 0, sessions),
  };
}

/** The attended sessions: the app's attendance Encounters, at the cohort's Appointments. */
function attended(
  ctx: ScenarioContext,
  spec: ProgrammeReferralSpec,
  requestId: string,
): Resource[] {
  const cohort =
    spec.cohort === undefined
      ? {
          id: `${spec.patientId}-cohort`,
          name: `cohort of ${spec.patientId}`,
          completed: spec.endDaysAgo !== undefined,
        }
      : {
          ...spec.cohort,
          name: cohortName(instantAgo(ctx.clock, spec.startDaysAgo ?? 0, SESSION_MINUTE)),
        };
  const { group, sessions } = cohortOf(ctx, spec, cohort);
  const read = readCohort(group, sessions);
  const encounters = (spec.attendedWeeks ?? []).flatMap((week): Encounter[] => {
    const session = read.sessions[week];
    return session === undefined
      ? []
      : [
          {
            ...attendanceEncounter({
              session,
              cohort: read,
              patient: `Patient/${spec.patientId}`,
              referral: `ServiceRequest/${requestId}`,
              programme: `Organization/${PROGRAMME_ORGANIZATION_ID}`,
              attended: true,
            }),
            id: `${spec.patientId}-session-${String(week + 1)}`,
          },
        ];
  });
  return spec.cohort === undefined ? encounters : [group, ...sessions, ...encounters];
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
  return [request, task, ...attended(ctx, spec, request.id ?? '')];
}

/** A cohort recruiting for its first session in 10 days, nobody added yet. */
export function recruitingCohort(clock: ScenarioContext['clock']): Resource[] {
  const id = 'cohort-recruiting';
  const firstSession = instantAgo(clock, -10, SESSION_MINUTE);
  const { group, sessions } = cohortResources(
    {
      submissionId: id,
      name: cohortName(firstSession),
      firstSession,
      programme: `Organization/${PROGRAMME_ORGANIZATION_ID}`,
      staff: `Practitioner/${FACILITATOR_ID}`,
    },
    `Group/${id}`,
  );
  return [{ ...group, id }, ...seededSessions(clock, id, -10, sessions)];
}
