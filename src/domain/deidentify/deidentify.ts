/**
 * Pseudonymisation of one patient's FHIR resources for research extracts (`clbp export
 * --deidentify`). Pure: the caller supplies the date shift and the id pseudonyms.
 *
 * Strings pass only through an allow-list; everything else is dropped, because a deny-list misses
 * the next place an EHR puts a name (an extension, a `text`, an `*String` choice):
 * - kept: codes and other coded or canonical strings (ALLOWED_STRINGS: `system`, `code`, `status`,
 *   `unit`, `linkId`, `url`…), and `display` inside a Coding (it comes from the code system, not
 *   from the patient's record); numbers and booleans;
 * - dates (DATE_KEYS, keys ending in Date/DateTime/Instant): shifted by dateShift.ts; a string there
 *   that is not a FHIR date is dropped;
 * - free-text choice values (`valueString`, `onsetString`, `valueMarkdown`…) become "[redacted]",
 *   so a reader sees that there was an answer;
 * - dropped: every other string, so `text` (CodeableConcept.text, Dosage.text, narrative,
 *   question texts), notes, comments, instructions, descriptions, names of Groups, Reference
 *   `display`; and, wherever they occur (also inside extensions and contained resources),
 *   HumanName, Address, ContactPoint, Identifier and Attachment values, `meta` and Bundle `link`.
 *
 * Ids and references: resource ids become pseudonyms; a reference becomes relative `Type/<pseudonym>`
 * (the EHR's base URL is dropped) and one that is not `Type/id`, `#id` or `urn:` is dropped.
 * Contained resources keep their local ids, so `#id` references still resolve. A Bundle's entries
 * lose their `fullUrl` (it carries the EHR's base URL; the relative references resolve by type and
 * id), and the Bundle its `id` and `timestamp` (the unshifted export time would bound the shift).
 *
 * This is pseudonymisation, not HIPAA Safe Harbor: dates are shifted rather than cut to the year,
 * ages over 89 are not grouped, and coded values are kept. Treat the output as a limited data set.
 * A medication named only in free text (no code) loses its name, so its MME cannot be computed.
 */
import type { Bundle, FhirResource } from 'fhir/r4';
import { shiftDate } from './dateShift.ts';
import { parseReference } from '../fhir-primitives/references.ts';
import { isRecord } from '../fhir-primitives/json.ts';

export { shiftDate } from './dateShift.ts';

export interface DeidentifyOptions {
  /** Whole days added to every date (negative = earlier); the same for the whole extract. */
  readonly shiftDays: number;
  /** The pseudonym of a resource id (same input, same output). */
  readonly pseudonym: (resourceType: string, id: string) => string;
}

export const REDACTED = '[redacted]';

/** String-valued keys whose values are codes, canonical URLs or enumerations, kept as they are. */
const ALLOWED_STRINGS = new Set([
  'resourceType',
  'system',
  'code',
  'version',
  'unit',
  'comparator',
  'status',
  'intent',
  'priority',
  'gender',
  'use',
  'type',
  'mode',
  'kind',
  'language',
  'linkId',
  'questionnaire',
  'url',
  'instantiatesCanonical',
  'instantiatesUri',
  'periodUnit',
  'durationUnit',
  'when',
  'dayOfWeek',
  'timeOfDay',
  'valueCode',
  'valueUri',
  'valueUrl',
  'valueCanonical',
  'valueTime',
]);

/** Keys dropped whatever their value: identifying data types, metadata, links, free text. */
const DROPPED = new Set([
  'identifier',
  'meta',
  'text',
  'link',
  'address',
  'telecom',
  'photo',
  'contact',
  'valueAddress',
  'valueHumanName',
  'valueContactPoint',
  'valueIdentifier',
  'valueAttachment',
  'valueSignature',
  'note',
]);

/** Date-valued keys besides those ending in Date, DateTime or Instant. */
const DATE_KEYS = new Set([
  'start',
  'end',
  'issued',
  'authored',
  'authoredOn',
  'lastModified',
  'recorded',
  'date',
  'dateAsserted',
  'created',
  'event',
  'whenHandedOver',
  'whenPrepared',
]);

