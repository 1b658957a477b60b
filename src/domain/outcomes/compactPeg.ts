/**
 * A PEG administration squeezed into a few numbers, so a streaming analysis can hold every
 * patient's history without holding resources: instant, UTC offset, score, whether it came from a
 * QuestionnaireResponse, and 53-bit hashes of its de-duplication keys. Decoding gives back a
 * PegAdministration that pegHistory's merge treats exactly like the original (keys are compared
 * only for equality, within one patient, where a hash collision is vanishingly unlikely).
 */
import type { PegAdministration } from '../peg.ts';

const MS_PER_MINUTE = 60_000;
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Marker for date-only values in the offset slot. */
const DATE_ONLY_OFFSET = Number.NaN;

/**
 * Appends one administration to `out` (flat layout:
 * instant, offsetMinutes, score, fromResponse, nKeys, …keys, nDerived, …derived).
 * Returns false (and appends nothing) when its date has no usable calendar day.
 */
export function appendCompact(out: number[], administration: PegAdministration): boolean {
  const when = parseWhen(administration.date);
  if (when === undefined) {
    return false;
  }
  const fromResponse = administration.sources.some((s) => s.startsWith('QuestionnaireResponse/'));
  out.push(when.instant, when.offset, administration.score, fromResponse ? 1 : 0);
  out.push(administration.keys.length, ...administration.keys.map(hash53));
  out.push(administration.derivedFrom.length, ...administration.derivedFrom.map(hash53));
  return true;
}

/** The administrations of a flat array written by {@link appendCompact}, for `subject`. */
export function decodeCompact(data: readonly number[], subject: string): PegAdministration[] {
  const result: PegAdministration[] = [];
  let i = 0;
  const next = (): number => data[i++] ?? 0;
  while (i < data.length) {
    const instant = next();
    const offset = next();
    const score = next();
    const fromResponse = next() === 1;
    const keys = Array.from({ length: next() }, () => `#${next()}`);
    const derivedFrom = Array.from({ length: next() }, () => `#${next()}`);
    result.push({
      date: formatWhen(instant, offset),
      score,
      subject,
      sources: fromResponse ? ['QuestionnaireResponse/compact'] : [],
      keys,
      derivedFrom,
    });
  }
  return result;
}

export interface When {
  readonly instant: number;
  readonly offset: number;
}

/** Instant and UTC offset (minutes; NaN for a date without time) of a FHIR date/dateTime. */
export function parseWhen(date: string): When | undefined {
  if (DATE_ONLY.test(date)) {
    const instant = Date.parse(`${date}T00:00:00Z`);
    return Number.isNaN(instant) ? undefined : { instant, offset: DATE_ONLY_OFFSET };
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(date)) {
    return undefined;
  }
  const zone = OFFSET.exec(date)?.[1];
  // FHIR requires a zone on a dateTime with a time; without one, read it as recorded (UTC
  // clock) rather than in whatever zone this machine is in.
  const instant = Date.parse(zone === undefined ? `${date}Z` : date);
  if (Number.isNaN(instant)) {
    return undefined;
  }
  return { instant, offset: zone === undefined || zone === 'Z' ? 0 : zoneMinutes(zone) };
}

function zoneMinutes(zone: string): number {
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

/** An ISO dateTime in the administration's own offset, so its first ten characters are its day. */
export function formatWhen(instant: number, offset: number): string {
  if (Number.isNaN(offset)) {
    return new Date(instant).toISOString().slice(0, 10);
  }
  const local = new Date(instant + offset * MS_PER_MINUTE).toISOString().slice(0, 23);
  if (offset === 0) {
    return `${local}Z`;
  }
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${hh}:${mm}`;
}

/** cyrb53 (bryc, public domain): a fast 53-bit string hash, exact in a double. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
