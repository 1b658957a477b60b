/**
 * Readers for FHIR data that came off the wire. The MME engine types its inputs with @types/fhir
 * but never trusts them: every field is read through these guards, so a malformed resource gives
 * `undefined` (and in the end an `unknown` result), never an exception or NaN.
 */

export type JsonRecord = Readonly<Record<string, unknown>>;

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object at `record[key]`, if it is one. */
export function rec(record: unknown, key: string): JsonRecord | undefined {
  if (!isRecord(record)) {
    return undefined;
  }
  const value = record[key];
  return isRecord(value) ? value : undefined;
}

/**
 * The objects of the array at `record[key]` (non-objects dropped); a lone object counts as one.
 * The result may be the input array itself: callers read it, never change it.
 */
export function recs(record: unknown, key: string): readonly JsonRecord[] {
  if (!isRecord(record)) {
    return [];
  }
  const value = record[key];
  if (Array.isArray(value)) {
    // The usual case (every element an object) returns the array itself: no copy per call.
    return value.every(isRecord) ? value : value.filter(isRecord);
  }
  return isRecord(value) ? [value] : [];
}

/** The objects of two arrays (e.g. `dosage` and `dosageInstruction`), copying only when both have some. */
export function recsOf(record: unknown, first: string, second: string): readonly JsonRecord[] {
  const a = recs(record, first);
  const b = recs(record, second);
  return a.length === 0 ? b : b.length === 0 ? a : [...a, ...b];
}

/** A non-empty string at `record[key]`. */
export function str(record: unknown, key: string): string | undefined {
  if (!isRecord(record)) {
    return undefined;
  }
  const value = record[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The strings of the array at `record[key]`. */
export function strs(record: unknown, key: string): string[] {
  if (!isRecord(record)) {
    return [];
  }
  const value = record[key];
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
}

/** A finite number at `record[key]` (numeric strings are accepted, as some servers send them). */
export function num(record: unknown, key: string): number | undefined {
  if (!isRecord(record)) {
    return undefined;
  }
  const value = record[key];
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

/** A finite, strictly positive number at `record[key]`. */
export function positive(record: unknown, key: string): number | undefined {
  const n = num(record, key);
  return n !== undefined && n > 0 ? n : undefined;
}

/** A boolean at `record[key]`. */
export function bool(record: unknown, key: string): boolean | undefined {
  if (!isRecord(record)) {
    return undefined;
  }
  const value = record[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** Rounds away floating-point noise (0.2 × 50 = 10.000000000000002) without clinical rounding. */
export function clean(value: number): number {
  return Math.abs(value) < 1e9 ? Math.round(value * 1e6) / 1e6 : value;
}
