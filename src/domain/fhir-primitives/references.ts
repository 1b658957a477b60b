/**
 * FHIR references and identifiers (https://hl7.org/fhir/R4/references.html). The one reading of
 * a literal reference in the project: relative ('Observation/1'), absolute
 * ('https://ehr/fhir/Observation/1') and versioned ('…/Observation/1/_history/2') forms of the
 * same resource compare equal as 'Observation/1'.
 */

/** Type and id at the end of a literal reference, with an optional _history suffix. */
export const LITERAL_REFERENCE =
  /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

export interface ParsedReference {
  readonly type: string;
  readonly id: string;
}

/**
 * The resource type and id a literal reference points to, or undefined for anything else
 * (contained '#x', 'urn:uuid:…', logical references, malformed text).
 */
export function parseReference(reference: string): ParsedReference | undefined {
  const match = LITERAL_REFERENCE.exec(reference);
  return match?.[1] === undefined || match[2] === undefined
    ? undefined
    : { type: match[1], id: match[2] };
}

/**
 * A literal reference as 'Type/id' so that relative, absolute and versioned forms compare equal;
 * other references (urn:uuid:…, contained '#x') are kept as they are.
 */
export function normalizeReference(reference: string): string {
  const parsed = parseReference(reference);
  return parsed === undefined ? reference : `${parsed.type}/${parsed.id}`;
}

/** 'Type/id' when the reference points to a resource of `type`, else undefined. */
export function referenceTo(reference: string | undefined, type: string): string | undefined {
  const parsed = reference === undefined ? undefined : parseReference(reference);
  return parsed?.type === type ? `${type}/${parsed.id}` : undefined;
}

/** De-duplication key of an Identifier: 'identifier:system|value'; undefined without a value. */
export function identifierKey(identifier: {
  system?: string | undefined;
  value?: string | undefined;
}): string | undefined {
  return identifier.value === undefined
    ? undefined
    : `identifier:${identifier.system ?? ''}|${identifier.value}`;
}

/** The keys of a resource: its 'Type/id' (when it has an id) and its identifiers. */
export function resourceKeys(
  resourceType: string,
  id: string | undefined,
  identifiers: readonly { system?: string | undefined; value?: string | undefined }[],
): string[] {
  const keys = id === undefined ? [] : [`${resourceType}/${id}`];
  for (const identifier of identifiers) {
    const key = identifierKey(identifier);
    if (key !== undefined) {
      keys.push(key);
    }
  }
  return keys;
}
