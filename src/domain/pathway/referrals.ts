/**
 * A patient's programme referrals as the pathway reads them: each ServiceRequest for the service
 * with its Task, its attended group sessions, its stage, the day it was made and the programme
 * start (the first attended session), newest first.
 */
import type { CodeableConcept, Encounter, ServiceRequest, Task } from 'fhir/r4';
import { calendarDayOf } from '../fhir-primitives/dates.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import {
  isAttendedSession,
  isFollowedReferral,
  isActiveReferral,
  isProgrammeReferral,
  referralStage,
  sessionDay,
  type ReferralStage,
} from './referral.ts';

/**
 * Where the programme start came from: the Task's executionPeriod.start (the staff record it when
 * the first session is attended), else the earliest attended session Encounter.
 */
export type ProgrammeStartSource = 'task-execution-period' | 'first-session';

export interface ProgrammeReferral {
  readonly request: ServiceRequest;
  /** 'ServiceRequest/<id>'. */
  readonly reference: string;
  readonly task: Task | undefined;
  readonly stage: ReferralStage;
  /** Calendar day of authoredOn, as recorded; undefined when missing or partial. */
  readonly referredOn: string | undefined;
  readonly programmeStart:
    { readonly day: string; readonly source: ProgrammeStartSource } | undefined;
  /** Attended sessions; undefined when the sessions (Encounters) were not read. */
  readonly sessionsAttended: number | undefined;
  /** Why it was declined or cancelled (Task.statusReason), as written. */
  readonly reason: string | undefined;
  /** The programme's finer step (Task.businessStatus), e.g. "Scheduled in cohort 12". */
  readonly businessStatus: string | undefined;
}

function conceptText(concept: CodeableConcept | undefined): string | undefined {
  return concept?.text ?? concept?.coding?.find((c) => c.display !== undefined)?.display;
}

/** The Task that speaks for a referral: not entered-in-error, the most recently modified. */
function taskOf(reference: string, tasks: readonly Task[]): Task | undefined {
  return tasks
    .filter(
      (t) =>
        t.status !== 'entered-in-error' &&
        t.focus?.reference !== undefined &&
        normalizeReference(t.focus.reference) === reference,
    )
    .sort((a, b) =>
      (b.lastModified ?? b.authoredOn ?? '').localeCompare(a.lastModified ?? a.authoredOn ?? ''),
    )[0];
}

function sessionsOf(reference: string, encounters: readonly Encounter[]): Encounter[] {
  return encounters.filter(
    (e) =>
      isAttendedSession(e) &&
      (e.basedOn ?? []).some(
        (b) => b.reference !== undefined && normalizeReference(b.reference) === reference,
      ),
  );
}

function programmeStart(
  task: Task | undefined,
  sessions: readonly Encounter[],
): ProgrammeReferral['programmeStart'] {
  const recorded = task?.executionPeriod?.start;
  const recordedDay = recorded === undefined ? undefined : calendarDayOf(recorded);
  if (recordedDay !== undefined) {
    return { day: recordedDay, source: 'task-execution-period' };
  }
  const first = sessions
    .flatMap((s) => {
      const day = sessionDay(s);
      return day === undefined ? [] : [day];
    })
    .sort()[0];
  return first === undefined ? undefined : { day: first, source: 'first-session' };
}

/**
 * The programme referrals among `requests` (isProgrammeReferral, placed), paired with their Tasks
 * (Task.focus) and attended sessions (Encounter.basedOn), newest first by authoredOn.
 * `encounters` undefined = the sessions were not read (sessionsAttended stays unknown).
 */
export function programmeReferrals(
  requests: readonly ServiceRequest[],
  tasks: readonly Task[],
  encounters: readonly Encounter[] | undefined,
): ProgrammeReferral[] {
  return requests
    .flatMap((request): ProgrammeReferral[] => {
      if (request.id === undefined || !isProgrammeReferral(request)) {
        return [];
      }
      const reference = `ServiceRequest/${request.id}`;
      const task = taskOf(reference, tasks);
      const stage = referralStage(request, task);
      if (stage === undefined) {
        return [];
      }
      const sessions = encounters === undefined ? [] : sessionsOf(reference, encounters);
      const days = new Set(sessions.map((s) => sessionDay(s) ?? s.id ?? ''));
      return [
        {
          request,
          reference,
          task,
          stage,
          referredOn:
            request.authoredOn === undefined ? undefined : calendarDayOf(request.authoredOn),
          programmeStart: programmeStart(task, sessions),
          sessionsAttended: encounters === undefined ? undefined : days.size,
          reason: conceptText(task?.statusReason),
          businessStatus: conceptText(task?.businessStatus),
        },
      ];
    })
    .sort((a, b) => (b.request.authoredOn ?? '').localeCompare(a.request.authoredOn ?? ''));
}

/** The newest referral the follow-up schedule hangs off (open or completed), if any. */
export function followedReferral(
  referrals: readonly ProgrammeReferral[],
): ProgrammeReferral | undefined {
  return referrals.find((r) => isFollowedReferral(r.request, r.task));
}

/** The newest open referral, if any: it blocks a second one and can be cancelled. */
export function openReferral(
  referrals: readonly ProgrammeReferral[],
): ProgrammeReferral | undefined {
  return referrals.find((r) => isActiveReferral(r.request, r.task));
}
