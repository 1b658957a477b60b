/**
 * One prescription, counted once. EHRs hold the same therapy several times: an order and its
 * early renewal (priorPrescription), the patient's MedicationStatement basedOn the order, two
 * overlapping fills of the same tablets. This module links them so the totals count each day of a
 * therapy once, while each record keeps its own result for the table.
 */
import { dayIndex, isoDate } from '../fhir-primitives/dates.ts';
import type { ResolvedProduct } from './medication.ts';
import type { MedicationMmeResult } from './result.ts';
import { rec, recs, str } from '../fhir-primitives/json.ts';
import { referenceTo } from '../fhir-primitives/references.ts';

/** A record's links to other records, read from the resource (never throws). */
export interface RecordLinks {
  readonly reference: string | null;
  readonly subject: string;
  readonly basedOn: readonly string[];
  readonly priorPrescription: string | null;
}

/** "MedicationRequest/<id>" from a relative or absolute reference (a _history suffix dropped). */
function requestReference(reference: string | undefined): string | null {
  return referenceTo(reference, 'MedicationRequest') ?? null;
}

export function recordLinks(resourceType: string, resource: unknown, id: string): RecordLinks {
  const basedOn: string[] = [];
  if (resourceType === 'MedicationStatement') {
    for (const ref of recs(resource, 'basedOn')) {
      const key = requestReference(str(ref, 'reference'));
      if (key !== null) {
        basedOn.push(key);
      }
    }
  }
  return {
    reference: id === '' ? null : `${resourceType}/${id}`,
    subject: str(rec(resource, 'subject'), 'reference') ?? '',
    basedOn,
    priorPrescription:
      resourceType === 'MedicationRequest'
        ? requestReference(str(rec(resource, 'priorPrescription'), 'reference'))
        : null,
  };
}

/**
 * The group in which overlapping days count once: same patient, same opioid ingredients at the
 * same strengths, same dose form, same MME/day. Two different RxCUIs of one product (a brand and
 * its generic) resolve to the same ingredients and form, so they share a group.
 */
export function totalGroup(subject: string, product: ResolvedProduct, mmePerDay: number): string {
  let parts = PRODUCT_KEYS.get(product.opioids);
  if (parts === undefined) {
    parts = product.opioids
      .map((c) => `${c.rxcui}:${String(c.strength)}:${c.unit ?? ''}`)
      .sort()
      .join('+');
    PRODUCT_KEYS.set(product.opioids, parts);
  }
  const form = (product.doseForm.name ?? product.doseForm.route).toLowerCase();
  // join() builds a flat string at once (a template literal builds a rope that the first Map
  // lookup must flatten, which bench:mme measured as the timeline's largest cost).
  return [subject, parts, form, String(mmePerDay)].join('|');
}

/** Table products share their component list, so its key is built once per product. */
const PRODUCT_KEYS = new WeakMap<ResolvedProduct['opioids'], string>();

/** Arrays reconcileMme returned: passing one back (summary → timeline) costs nothing. */
const RECONCILED = new WeakSet<readonly MedicationMmeResult[]>();

/**
 * Applies the links between records (see ResultBase in result.ts): a MedicationStatement basedOn
 * a counted MedicationRequest of the input becomes `excluded` (`duplicate-of-request`); a request
 * renewed by a later, not excluded request of the input (its priorPrescription) ends the day before
 * the renewal starts. Idempotent; the results in the same order (the input array itself when
 * nothing links, so do not change an array after passing it). References are matched as
 * "MedicationRequest/<id>" (urn:uuid references within a Bundle are not matched).
 */
