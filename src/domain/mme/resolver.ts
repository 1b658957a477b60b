/**
 * Builds the Medication lookup that computeMedicationMme needs from what a server returned: a
 * Bundle's entries (by fullUrl and by "Medication/<id>"), _include'd Medications, or a plain list
 * of resources (NDJSON). Absolute and versioned references ("https://x/fhir/Medication/1/_history/2")
 * resolve to "Medication/1".
 */
import type { Medication } from 'fhir/r4';
import { isRecord, str } from '../fhir-primitives/json.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';

/** A resolver over the Medications among `resources`; `fullUrls` pairs a Bundle entry's fullUrl with its resource. */
export function medicationResolver(
  resources: Iterable<unknown>,
  fullUrls: Iterable<readonly [string, unknown]> = [],
): (reference: string) => Medication | undefined {
  const byKey = new Map<string, Medication>();
  for (const resource of resources) {
    const id = str(resource, 'id');
    if (isRecord(resource) && resource['resourceType'] === 'Medication' && id !== undefined) {
      byKey.set(`Medication/${id}`, resource as unknown as Medication);
    }
  }
  for (const [fullUrl, resource] of fullUrls) {
    if (isRecord(resource) && resource['resourceType'] === 'Medication') {
      byKey.set(fullUrl, resource as unknown as Medication);
    }
  }
  return (reference) => byKey.get(reference) ?? byKey.get(normalizeReference(reference));
}

/** The resources and fullUrls of a Bundle (a missing `entry` is an empty Bundle). */
export function bundleEntries(bundle: unknown): {
  resources: unknown[];
  fullUrls: [string, unknown][];
} {
  const resources: unknown[] = [];
  const fullUrls: [string, unknown][] = [];
  const entries =
    isRecord(bundle) && Array.isArray(bundle['entry']) ? (bundle['entry'] as unknown[]) : [];
  for (const entry of entries) {
    if (isRecord(entry) && isRecord(entry['resource'])) {
      resources.push(entry['resource']);
      const fullUrl = str(entry, 'fullUrl');
      if (fullUrl !== undefined) {
        fullUrls.push([fullUrl, entry['resource']]);
      }
    }
  }
  return { resources, fullUrls };
}
