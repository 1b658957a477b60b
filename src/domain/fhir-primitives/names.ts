/** A person's name for display, from FHIR HumanName (Patient, Practitioner, RelatedPerson). */
import type { HumanName } from 'fhir/r4';

/**
 * The official name (else the first), as its `text` or "prefix given family"; `fallback` when the
 * record has none. Prefixes are kept for clinicians ("Dr. Elena Morgan"), as EHR lists show them.
 */
export function humanNameText(
  names: readonly HumanName[] | undefined,
  fallback: string,
  options: { readonly prefix?: boolean } = {},
): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (name === undefined) {
    return fallback;
  }
  if (name.text !== undefined && name.text.trim() !== '') {
    return name.text.trim();
  }
  const parts = [
    ...(options.prefix === true ? (name.prefix ?? []) : []),
    ...(name.given ?? []),
    name.family ?? '',
  ];
  return parts.join(' ').replace(/\s+/g, ' ').trim() || fallback;
}
