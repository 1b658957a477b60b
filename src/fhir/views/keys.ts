/**
 * getResourceKey() and getReferenceKey([type]) of SQL on FHIR v2: a resource's key is its
 * 'Type/id', and a Reference's key is the referenced resource's 'Type/id' by the project's one
 * reading of a literal reference (relative, absolute and versioned forms agree), so views join on
 * them. The SQL runner applies the same pattern (fhirpathSql.ts; tests/unit/views checks both).
 */
import { str } from '../../domain/fhir-primitives/json.ts';
import { parseReference } from '../../domain/fhir-primitives/references.ts';

export function resourceKey(resource: unknown): string | undefined {
  const type = str(resource, 'resourceType');
  const id = str(resource, 'id');
  return type !== undefined && id !== undefined ? `${type}/${id}` : undefined;
}

/** The key of a Reference's target; undefined when it is not a literal reference (of `type`). */
export function referenceKey(reference: unknown, type?: string): string | undefined {
  const literal = str(reference, 'reference');
  const parsed = literal === undefined ? undefined : parseReference(literal);
  if (parsed === undefined || (type !== undefined && parsed.type !== type)) {
    return undefined;
  }
  return `${parsed.type}/${parsed.id}`;
}
