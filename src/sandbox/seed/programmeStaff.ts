/**
 * The group-visit programme's staff: who may open the programme workspace (the EHR simulator's
 * programme entry lists them). Each is a Practitioner with a PractitionerRole in the programme
 * Organization, as an EHR records who works for which service (US Core PractitionerRole).
 * The coordinator's Practitioner is seeded with the clinic's other staff (seed.ts).
 */
import type { Practitioner, PractitionerRole } from 'fhir/r4';
import { CANONICAL_BASE, PROGRAMME_ORGANIZATION_ID } from '../../domain/codes/canonical.ts';

/**
 * The roles, in the project's own CodeSystem: no verified standard code names a group-visit
 * coordinator or a mindfulness facilitator (HL7's practitioner-role codes are an example set).
 */
const STAFF_ROLE_SYSTEM = `${CANONICAL_BASE}/CodeSystem/clbp-programme-roles`;

export const PROGRAMME_ROLES = {
  coordinator: 'Programme coordinator',
  facilitator: 'Group facilitator',
} as const;

export const COORDINATOR_ID = 'coordinator-1';
export const FACILITATOR_ID = 'facilitator-1';

function role(practitioner: string, code: keyof typeof PROGRAMME_ROLES): PractitionerRole {
  return {
    resourceType: 'PractitionerRole',
    id: `${practitioner}-programme-role`,
    active: true,
    practitioner: { reference: `Practitioner/${practitioner}` },
    organization: { reference: `Organization/${PROGRAMME_ORGANIZATION_ID}` },
    code: [
      {
        coding: [{ system: STAFF_ROLE_SYSTEM, code, display: PROGRAMME_ROLES[code] }],
        text: PROGRAMME_ROLES[code],
      },
    ],
  };
}

/** The facilitator, and the coordinator's and facilitator's roles in the programme. */
export function programmeStaff(identifierSystem: string): (Practitioner | PractitionerRole)[] {
  const facilitator: Practitioner = {
    resourceType: 'Practitioner',
    id: FACILITATOR_ID,
    identifier: [{ system: identifierSystem, value: FACILITATOR_ID }],
    active: true,
    name: [{ use: 'official', family: 'Okafor', given: ['Grace'] }],
    telecom: [{ system: 'phone', value: '508-555-0103', use: 'work' }],
    gender: 'female',
    qualification: [{ code: { text: 'Mindfulness-based stress reduction (MBSR) teacher' } }],
  };
  return [facilitator, role(COORDINATOR_ID, 'coordinator'), role(FACILITATOR_ID, 'facilitator')];
}

/** Ids of the practitioners with an active role in the programme Organization. */
export function programmeStaffIds(
  resources: readonly { resourceType: string }[],
  programme = `Organization/${PROGRAMME_ORGANIZATION_ID}`,
): Set<string> {
  const ids = new Set<string>();
  for (const r of resources) {
    if (r.resourceType !== 'PractitionerRole') {
      continue;
    }
    const pr = r as PractitionerRole;
    const who = pr.practitioner?.reference;
    if (pr.active !== false && pr.organization?.reference === programme && who !== undefined) {
      ids.add(who.replace(/^Practitioner\//, ''));
    }
  }
  return ids;
}