/** Keys that only a HumanName, an Address or an Attachment has. */
const IDENTIFYING_SHAPE = [
  'family',
  'given',
  'prefix',
  'suffix',
  'line',
  'city',
  'district',
  'state',
  'postalCode',
  'country',
  'contentType',
  'data',
];
const CONTACT_POINT_SYSTEMS = new Set(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other']);

const FREE_TEXT_CHOICE = /^[a-z][A-Za-z]*(String|Markdown)$/;

type Json = Record<string, unknown>;

/**
 * A reference rewritten for the extract: relative `Type/<pseudonym>` (whatever base URL it had),
 * contained (`#id`) and `urn:` references as they are, undefined for anything else.
 */
export function pseudonymousReference(
  reference: string,
  pseudonym: DeidentifyOptions['pseudonym'],
): string | undefined {
  if (reference.startsWith('#') || reference.startsWith('urn:')) {
    return reference;
  }
  const parsed = parseReference(reference);
  return parsed === undefined ? undefined : `${parsed.type}/${pseudonym(parsed.type, parsed.id)}`;
}

function isDateKey(key: string): boolean {
  return DATE_KEYS.has(key) || /(Date|DateTime|Instant)$/.test(key);
}

/** A HumanName, Address, Attachment or ContactPoint, wherever it sits. */
function isIdentifyingValue(v: Json): boolean {
  // SampledData also has `data` (the samples), with `origin`.
  if (IDENTIFYING_SHAPE.some((k) => k in v) && !('origin' in v)) {
    return true;
  }
  return (
    typeof v['system'] === 'string' &&
    CONTACT_POINT_SYSTEMS.has(v['system']) &&
    typeof v['value'] === 'string'
  );
}

/** `value` may be a string array (`given`, `event`…); each element follows the key's rule. */
function cleanString(key: string, value: string, o: DeidentifyOptions, owner: Json): unknown {
  if (isDateKey(key)) {
    return shiftDate(value, o.shiftDays);
  }
  if (FREE_TEXT_CHOICE.test(key)) {
    return REDACTED;
  }
  if (ALLOWED_STRINGS.has(key)) {
    return value;
  }
  const isCoding = ('system' in owner || 'code' in owner) && !('reference' in owner);
  return key === 'display' && isCoding ? value : undefined;
}

/** A cleaned value, or undefined when nothing of it may stay. */
function cleanValue(key: string, value: unknown, o: DeidentifyOptions, owner: Json): unknown {
  if (typeof value === 'string') {
    return cleanString(key, value, o, owner);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (Array.isArray(value)) {
    const items = value
      .map((v: unknown) =>
        key === 'contained' && isRecord(v) ? cleanObject(v, o, true) : cleanValue(key, v, o, owner),
      )
      .filter((v) => v !== undefined)
      .filter((v) => !(isExtensionKey(key) && isRecord(v) && isEmptyExtension(v)));
    return items.length === 0 ? undefined : items;
  }
  return isRecord(value) ? cleanObject(value, o, false) : undefined;
}

function isExtensionKey(key: string): boolean {
  return key === 'extension' || key === 'modifierExtension';
}

/** An extension whose value and sub-extensions were all dropped. */
function isEmptyExtension(v: Json): boolean {
  return Object.keys(v).every((k) => k === 'url');
}

function cleanObject(input: Json, o: DeidentifyOptions, contained: boolean): Json | undefined {
  if (isIdentifyingValue(input)) {
    return undefined;
  }
  const resourceType =
    typeof input['resourceType'] === 'string' ? input['resourceType'] : undefined;
  const out: Json = {};
  for (const [key, v] of Object.entries(input)) {
    if (DROPPED.has(key)) {
      continue;
    }
    let cleaned: unknown;
    if (key === 'id' && typeof v === 'string') {
      // A resource's id is pseudonymised; a contained one keeps its local id ('#id' refers to it);
      // an element id (no resourceType) is a local label and stays.
      cleaned = resourceType !== undefined && !contained ? o.pseudonym(resourceType, v) : v;
    } else if (key === 'reference' && typeof v === 'string') {
      cleaned = pseudonymousReference(v, o.pseudonym);
    } else {
      cleaned = cleanValue(key, v, o, input);
    }
    if (cleaned !== undefined) {
      out[key] = cleaned;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

/** One resource, de-identified (contained resources too). */
function deidentifyResource<T extends FhirResource>(resource: T, o: DeidentifyOptions): T {
  return (cleanObject(resource as unknown as Json, o, false) ?? {
    resourceType: resource.resourceType,
  }) as T;
}

/**
 * Every entry of a Bundle de-identified with the same options. The Bundle keeps its type and
 * entries only: no id, timestamp or link, and entries without fullUrl (see the module comment).
 */
export function deidentifyBundle(bundle: Bundle, o: DeidentifyOptions): Bundle {
  const entry = (bundle.entry ?? []).flatMap((e) => {
    const fullUrl = e.fullUrl?.startsWith('urn:') === true ? { fullUrl: e.fullUrl } : {};
    return e.resource
      ? [{ ...fullUrl, resource: deidentifyResource(e.resource as FhirResource, o) }]
      : [];
  });
  return {
    resourceType: 'Bundle',
    type: bundle.type,
    ...(bundle.total === undefined ? {} : { total: bundle.total }),
    entry,
  };
}
