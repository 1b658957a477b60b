/**
 * Pseudonymisation of one patient's FHIR resources for research extracts (`clbp export
 * --deidentify`). Pure: the caller supplies the date shift and the id pseudonyms.
 *
 * - Dropped everywhere: `identifier`, narrative `text`, `meta`, free-text `note`, `comment`,
 *   `patientInstruction` and `description`, and the `display` of References (it often holds a
 *   name). `valueString` (free-text answers) becomes "[redacted]".
 * - Dropped from people (Patient, RelatedPerson, Person, Practitioner): `name`, `address`,
 *   `telecom`, `photo`, `contact`.
 * - Every date, dateTime and instant moves by the same whole number of days, keeping its precision,
 *   time of day and zone offset, so intervals between them are unchanged.
 * - Resource ids and the references to them (relative or absolute, and Bundle fullUrls) are
 *   replaced by pseudonyms, so references still resolve within the extract.
 *
 * This is pseudonymisation, not HIPAA Safe Harbor: dates are shifted rather than cut to the year,
 * ages over 89 are not grouped, and coded values are kept. Treat the output as a limited data set.
 */
import type { Bundle, FhirResource } from 'fhir/r4';

export interface DeidentifyOptions {
  /** Whole days added to every date (negative = earlier); the same for the whole extract. */
  readonly shiftDays: number;
  /** The pseudonym of a resource id (same input, same output). */
  readonly pseudonym: (resourceType: string, id: string) => string;
}

/** Keys removed wherever they occur. */
const DROPPED = new Set([
  'identifier',
  'meta',
  'note',
  'comment',
  'patientInstruction',
  'description',
]);
/** Keys removed from resources that describe a person. */
const PERSON_DROPPED = new Set(['name', 'address', 'telecom', 'photo', 'contact']);
const PEOPLE = new Set(['Patient', 'RelatedPerson', 'Person', 'Practitioner']);
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
  'time',
  'event',
  'whenHandedOver',
  'whenPrepared',
  'timestamp',
]);
export const REDACTED = '[redacted]';

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(T.+)?)?)?$/;
const REFERENCE = /^(.*?)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * A FHIR date, dateTime or instant moved by `days`, at the same precision (a year or year-month
 * moves with its first day); undefined for anything else.
 */
export function shiftDate(value: string, days: number): string | undefined {
  const m = FHIR_DATE.exec(value);
  if (m === null) {
    return undefined;
  }
  const [, year, month, day, time] = m;
  if (Number(month ?? '1') > 12 || Number(day ?? '1') > 31) {
    return undefined;
  }
  const moved = new Date(
    Date.UTC(Number(year), Number(month ?? '1') - 1, Number(day ?? '1') + days),
  );
  if (Number.isNaN(moved.getTime())) {
    return undefined;
  }
  const y = pad(moved.getUTCFullYear(), 4);
  if (month === undefined) {
    return y;
  }
  const mo = pad(moved.getUTCMonth() + 1, 2);
  if (day === undefined) {
    return `${y}-${mo}`;
  }
  return `${y}-${mo}-${pad(moved.getUTCDate(), 2)}${time ?? ''}`;
}

function isDateKey(key: string): boolean {
  return DATE_KEYS.has(key) || /(Date|DateTime|Instant)$/.test(key);
}

/** A reference (or fullUrl) with its resource id replaced; contained and urn: references as is. */
export function pseudonymousReference(
  reference: string,
  pseudonym: DeidentifyOptions['pseudonym'],
): string {
  if (reference.startsWith('#') || reference.startsWith('urn:')) {
    return reference;
  }
  const m = REFERENCE.exec(reference);
  if (m === null) {
    return reference;
  }
  const [, prefix, type, id] = m as unknown as [string, string, string, string];
  return `${prefix}${type}/${pseudonym(type, id)}`;
}

function shiftValue(value: unknown, days: number): unknown {
  if (typeof value === 'string') {
    return shiftDate(value, days) ?? value;
  }
  return Array.isArray(value) ? value.map((v) => shiftValue(v, days)) : value;
}

function isNarrative(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'div' in value;
}

function clean(value: unknown, o: DeidentifyOptions, person: boolean): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => clean(v, o, false));
  }
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  const input = value as Record<string, unknown>;
  const resourceType =
    typeof input['resourceType'] === 'string' ? input['resourceType'] : undefined;
  const isPerson = person || (resourceType !== undefined && PEOPLE.has(resourceType));
  const isReference = typeof input['reference'] === 'string';
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(input)) {
    if (
      DROPPED.has(key) ||
      (isPerson && PERSON_DROPPED.has(key)) ||
      (key === 'text' && isNarrative(v)) ||
      (key === 'display' && isReference)
    ) {
      continue;
    }
    if (key === 'id' && resourceType !== undefined && typeof v === 'string') {
      out[key] = o.pseudonym(resourceType, v);
    } else if ((key === 'reference' || key === 'fullUrl') && typeof v === 'string') {
      out[key] = pseudonymousReference(v, o.pseudonym);
    } else if (key === 'valueString') {
      out[key] = REDACTED;
    } else if (isDateKey(key)) {
      out[key] = shiftValue(v, o.shiftDays);
    } else {
      out[key] = clean(v, o, false);
    }
  }
  return out;
}

/** One resource, de-identified (contained resources too). */
export function deidentifyResource<T extends FhirResource>(resource: T, o: DeidentifyOptions): T {
  return clean(resource, o, false) as T;
}

/** Every entry of a Bundle de-identified with the same options; the Bundle's own id is dropped. */
export function deidentifyBundle(bundle: Bundle, o: DeidentifyOptions): Bundle {
  const cleaned = clean({ ...bundle, id: undefined }, o, false) as Bundle;
  delete cleaned.id;
  return cleaned;
}
