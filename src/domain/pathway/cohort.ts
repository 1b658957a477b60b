/**
 * THE cohort of the group programme and its sessions, as an EHR integration team would expect them:
 *
 * | what                       | FHIR                                                                                              |
 * | -------------------------- | ------------------------------------------------------------------------------------------------- |
 * | a cohort                   | `Group` (type person, actual), `code` = the project's cohort code, `managingEntity` = the programme Organization, `member.entity` = each Patient with the day added |
 * | its 8 weekly sessions      | one `Appointment` per session, `supportingInformation` → the Group, `serviceType` = the service, `start`/`end` |
 * | a patient's attendance     | one `Encounter` per patient and session: `finished` = attended, `cancelled` = did not attend; `appointment` → the session, `basedOn` → the referral (referral.ts: isAttendedSession reads exactly this) |
 * | where the referral stands  | the referral's `Task` (referral.ts): `accepted` → `in-progress` at the first attended session (`executionPeriod.start`), → `completed` at the end (`executionPeriod.end`), or `failed` when no session was attended; `businessStatus` names the cohort |
 *
 * Every resource carries a submission identifier fixed by the staff member's draft, so a retried
 * write finds the first one (conditional create); updates are conditional on the version read.
 */
import type {
  Appointment,
  CodeableConcept,
  Encounter,
  Group,
  Identifier,
  Reference,
  Task,
} from 'fhir/r4';
import { addWeeks } from 'date-fns/addWeeks';
import { addMinutes } from 'date-fns/addMinutes';
import { formatISO } from 'date-fns/formatISO';
import {
  MINDFULNESS_GMV_CODE,
  PATHWAY_CODE_SYSTEM,
  SUBMISSION_IDENTIFIER_SYSTEM,
} from '../codes/canonical.ts';
import { calendarDayOf } from '../fhir-primitives/dates.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import { PROGRAMME_SESSIONS, REFERRAL_SERVICE_TEXT } from './referral.ts';

/** Group.code of a cohort of the programme (project CodeSystem: no standard code exists). */
export const COHORT_CODE = 'mindfulness-gmv-cohort';
/** OPTIMUM: weekly group sessions of about 90 minutes (clinical.md). */
export const SESSION_MINUTES = 90;

/** HL7 v3 ActCode VR: a virtual (telehealth) encounter. */
const VIRTUAL = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  code: 'VR',
  display: 'virtual',
} as const;

const SERVICE: CodeableConcept = {
  coding: [{ system: PATHWAY_CODE_SYSTEM, code: MINDFULNESS_GMV_CODE }],
  text: REFERRAL_SERVICE_TEXT,
};

function identifierOf(resource: { readonly identifier?: readonly Identifier[] | undefined }) {
  return resource.identifier?.find((i) => i.system === SUBMISSION_IDENTIFIER_SYSTEM)?.value;
}

/** A new cohort: its name, first session (ISO dateTime with offset) and who runs it. */
export interface CohortOrder {
  readonly submissionId: string;
  readonly name: string;
  readonly firstSession: string;
  /** 'Organization/<id>' of the programme. */
  readonly programme: string;
  /** 'Practitioner/<id>' of the staff member creating it (the sessions' participant). */
  readonly staff: string | undefined;
}

/** Identifier value of session `n` (1-based) of a cohort. */
export function sessionKey(cohortKey: string, n: number): string {
  return `${cohortKey}-session-${String(n)}`;
}

/** The Group and its 8 weekly Appointments (the Group referenced as `groupRef`, e.g. a urn:uuid). */
export function cohortResources(
  order: CohortOrder,
  groupRef: string,
): { group: Group; sessions: Appointment[] } {
  const group: Group = {
    resourceType: 'Group',
    identifier: [{ system: SUBMISSION_IDENTIFIER_SYSTEM, value: order.submissionId }],
    active: true,
    type: 'person',
    actual: true,
    code: {
      coding: [{ system: PATHWAY_CODE_SYSTEM, code: COHORT_CODE }],
      text: 'Mindfulness group medical visits cohort',
    },
    name: order.name.trim(),
    managingEntity: { reference: order.programme },
    quantity: 0,
  };
  const first = new Date(order.firstSession);
  const sessions = Array.from({ length: PROGRAMME_SESSIONS }, (_, i): Appointment => {
    const start = addWeeks(first, i);
    return {
      resourceType: 'Appointment',
      identifier: [
        { system: SUBMISSION_IDENTIFIER_SYSTEM, value: sessionKey(order.submissionId, i + 1) },
      ],
      status: 'booked',
      serviceType: [SERVICE],
      appointmentType: { text: 'Group medical visit (telehealth)' },
      description: `${order.name.trim()}: session ${String(i + 1)} of ${String(PROGRAMME_SESSIONS)}`,
      // In the local time and offset the sessions are held in (weekly at the same clock time).
      start: formatISO(start),
      end: formatISO(addMinutes(start, SESSION_MINUTES)),
      minutesDuration: SESSION_MINUTES,
      supportingInformation: [{ reference: groupRef }],
      participant: [
        order.staff === undefined
          ? { type: [{ text: 'Group facilitator' }], status: 'accepted', required: 'required' }
          : { actor: { reference: order.staff }, status: 'accepted', required: 'required' },
      ],
    };
  });
  return { group, sessions };
}

