/**
 * One patient's compact outcome record (outcomeStore.ts) as one line of text, so a large cohort
 * can be spilled to disk between the stream and the table. Every number is written with
 * `String(n)`, which round-trips every double exactly (NaN, ±Infinity and −0 included), so a
 * record read back is the record written. Lines hold no newline: the patient key is last, as a
 * JSON string.
 */

/** A patient's compact evidence (see outcomeStore.ts for what each field holds). */
export interface CompactRecord {
  /** Position of the patient's first appearance in the stream (the in-memory order). */
  order: number;
  peg: number[];
  items: number[] | undefined;
  referralDays: number[] | undefined;
  undatedReferral: boolean;
  mme: number[] | undefined;
}

export type SpilledLine =
  { kind: 'record'; key: string; record: CompactRecord } | { kind: 'member'; key: string };

const RECORD = 'P';
const MEMBER = 'G';
const ABSENT = '-';

export function encodeRecord(key: string, record: CompactRecord): string {
  return [
    RECORD,
    numberText(record.order),
    record.undatedReferral ? '1' : '0',
    numbersText(record.peg),
    numbersText(record.items),
    numbersText(record.referralDays),
    numbersText(record.mme),
    JSON.stringify(key),
  ].join('\t');
}

/** A member of the arm-defining Group, kept in the member's partition like their record. */
export function encodeMember(key: string): string {
  return `${MEMBER}\t${JSON.stringify(key)}`;
}

/** Reads a line written by {@link encodeRecord} or {@link encodeMember}; throws on anything else. */
export function decodeLine(line: string): SpilledLine {
  const fields = line.split('\t');
  if (fields[0] === MEMBER && fields.length === 2) {
    return { kind: 'member', key: parseKey(fields[1]) };
  }
  if (fields[0] !== RECORD || fields.length !== 8) {
    throw new Error(`not a spilled outcome record: ${line.slice(0, 80)}`);
  }
  return {
    kind: 'record',
    key: parseKey(fields[7]),
    record: {
      order: Number(fields[1]),
      undatedReferral: fields[2] === '1',
      peg: parseNumbers(fields[3]) ?? [],
      items: parseNumbers(fields[4]),
      referralDays: parseNumbers(fields[5]),
      mme: parseNumbers(fields[6]),
    },
  };
}

function numberText(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

function numbersText(values: readonly number[] | undefined): string {
  return values === undefined ? ABSENT : values.map(numberText).join(',');
}

function parseNumbers(text: string | undefined): number[] | undefined {
  if (text === undefined || text === ABSENT) {
    return undefined;
  }
  return text === '' ? [] : text.split(',').map(Number);
}

function parseKey(text: string | undefined): string {
  const key: unknown = JSON.parse(text ?? '');
  if (typeof key !== 'string') {
    throw new Error('spilled outcome record without a patient key');
  }
  return key;
}

/** Appends `later` (spilled after `into`) to `into`, as if both had been one record all along. */
export function mergeRecord(into: CompactRecord, later: CompactRecord): void {
  into.order = Math.min(into.order, later.order);
  into.undatedReferral ||= later.undatedReferral;
  append(into.peg, later.peg);
  if (later.items !== undefined) {
    into.items = append(into.items ?? [], later.items);
  }
  if (later.referralDays !== undefined) {
    into.referralDays = append(into.referralDays ?? [], later.referralDays);
  }
  if (later.mme !== undefined) {
    into.mme = append(into.mme ?? [], later.mme);
  }
}

/** Element by element: a spread of a long array could exceed the engine's argument limit. */
function append(into: number[], values: readonly number[]): number[] {
  for (const value of values) {
    into.push(value);
  }
  return into;
}