export function reconcileMme(
  results: readonly MedicationMmeResult[],
): readonly MedicationMmeResult[] {
  if (RECONCILED.has(results)) {
    return results;
  }
  const requests = new Map<string, MedicationMmeResult>();
  const renewals = new Map<string, { by: string; start: number }>();
  let linked = false;
  for (const r of results) {
    if (r.resourceType === 'MedicationRequest' && r.reference !== null) {
      requests.set(r.reference, r);
    }
    linked ||= r.basedOn.length > 0 || r.priorPrescription !== null;
  }
  if (!linked) {
    RECONCILED.add(results);
    return results;
  }
  for (const r of results) {
    const start = dayIndex(r.interval.start);
    if (r.priorPrescription === null || r.reference === null || start === undefined) {
      continue;
    }
    const known = renewals.get(r.priorPrescription);
    if (r.kind !== 'excluded' && (known === undefined || start < known.start)) {
      renewals.set(r.priorPrescription, { by: r.reference, start });
    }
  }
  const reconciled = results.map((r): MedicationMmeResult => {
    if (r.resourceType === 'MedicationStatement' && r.kind !== 'excluded') {
      const request = r.basedOn.map((b) => requests.get(b)).find((q) => q?.kind === 'counted');
      if (request !== undefined) {
        return {
          ...r,
          kind: 'excluded',
          mmePerDay: null,
          reason: 'duplicate-of-request',
          totalGroup: null,
          explanation: `not counted separately: it records ${request.reference ?? 'a request'}, which is counted (${r.explanation})`,
        };
      }
    }
    const renewal = r.reference === null ? undefined : renewals.get(r.reference);
    if (renewal === undefined) {
      return r;
    }
    const end = dayIndex(r.interval.end);
    if (end !== undefined && end < renewal.start) {
      return { ...r, supersededBy: renewal.by };
    }
    const newEnd = isoDate(renewal.start - 1);
    return {
      ...r,
      interval: { start: r.interval.start, end: newEnd },
      supersededBy: renewal.by,
      explanation: `${r.explanation}; ends ${newEnd}, renewed by ${renewal.by}`,
    };
  });
  RECONCILED.add(reconciled);
  return reconciled;
}

/**
 * Visits the counted days of `results` after reconcileMme, each group's overlapping intervals
 * merged first (a group of one, the common case, is visited as is; larger groups are sorted, so
 * O(n log n) at worst in the records, independent of the days). Open ends stop at `openEnd` (a day
 * number) or run on forever when it is undefined. Typed arrays and one chain per group keep the
 * hot path free of per-record objects (bench:mme).
 */
export function forEachCountedSegment(
  results: readonly MedicationMmeResult[],
  openEnd: number | undefined,
  visit: (first: number, last: number, mmePerDay: number) => void,
): void {
  const size = results.length;
  const firsts = new Float64Array(size);
  const lasts = new Float64Array(size);
  const mmes = new Float64Array(size);
  const next = new Int32Array(size).fill(-1);
  const heads: number[] = [];
  const tails = new Map<string, number>();
  let count = 0;
  for (const r of reconcileMme(results)) {
    if (r.kind !== 'counted') {
      continue;
    }
    const first = r.interval.start === null ? -Infinity : dayIndex(r.interval.start);
    const last = r.interval.end === null ? (openEnd ?? Infinity) : dayIndex(r.interval.end);
    if (first === undefined || last === undefined || last < first) {
      continue;
    }
    const i = count;
    count += 1;
    firsts[i] = first;
    lasts[i] = last;
    mmes[i] = r.mmePerDay;
    const key = r.totalGroup ?? '';
    const tail = tails.get(key);
    if (tail === undefined) {
      heads.push(i);
    } else {
      next[tail] = i;
    }
    tails.set(key, i);
  }
  const members: number[] = [];
  for (const head of heads) {
    if (next[head] === -1) {
      visit(firsts[head] ?? 0, lasts[head] ?? 0, mmes[head] ?? 0);
      continue;
    }
    members.length = 0;
    for (let i = head; i !== -1; i = next[i] ?? -1) {
      members.push(i);
    }
    members.sort((a, b) => (firsts[a] ?? 0) - (firsts[b] ?? 0));
    const mmePerDay = mmes[head] ?? 0;
    let first = firsts[head] ?? 0;
    let last = Number.NaN;
    for (const i of members) {
      const start = firsts[i] ?? 0;
      const end = lasts[i] ?? 0;
      if (start <= last + 1) {
        last = Math.max(last, end);
        continue;
      }
      if (!Number.isNaN(last)) {
        visit(first, last, mmePerDay);
      }
      first = start;
      last = end;
    }
    visit(first, last, mmePerDay);
  }
}