export interface CohortSession {
  readonly appointment: Appointment & { id: string };
  /** 1 … 8, in date order. */
  readonly number: number;
  /** Calendar day of the session ('YYYY-MM-DD'). */
  readonly day: string | undefined;
}

export interface Cohort {
  readonly group: Group & { id: string };
  /** The cohort's submission identifier (the key of its sessions' and attendances' identifiers). */
  readonly key: string | undefined;
  readonly name: string;
  readonly sessions: readonly CohortSession[];
  /** 'Patient/<id>' of each member. */
  readonly members: readonly string[];
  /** First and last session days. */
  readonly start: string | undefined;
  readonly end: string | undefined;
  /** Group.active false: the staff completed the programme. */
  readonly completed: boolean;
}

/** Whether a Group is one of the programme's cohorts. */
export function isCohort(group: Pick<Group, 'code'>): boolean {
  return (group.code?.coding ?? []).some(
    (c) => c.system === PATHWAY_CODE_SYSTEM && c.code === COHORT_CODE,
  );
}

/** A cohort from its Group and the Appointments that name it (any order; others ignored). */
export function readCohort(
  group: Group & { id: string },
  appointments: readonly (Appointment & { id: string })[],
): Cohort {
  const own = appointments
    .filter(
      (a) =>
        a.status !== 'cancelled' &&
        a.status !== 'entered-in-error' &&
        (a.supportingInformation ?? []).some(
          (r) =>
            r.reference !== undefined && normalizeReference(r.reference) === `Group/${group.id}`,
        ),
    )
    .sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
  const sessions = own.map((appointment, i) => ({
    appointment,
    number: i + 1,
    day: appointment.start === undefined ? undefined : calendarDayOf(appointment.start),
  }));
  return {
    group,
    key: identifierOf(group),
    name: group.name ?? 'Unnamed cohort',
    sessions,
    members: (group.member ?? []).flatMap((m) =>
      m.inactive === true || m.entity.reference === undefined
        ? []
        : [normalizeReference(m.entity.reference)],
    ),
    start: sessions[0]?.day,
    end: sessions.at(-1)?.day,
    completed: group.active === false,
  };
}

/** Where a cohort stands on `today`: before its first session, running, past its last, completed. */
export type CohortStage = 'recruiting' | 'running' | 'ended' | 'completed';

export function cohortStage(cohort: Cohort, today: string): CohortStage {
  if (cohort.completed) {
    return 'completed';
  }
  if (cohort.start === undefined || today < cohort.start) {
    return 'recruiting';
  }
  return cohort.end !== undefined && today > cohort.end ? 'ended' : 'running';
}

/** The Group with the patient added (undefined: already a member, nothing to write). */
export function withMember(group: Group, patient: string, day: string): Group | undefined {
  const member = (group.member ?? []).find(
    (m) => m.entity.reference !== undefined && normalizeReference(m.entity.reference) === patient,
  );
  if (member !== undefined && member.inactive !== true) {
    return undefined;
  }
  const others = (group.member ?? []).filter((m) => m !== member);
  const members = [...others, { entity: { reference: patient }, period: { start: day } }];
  return { ...group, member: members, quantity: members.filter((m) => !m.inactive).length };
}

function businessStatus(code: string, text: string): CodeableConcept {
  return { coding: [{ system: PATHWAY_CODE_SYSTEM, code, display: text }], text };
}

/** The referral's Task once the patient is in a cohort (undefined: it already says so). */
export function scheduledTask(
  task: Task,
  cohort: Pick<Cohort, 'name'>,
  when: string,
): Task | undefined {
  const text = `Scheduled in cohort ${cohort.name}`;
  if (task.status !== 'accepted' || task.businessStatus?.text === text) {
    return undefined;
  }
  return {
    ...task,
    businessStatus: businessStatus('scheduled-in-cohort', text),
    lastModified: when,
  };
}

