import { FEATURES, grants, type FeatureId } from '../fhir/scopes.ts';

export interface SectionAccess {
  /** Read scopes the grant lacks: the section is off. */
  readonly missingRead: readonly string[];
  /** Write scopes the grant lacks: the section shows data but cannot save. */
  readonly missingWrite: readonly string[];
}

/** Which scopes each feature lacks under this grant (an empty grant means the EHR did not say). */
export function sectionAccess(grantedScope: string): Record<FeatureId, SectionAccess> {
  const result = {} as Record<FeatureId, SectionAccess>;
  for (const feature of FEATURES) {
    const missingRead: string[] = [];
    const missingWrite: string[] = [];
    for (const need of feature.needs) {
      if (grantedScope.trim() === '') {
        continue;
      }
      const read = need.access.replace(/[cu]/g, '');
      const write = need.access.replace(/[rs]/g, '');
      if (read !== '' && !grants(grantedScope, need.resourceType, read)) {
        missingRead.push(`patient/${need.resourceType}.${read}`);
      }
      if (write !== '' && !grants(grantedScope, need.resourceType, write)) {
        missingWrite.push(`patient/${need.resourceType}.${write}`);
      }
    }
    result[feature.id] = { missingRead, missingWrite };
  }
  return result;
}
