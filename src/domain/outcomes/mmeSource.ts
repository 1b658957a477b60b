/**
 * How the outcome analysis gets opioid doses: a function from one MedicationStatement or
 * MedicationRequest to the periods it contributes MME/day over. Kept as an interface so the
 * streaming pass stores three numbers per period, never the medication resources.
 */
import type { Json } from './resourceShape.ts';

export interface MmeSegment {
  /** First calendar day (see calendar.ts) the dose applies. */
  readonly fromDay: number;
  /** Last calendar day, inclusive (Infinity when open-ended). */
  readonly toDay: number;
  readonly mmePerDay: number;
}

export interface MmeSource {
  /** The dose periods of one medication resource; empty when it is not an opioid or has no usable dose. */
  segments(resource: Json): readonly MmeSegment[];
}

/** Total MME/day on `day` from flat (fromDay, toDay, mmePerDay) triples; toDay inclusive. */
export function mmeOnDay(segments: readonly number[], day: number): number {
  let total = 0;
  for (let i = 0; i + 2 < segments.length; i += 3) {
    const from = segments[i] ?? Infinity;
    const to = segments[i + 1] ?? -Infinity;
    if (day >= from && day <= to) {
      total += segments[i + 2] ?? 0;
    }
  }
  return total;
}
