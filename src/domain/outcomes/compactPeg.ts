/**
 * A PEG administration squeezed into a few numbers, so a streaming analysis can hold every
 * patient's history without holding resources: instant, UTC offset, score, whether it came from a
 * QuestionnaireResponse, and 53-bit hashes of its de-duplication keys. Decoding gives back a
 * PegAdministration that pegHistory's merge treats exactly like the original (keys are compared
 * only for equality, within one patient, where a hash collision is vanishingly unlikely).
 */
import type { PegAdministration } from '../peg/peg.ts';

const MS_PER_MINUTE = 60_000;
const OFFSET = /(Z|[+-]\d{2}:\d{2})$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Marker for date-only values in the offset slot. */
const DATE_ONLY_OFFSET = Number.NaN;

/** At most this many keys (and derivedFrom keys) are kept per administration. */
const MAX_KEYS = 15;

/**
 * Appends one administration to `out` (flat layout: instant, packed, …keys, …derived, where
 * packed holds the UTC offset, the score in hundredths, whether it came from a
 * QuestionnaireResponse, and the numbers of keys and derivedFrom keys; see {@link pack}).
 * Returns false (and appends nothing) when its date has no calendar day or its score is not
 * 0–10 in hundredths.
 */
export function appendCompact(out: number[], administration: PegAdministration): boolean {
  const when = parseWhen(administration.date);
  const score100 = Math.round(administration.score * 100);
  if (when === undefined || score100 < 0 || score100 > 1000) {
    return false;
  }
  const fromResponse = administration.sources.some((s) => s.startsWith('QuestionnaireResponse/'));
  const keys = administration.keys.slice(0, MAX_KEYS);
  const derived = administration.derivedFrom.slice(0, MAX_KEYS);
  out.push(when.instant, pack(when.offset, score100, fromResponse, keys.length, derived.length));
  for (const key of keys) {
    out.push(hash53(key));
  }
  for (const key of derived) {
    out.push(hash53(key));
  }
  return true;
}

/** The administrations of a flat array written by {@link appendCompact}, for `subject`. */
export function decodeCompact(data: readonly number[], subject: string): PegAdministration[] {
  const result: PegAdministration[] = [];
  let i = 0;
  const next = (): number => data[i++] ?? 0;
  while (i < data.length) {
    const instant = next();
    const { offset, score100, fromResponse, nKeys, nDerived } = unpack(next());
    const keys = Array.from({ length: nKeys }, () => `#${next()}`);
    const derivedFrom = Array.from({ length: nDerived }, () => `#${next()}`);
    result.push({
      date: formatWhen(instant, offset),
      score: score100 / 100,
      subject,
      sources: fromResponse ? ['QuestionnaireResponse/compact'] : [],
      keys,
      derivedFrom,
    });
  }
  return result;
}

/**
 * Five small fields in one 31-bit integer: offset + 1000 (0 for date-only; offsets are within
 * ±14 h = ±840 min) in 11 bits, score in hundredths (0–1000) in 11 bits, the response flag in 1,
 * and the two key counts (0–15) in 4 bits each.
 */
function pack(
  offset: number,
  score100: number,
  fromResponse: boolean,
  nKeys: number,
  nDerived: number,
): number {
  const offsetCode = Number.isNaN(offset) ? 0 : offset + 1000;
  return (
    (((offsetCode * 2048 + score100) * 2 + (fromResponse ? 1 : 0)) * 16 + nKeys) * 16 + nDerived
  );
}

function unpack(packed: number): {
  offset: number;
  score100: number;
  fromResponse: boolean;
  nKeys: number;
  nDerived: number;
} {
  const nDerived = packed % 16;
  let rest = (packed - nDerived) / 16;
  const nKeys = rest % 16;
  rest = (rest - nKeys) / 16;
  const fromResponse = rest % 2 === 1;
  rest = (rest - (rest % 2)) / 2;
  const score100 = rest % 2048;
  const offsetCode = (rest - score100) / 2048;
  return {
    offset: offsetCode === 0 ? DATE_ONLY_OFFSET : offsetCode - 1000,
    score100,
    fromResponse,
    nKeys,
    nDerived,
  };
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
