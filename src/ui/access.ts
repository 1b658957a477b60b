import { FEATURES, grants, type FeatureId } from '../fhir/scopes.ts';

/**
 * The write scopes each feature lacks under this grant (an empty grant means the EHR did not say):
 * such a section shows its data but cannot save. Missing read scopes show up per request instead
 * (the request is not made and its sections say so).
 */
export function missingWrites(grantedScope: string): Record<FeatureId, string[]> {
  const result = {} as Record<FeatureId, string[]>;
  for (const feature of FEATURES) {
    result[feature.id] =
      grantedScope.trim() === ''
        ? []
        : feature.needs.flatMap((need) => {
            const write = need.access.replace(/[rs]/g, '');
            return write !== '' && !grants(grantedScope, need.resourceType, write)
              ? [`patient/${need.resourceType}.${write}`]
              : [];
          });
  }
  return result;
}
