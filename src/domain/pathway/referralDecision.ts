/**
 * The programme's answer to a referral (clinical.md, "Task lifecycle the programme staff drive"):
 * `requested` → `accepted` (the patient will join a cohort) or `rejected` with a `statusReason`
 * the referring clinician is shown. One definition of which Tasks await that answer, of the Task
 * a decision writes and of whether a Task already carries it (so a retry writes nothing twice).
 */
import type { CodeableConcept, Task } from 'fhir/r4';
import { PATHWAY_CODE_SYSTEM } from '../codes/canonical.ts';

export type ReferralDecision =
  { readonly kind: 'accept' } | { readonly kind: 'decline'; readonly reason: string };

/**
 * Task statuses that still await the programme's answer: received by the programme, not yet
 * accepted or declined (referral.ts reads each as the stage `awaiting`; a `draft` was never sent).
 */
export const AWAITING_DECISION: readonly Task['status'][] = ['requested', 'received', 'ready'];

/** Whether the programme can still accept or decline this referral's Task. */
export function awaitsDecision(task: Pick<Task, 'status'>): boolean {
  return AWAITING_DECISION.includes(task.status);
}

/**
 * Task.businessStatus after a decision: the programme's finer step, in the project's CodeSystem
 * with its words (the cohort steps of later work add theirs beside these).
 */
export const DECISION_BUSINESS_STATUS: Readonly<Record<ReferralDecision['kind'], CodeableConcept>> =
  {
    accept: {
      coding: [
        { system: PATHWAY_CODE_SYSTEM, code: 'accepted-awaiting-cohort', display: 'Accepted' },
      ],
      text: 'Accepted — awaiting a cohort',
    },
    decline: {
      coding: [{ system: PATHWAY_CODE_SYSTEM, code: 'declined', display: 'Declined' }],
      text: 'Declined by the programme',
    },
  };

const DECISION_STATUS = { accept: 'accepted', decline: 'rejected' } as const;

/**
 * The Task as the decision writes it: status, statusReason (a decline's reason, in the staff
 * member's words; none for an acceptance), businessStatus and lastModified; everything else as read.
 * @param when - ISO dateTime of the decision (the draft's first send, so a retry writes the same)
 */
export function decidedTask(task: Task, decision: ReferralDecision, when: string): Task {
  const next: Task = {
    ...task,
    status: DECISION_STATUS[decision.kind],
    businessStatus: DECISION_BUSINESS_STATUS[decision.kind],
    lastModified: when,
  };
  if (decision.kind === 'decline') {
    next.statusReason = { text: decision.reason.trim() };
  } else {
    delete next.statusReason;
  }
  return next;
}

/** Whether the Task already carries this decision (then nothing is written again). */
export function carriesDecision(
  task: Pick<Task, 'status' | 'statusReason'>,
  decision: ReferralDecision,
): boolean {
  if (task.status !== DECISION_STATUS[decision.kind]) {
    return false;
  }
  return decision.kind === 'accept' || task.statusReason?.text === decision.reason.trim();
}
