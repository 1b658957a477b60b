/**
 * THE definition of "a programme referral" (the referral pattern of clinical.md, after the BSeR
 * and SDOH referral guides: a ServiceRequest for the service and the Task the programme works
 * from) and of where it stands. The app, `clbp pathway`, `clbp export`, the outcome tables and
 * the EHR simulator all use these functions; nothing else may test the service code or read a
 * referral's Task status.
 */
import type { Encounter, ServiceRequest, Task } from 'fhir/r4';
import { addWeeks } from 'date-fns/addWeeks';
import { MINDFULNESS_GMV_CODE, PATHWAY_CODE_SYSTEM } from '../codes/canonical.ts';
import { calendarDayOf, localDate, localDayOf, parseIsoDay } from '../fhir-primitives/dates.ts';

/**
 * ServiceRequest.category: SNOMED CT 409063005 "Counseling", the nearest code of US Core's
 * ServiceRequest category value set (required binding; the R4 servicerequest-category codes are in
 * it), so an EHR's category search finds the referral; and 3457005 "Patient referral" of the
 * clinical reference. *Verify* with the clinic's terminologist.
 */
export const REFERRAL_CATEGORIES = [
  { system: 'http://snomed.info/sct', code: '409063005', display: 'Counseling' },
  { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' },
] as const;

/**
 * The standard code beside the project's for the service (US Core Procedure Codes, extensible):
 * SNOMED CT 409063005 "Counseling (procedure)", the nearest verified concept. No SNOMED CT code
 * for mindfulness group medical visits was verified (clinical.md), so the project code and the
 * text say what the service is. *Verify*: a terminologist may pick a more specific procedure.
 */
export const REFERRAL_SERVICE_STANDARD_CODE = {
  system: 'http://snomed.info/sct',
  code: '409063005',
  display: 'Counseling (procedure)',
} as const;

/** Task.priority of a programme referral: routine (an urgent problem is never referred to a group). */
export const REFERRAL_PRIORITY = 'routine';

/** ServiceRequest.code.text: the service in words, for any EHR that does not know our CodeSystem. */
export const REFERRAL_SERVICE_TEXT =
  'Mindfulness group medical visits for chronic low back pain — 8 weekly telehealth sessions';

/** OPTIMUM: 8 weekly group sessions (clinical.md). */
export const PROGRAMME_SESSIONS = 8;

/**
 * reasonCode when no chronic low back pain Condition is on the chart (the screening answers made
 * the diagnosis): SNOMED CT 278860009 "Chronic low back pain" (clinical.md, Codes; the pattern
 * "reasonReference → the CLBP Condition or reasonCode").
 */
export const REFERRAL_REASON_CODE = {
  system: 'http://snomed.info/sct',
  code: '278860009',
  display: 'Chronic low back pain',
};

/** A ServiceRequest for the programme: it carries the project's service code (system and code). */
export function isProgrammeReferral(request: Pick<ServiceRequest, 'code'>): boolean {
  return (request.code?.coding ?? []).some(
    (c) => c.system === PATHWAY_CODE_SYSTEM && c.code === MINDFULNESS_GMV_CODE,
  );
}

/**
 * Where a referral stands, from the Task lifecycle the programme staff drive (clinical.md):
 * awaiting (requested/received/ready, or no Task yet) → scheduled (accepted: the patient will join a
 * cohort) → in-programme (in-progress: first session attended) → completed; or declined (rejected),
 * cancelled (by the referring clinician: Task cancelled or ServiceRequest revoked), on-hold, failed.
 */
export type ReferralStage =
  | 'awaiting'
  | 'scheduled'
  | 'in-programme'
  | 'on-hold'
  | 'completed'
  | 'declined'
  | 'cancelled'
  | 'failed';

/** The stages in which the referral is still under way: a second referral is not placed. */
const OPEN_STAGES: readonly ReferralStage[] = ['awaiting', 'scheduled', 'in-programme', 'on-hold'];

const TASK_STAGE: Readonly<Record<Task['status'], ReferralStage | undefined>> = {
  draft: 'awaiting',
  requested: 'awaiting',
  received: 'awaiting',
  ready: 'awaiting',
  accepted: 'scheduled',
  'in-progress': 'in-programme',
  'on-hold': 'on-hold',
  completed: 'completed',
  rejected: 'declined',
  cancelled: 'cancelled',
  failed: 'failed',
  'entered-in-error': undefined,
};

/**
 * The stage of a referral, or undefined when the ServiceRequest was never placed (draft,
 * entered-in-error, unknown). The ServiceRequest's own end states win over its Task's.
 */
export function referralStage(
  request: Pick<ServiceRequest, 'status'>,
  task: Pick<Task, 'status'> | undefined,
): ReferralStage | undefined {
  switch (request.status) {
    case 'draft':
    case 'entered-in-error':
    case 'unknown':
      return undefined;
    case 'revoked':
      return task?.status === 'rejected' ? 'declined' : 'cancelled';
    case 'completed':
      return 'completed';
    case 'on-hold':
      return 'on-hold';
    case 'active':
      return (task === undefined ? undefined : TASK_STAGE[task.status]) ?? 'awaiting';
  }
}

/** An open referral (under way): a patient with one is not referred again. */
export function isActiveReferral(
  request: Pick<ServiceRequest, 'status'>,
  task: Pick<Task, 'status'> | undefined,
): boolean {
  const stage = referralStage(request, task);
  return stage !== undefined && OPEN_STAGES.includes(stage);
}

/**
 * A referral the follow-up schedule hangs off: open, or completed by the programme (months 6 and
 * 12 come after the 8 weeks); not declined, cancelled or failed.
 */
export function isFollowedReferral(
  request: Pick<ServiceRequest, 'status'>,
  task: Pick<Task, 'status'> | undefined,
): boolean {
  const stage = referralStage(request, task);
  return stage !== undefined && (OPEN_STAGES.includes(stage) || stage === 'completed');
}

/** Task statuses in words (clinical.md: requested → … → completed). */
export const TASK_STATUS_TEXT: Readonly<Record<string, string>> = {
  requested: 'Requested',
  received: 'Received by the programme',
  accepted: 'Accepted',
  'in-progress': 'In progress',
  completed: 'Completed',
  rejected: 'Declined by the programme',
  cancelled: 'Cancelled',
  'on-hold': 'On hold',
  failed: 'Failed',
  'entered-in-error': 'Entered in error',
};

/** The programme's window from a start day ('YYYY-MM-DD'): 8 weekly sessions, the last 7 weeks on. */
export function programmeWindow(start: string): { start: string; end: string } | undefined {
  const day = parseIsoDay(start);
  return day === undefined
    ? undefined
    : { start, end: localDayOf(addWeeks(localDate(day), PROGRAMME_SESSIONS - 1)) };
}

/** A group session the patient attended: an Encounter basedOn the referral, finished. */
export function isAttendedSession(encounter: Pick<Encounter, 'status'>): boolean {
  return encounter.status === 'finished';
}

/** Calendar day of a group session (its period start), or undefined. */
export function sessionDay(encounter: Pick<Encounter, 'period'>): string | undefined {
  const start = encounter.period?.start;
  return start === undefined ? undefined : calendarDayOf(start);
}
