import type { ServiceRequest, Task } from 'fhir/r4';
import type { SearchResult } from '../../fhir/search.ts';

/** ServiceRequest statuses of a referral that still stands (revoked/entered-in-error do not). */
const STANDING: readonly ServiceRequest['status'][] = ['active', 'on-hold', 'completed'];

export interface Referral {
  readonly request: ServiceRequest & { id: string };
  readonly task: (Task & { id: string }) | undefined;
}

/** The programme referrals with their Tasks (from `_revinclude=Task:focus`), newest first. */
export function referralsOf(result: SearchResult<ServiceRequest & { id: string }>): Referral[] {
  const tasks = [...result.included.values()].filter(
    (r): r is Task & { id: string } => r.resourceType === 'Task',
  );
  return result.matches
    .map((request) => ({
      request,
      task: tasks.find((t) => t.focus?.reference === `ServiceRequest/${request.id}`),
    }))
    .sort((a, b) => (b.request.authoredOn ?? '').localeCompare(a.request.authoredOn ?? ''));
}

/** The standing referral, if any: its Task is not cancelled, rejected or failed. */
export function standingReferral(
  result: SearchResult<ServiceRequest & { id: string }>,
): Referral | undefined {
  return referralsOf(result).find(
    (r) =>
      STANDING.includes(r.request.status) &&
      !(r.task && ['cancelled', 'rejected', 'failed', 'entered-in-error'].includes(r.task.status)),
  );
}

/** When the standing referral was made: the baseline PEG is the one on or before this day. */
export function activeReferralDate(
  result: SearchResult<ServiceRequest & { id: string }>,
): string | undefined {
  return standingReferral(result)?.request.authoredOn;
}
