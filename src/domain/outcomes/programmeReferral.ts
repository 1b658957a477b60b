/**
 * Which ServiceRequests put a patient in the referred arm, and which Group members count, for arm
 * assignment. Pure; inputs are unverified resources. What a programme referral is and where it
 * stands is pathway/referral.ts (the same definition as the app's and `clbp pathway`'s).
 */
import { isFollowedReferral, isProgrammeReferral } from '../pathway/referral.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import { fullDayIndex } from '../fhir-primitives/dates.ts';
import type { Json } from './resourceShape.ts';
import { asGroup, asServiceRequest, subjectKey } from './resourceShape.ts';

export type ProgrammeReferral =
  | { kind: 'referral'; subject: string; day: number; key: string | undefined }
  | { kind: 'undated-referral'; subject: string }
  | { kind: 'not-a-referral' };

/**
 * A programme referral (pathway isProgrammeReferral) that was placed and not revoked (open or
 * completed by its own status: pathway isFollowedReferral, read without its Task, so a referral
 * the programme later declined still counts, as intention to treat), with a subject; its day is
 * the calendar day of authoredOn.
 */
export function programmeReferral(resource: Json): ProgrammeReferral {
  const request = asServiceRequest(resource);
  const subject = subjectKey(resource);
  if (
    request === undefined ||
    subject === undefined ||
    !isProgrammeReferral(request) ||
    !isFollowedReferral(request, undefined)
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
