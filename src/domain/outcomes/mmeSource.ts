/**
 * Opioid doses for the outcome table, from the MME engine (src/domain/mme): each
 * MedicationStatement or MedicationRequest becomes the period it was taken and its MME/day, three
 * numbers, so the streaming pass never keeps medication resources.
 */
import type { Medication } from 'fhir/r4';
import { computeMedicationMme } from '../mme/mme.ts';
import { fullDayIndex } from '../fhir-primitives/dates.ts';

export interface MmeSegment {
  /** First calendar day (fhir-primitives/dates.ts) the dose applies; -Infinity when the start is unknown. */
  readonly fromDay: number;
  /** Last calendar day, inclusive; Infinity while ongoing. */
  readonly toDay: number;
  /** MME/day; NaN for an opioid whose dose could not be computed (the day's total is unknown). */
  readonly mmePerDay: number;
}

export type MedicationOutcome =
  | { kind: 'counted'; segment: MmeSegment }
  | { kind: 'unknown'; segment: MmeSegment }
  | { kind: 'not-counted' };

/**
 * One medication resource through computeMedicationMme: `counted` (CDC 2022 MME/day over its
 * active interval), `unknown` (an opioid whose dose cannot be computed: it makes the total of the
 * days it covers unknown rather than silently 0), or `not-counted` (not an opioid, buprenorphine,
 * no 2022 factor, a status that does not count).
 */
export function medicationSegment(
  resource: unknown,
  resolveMedication: (reference: string) => Medication | undefined,
): MedicationOutcome {
  const result = computeMedicationMme(resource, resolveMedication);
  const fromDay =
    result.interval.start === null ? -Infinity : (fullDayIndex(result.interval.start) ?? -Infinity);
  const toDay =
    result.interval.end === null ? Infinity : (fullDayIndex(result.interval.end) ?? Infinity);
  switch (result.kind) {
    case 'counted':
      return { kind: 'counted', segment: { fromDay, toDay, mmePerDay: result.mmePerDay } };
    case 'unknown':
      return result.reason === 'not-a-medication-resource'
        ? { kind: 'not-counted' }
        : { kind: 'unknown', segment: { fromDay, toDay, mmePerDay: Number.NaN } };
    case 'excluded':
      return { kind: 'not-counted' };
  }
}

/**
 * Total MME/day on `day` from flat (fromDay, toDay, mmePerDay) triples (toDay inclusive);
 * undefined when an opioid of unknown dose covers that day.
 */
export function mmeOnDay(segments: readonly number[], day: number): number | undefined {
  let total = 0;
  for (let i = 0; i + 2 < segments.length; i += 3) {
    const from = segments[i] ?? Infinity;
    const to = segments[i + 1] ?? -Infinity;
    if (day >= from && day <= to) {
      total += segments[i + 2] ?? 0;
    }
  }
  return Number.isNaN(total) ? undefined : total;
}
