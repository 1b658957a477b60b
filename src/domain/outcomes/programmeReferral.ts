/**
 * Which ServiceRequests are referrals to the programme, and which Group members count, for arm
 * assignment. Pure; inputs are unverified resources.
 */
import { MINDFULNESS_GMV_CODE, PATHWAY_CODE_SYSTEM } from '../codes/canonical.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import { fullDayIndex } from '../fhir-primitives/dates.ts';
import type { Json } from './resourceShape.ts';
import { asGroup, asServiceRequest, subjectKey } from './resourceShape.ts';

/** Referral statuses that count (active or done); draft, on-hold, revoked, entered-in-error do not. */
const REFERRAL_STATUSES: readonly string[] = ['active', 'completed'];

export type ProgrammeReferral =
  | { kind: 'referral'; subject: string; day: number; key: string | undefined }
  | { kind: 'undated-referral'; subject: string }
  | { kind: 'not-a-referral' };

/**
 * A ServiceRequest for the project's service code (PATHWAY_CODE_SYSTEM | MINDFULNESS_GMV_CODE) with
 * status active or completed and a subject; its day is the calendar day of authoredOn.
 */
export function programmeReferral(resource: Json): ProgrammeReferral {
  const request = asServiceRequest(resource);
  const subject = subjectKey(resource);
  if (
    request === undefined ||
    subject === undefined ||
    !REFERRAL_STATUSES.includes(request.status) ||
    !(request.code?.coding ?? []).some(
      (c) => c.system === PATHWAY_CODE_SYSTEM && c.code === MINDFULNESS_GMV_CODE,
    )
  ) {
    return { kind: 'not-a-referral' };
  }
  const day = request.authoredOn === undefined ? undefined : fullDayIndex(request.authoredOn);
  return day === undefined
    ? { kind: 'undated-referral', subject }
    : {
        kind: 'referral',
        subject,
        day,
        key: typeof resource.id === 'string' ? `ServiceRequest/${resource.id}` : undefined,
      };
}

/** The normalised references of a Group's members, leaving out those marked inactive. */
export function activeGroupMembers(resource: Json): string[] | undefined {
  const group = asGroup(resource);
  if (group === undefined) {
    return undefined;
  }
  return (group.member ?? []).flatMap((member) =>
    member.inactive !== true && member.entity.reference !== undefined
      ? [normalizeReference(member.entity.reference)]
      : [],
  );
}