/** Identifier value of a patient's attendance at a session. */
export function attendanceKey(session: Pick<Appointment, 'identifier'>, patient: string): string {
  return `${identifierOf(session) ?? 'session'}-${patient.replace(/^Patient\//, '')}`;
}

export interface AttendanceOrder {
  readonly session: CohortSession;
  readonly cohort: Pick<Cohort, 'name'>;
  /** 'Patient/<id>'. */
  readonly patient: string;
  /** 'ServiceRequest/<id>' of the patient's programme referral. */
  readonly referral: string;
  readonly programme: string;
  readonly attended: boolean;
}

/** The patient's Encounter for a session: finished (attended) or cancelled (did not attend). */
export function attendanceEncounter(order: AttendanceOrder): Encounter {
  const { appointment, number } = order.session;
  const ref = (reference: string): Reference => ({ reference });
  return {
    resourceType: 'Encounter',
    identifier: [
      { system: SUBMISSION_IDENTIFIER_SYSTEM, value: attendanceKey(appointment, order.patient) },
    ],
    status: order.attended ? 'finished' : 'cancelled',
    class: VIRTUAL,
    type: [{ text: `Mindfulness group medical visit, session ${String(number)}` }],
    serviceType: SERVICE,
    subject: ref(order.patient),
    basedOn: [ref(order.referral)],
    appointment: [ref(`Appointment/${appointment.id}`)],
    ...(appointment.start === undefined
      ? {}
      : {
          period: {
            start: appointment.start,
            ...(appointment.end ? { end: appointment.end } : {}),
          },
        }),
    serviceProvider: ref(order.programme),
  };
}

/**
 * The referral's Task after an attendance is recorded (undefined: no change). The first attended
 * session starts the programme (in-progress, executionPeriod.start = that session); an earlier
 * session recorded later moves the start back; when the only attended session is corrected to
 * "did not attend" the Task returns to accepted. `attendedStarts`: the start instants of the
 * patient's other attended sessions of this referral.
 */
export function taskAfterAttendance(
  task: Task,
  order: Pick<AttendanceOrder, 'attended' | 'cohort' | 'session'>,
  attendedStarts: readonly string[],
  when: string,
): Task | undefined {
  if (task.status !== 'accepted' && task.status !== 'in-progress') {
    return undefined;
  }
  const start = order.session.appointment.start;
  const starts = [
    ...attendedStarts,
    ...(order.attended && start !== undefined ? [start] : []),
  ].sort((a, b) => new Date(a).getTime() - new Date(b).getTime());
  const first = starts[0];
  if (first === undefined) {
    if (task.status === 'accepted') {
      return undefined;
    }
    const rest: Task = { ...task };
    delete rest.executionPeriod;
    return {
      ...rest,
      status: 'accepted',
      businessStatus: businessStatus(
        'scheduled-in-cohort',
        `Scheduled in cohort ${order.cohort.name}`,
      ),
      lastModified: when,
    };
  }
  if (task.status === 'in-progress' && task.executionPeriod?.start === first) {
    return undefined;
  }
  return {
    ...task,
    status: 'in-progress',
    executionPeriod: { ...task.executionPeriod, start: first },
    businessStatus: businessStatus('attending', `Attending cohort ${order.cohort.name}`),
    lastModified: when,
  };
}

/**
 * The referral's Task when the staff complete the cohort's programme (undefined: no change):
 * completed for a patient who attended (executionPeriod.end = the last session's end), failed
 * with a reason for one who attended none.
 */
export function taskAtCompletion(
  task: Task,
  cohort: Pick<Cohort, 'name' | 'sessions'>,
  when: string,
): Task | undefined {
  const last = cohort.sessions.at(-1)?.appointment;
  const end = last?.end ?? last?.start;
  if (task.status === 'in-progress') {
    return {
      ...task,
      status: 'completed',
      executionPeriod: { ...task.executionPeriod, ...(end === undefined ? {} : { end }) },
      businessStatus: businessStatus('completed-programme', `Completed cohort ${cohort.name}`),
      lastModified: when,
    };
  }
  if (task.status === 'accepted') {
    return {
      ...task,
      status: 'failed',
      statusReason: { text: `Did not attend any session of cohort ${cohort.name}` },
      businessStatus: businessStatus('did-not-attend', 'Did not attend'),
      lastModified: when,
    };
  }
  return undefined;
}
