/**
 * The patient's own check-ins: which follow-up PEGs the patient is asked to answer now, from the
 * PEG request Tasks addressed to them (pegRequest.ts) and, where no request was made, the
 * follow-up the schedule says is due (the same rule as the clinician's next action, state.ts).
 */
import type { PegAdministration } from '../peg/peg.ts';
import type { FollowUpId, FollowUpSchedule } from './followUp.ts';
import { checkInTitle, type PegRequest } from './pegRequest.ts';
import { actionableFollowUp } from './state.ts';

export interface CheckIn {
  /** Stable key: the Task reference, else 'schedule:<time point>'. */
  readonly key: string;
  readonly timePoint: FollowUpId | undefined;
  /** "Month 6 check-in". */
  readonly title: string;
  /** due: answer now; overdue: the window has closed but an answer still helps. */
  readonly status: 'due' | 'overdue';
  /** Last day of the window ('YYYY-MM-DD'), when known. */
  readonly dueBy: string | undefined;
  /** The request it answers; undefined when only the schedule asks. */
  readonly request: PegRequest | undefined;
}

export interface CheckIns {
  readonly due: readonly CheckIn[];
  /** Open requests whose window has not opened yet: the next one, for "your next check-in". */
  readonly next: { readonly title: string; readonly opens: string } | undefined;
}

/**
 * The check-ins on `today` ('YYYY-MM-DD'): open requests whose window has opened (or that have
 * none), then the schedule's due or overdue follow-up when no request of that time point exists
 * (answered or not). `schedule` is undefined when the referral was not read.
 */
export function patientCheckIns(
  requests: readonly PegRequest[],
  schedule: FollowUpSchedule | undefined,
  history: readonly PegAdministration[],
  today: string,
): CheckIns {
  const due: CheckIn[] = [];
  const upcoming: { title: string; opens: string }[] = [];
  for (const request of requests) {
    if (!request.open) {
      continue;
    }
    const { start, end } = request.window;
    const title = checkInTitle(request.label);
    if (start !== undefined && start > today) {
      upcoming.push({ title, opens: start });
      continue;
    }
    due.push({
      key: request.reference,
      timePoint: request.timePoint,
      title,
      status: end !== undefined && end < today ? 'overdue' : 'due',
      dueBy: end,
      request,
    });
  }
  const point = actionableFollowUp(schedule, history);
  if (point !== undefined && !requests.some((r) => r.timePoint === point.id)) {
    due.push({
      key: `schedule:${point.id}`,
      timePoint: point.id,
      title: checkInTitle(point.label),
      status: point.status === 'due' ? 'due' : 'overdue',
      dueBy: point.window.end,
      request: undefined,
    });
  }
  upcoming.sort((a, b) => a.opens.localeCompare(b.opens));
  return { due, next: upcoming[0] };
}
