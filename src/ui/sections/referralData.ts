import type { ServiceRequest, Task } from 'fhir/r4';
import { isActiveReferral, isFollowedReferral } from '../../domain/pathway/referral.ts';
import type { SearchResult } from '../../fhir/search.ts';

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

/** The referral the follow-up schedule hangs off (domain isFollowedReferral), newest first. */
export function followedReferral(
  result: SearchResult<ServiceRequest & { id: string }>,
): Referral | undefined {
  return referralsOf(result).find((r) => isFollowedReferral(r.request, r.task));
}

/** The active referral, if any (domain isActiveReferral): no second referral while it stands. */
export function activeReferral(
  result: SearchResult<ServiceRequest & { id: string }>,
): Referral | undefined {
  return referralsOf(result).find((r) => isActiveReferral(r.request, r.task));
}
