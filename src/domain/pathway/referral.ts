/**
 * The referral to the mindfulness group medical visit programme (OPTIMUM model, NCT04129450; the
 * referral pattern of clinical.md, after the BSeR and SDOH referral guides).
 */
import type { ServiceRequest, Task } from 'fhir/r4';
import { addDays, isoDate, parseIsoDay } from '../fhir-primitives/dates.ts';

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

/** Task statuses after which the programme no longer follows the referral. */
const ENDED_TASK: readonly Task['status'][] = [
  'cancelled',
  'rejected',
  'failed',
  'entered-in-error',
];

/**
 * An active referral: ordered (ServiceRequest active or on hold) and not yet finished by the
 * programme (its Task neither completed nor ended). A patient with one is not referred again.
 */
export function isActiveReferral(request: ServiceRequest, task: Task | undefined): boolean {
  return (
    (request.status === 'active' || request.status === 'on-hold') &&
    !(task && (task.status === 'completed' || ENDED_TASK.includes(task.status)))
  );
}

/**
 * A referral the follow-up schedule still hangs off: active, or the programme completed it
 * (month 6 and month 12 come after the 8 weeks); not revoked, declined or cancelled.
 */
export function isFollowedReferral(request: ServiceRequest, task: Task | undefined): boolean {
  return (
    ['active', 'on-hold', 'completed'].includes(request.status) &&
    !(task && ENDED_TASK.includes(task.status))
  );
}

/** Task statuses as the Referral section names them (clinical.md: requested → … → completed). */
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
    : { start, end: isoDate(addDays(day, 7 * (PROGRAMME_SESSIONS - 1))) };
}
