/**
 * When a medication counts: its status (only what the patient was taking) and its active interval.
 *
 * Intervals are inclusive ISO dates; `null` means open: an unknown start reaches back before any
 * window, an open end runs to the caller's asOf.
 * - MedicationStatement: effectivePeriod; effectiveDateTime starts an interval that stays open while
 *   the status is ongoing (a completed/stopped statement with only a dateTime is that one day);
 *   otherwise the first dosage's timing.repeat.boundsPeriod. A boundsDuration ("for 10 days")
 *   ends an interval that has a start.
 * - MedicationRequest: from dispenseRequest.validityPeriod.start or authoredOn, for the expected
 *   supply duration × (1 + numberOfRepeatsAllowed); else to boundsPeriod.end, the boundsDuration
 *   or validityPeriod.end;
 *   else open (ongoing statuses) or one day (completed/stopped).
 */
import { dayIndex, isoDate } from '../fhir-primitives/dates.ts';
import { quantityDays } from './quantity.ts';
import { num, rec, recs, recsOf, str } from '../fhir-primitives/json.ts';

export interface ActiveInterval {
  readonly start: string | null;
  readonly end: string | null;
}

/**
 * Statuses that count, per resource type (FHIR R4 value sets). Only what the patient was taking
 * counts: completed and stopped still count within their dates; intended and on-hold count as
 * documented; entered-in-error, not-taken, cancelled, draft and unknown never count.
 */
const COUNTED_STATUSES: Readonly<
  Record<'MedicationStatement' | 'MedicationRequest', readonly string[]>
> = {
  MedicationStatement: ['active', 'completed', 'intended', 'on-hold', 'stopped'],
  MedicationRequest: ['active', 'completed', 'on-hold', 'stopped'],
};

const TERMINAL = new Set(['completed', 'stopped']);

/** Why a status does not count, or null when it counts. */
export function statusExclusion(
  resourceType: 'MedicationStatement' | 'MedicationRequest',
  status: string | undefined,
): string | null {
  if (status === undefined) {
    return 'no status, so it is not known that the patient was taking it';
  }
  return COUNTED_STATUSES[resourceType].includes(status)
    ? null
    : `status "${status}" does not count`;
}

/**
 * MedicationRequest intents that are orders (FHIR R4 medicationrequest-intent). A proposal, plan
 * or option is not a prescription the patient is taking (clinical.md "Opioid dose": requests that
 * are only proposals or plans are shown and not counted).
 */
const ORDER_INTENTS: readonly string[] = [
  'order',
  'original-order',
  'reflex-order',
  'filler-order',
  'instance-order',
];

/** Why a MedicationRequest's intent does not count, or null when it does (statements: null). */
export function intentExclusion(resourceType: string, intent: string | undefined): string | null {
  if (resourceType !== 'MedicationRequest') {
    return null;
  }
  if (intent === undefined) {
    return 'the request has no intent, so it is not known to be an order';
  }
  return ORDER_INTENTS.includes(intent)
    ? null
    : `the request is a ${intent}, not an order (intent "${intent}")`;
}

/**
 * Category codes of inpatient use (FHIR R4 medicationrequest-category and
 * medication-statement-category). The CDC 2022 guideline is for outpatients ("The
 * recommendations do not apply to … patients who are hospitalized"): inpatient records are
 * shown and not counted (clinical.md: "in ambulatory use").
 */
const INPATIENT_CATEGORY = 'inpatient';

/** Why a record is not ambulatory (an inpatient category), or null. */
export function settingExclusion(resource: unknown): string | null {
  const inpatient = recs(resource, 'category').some((concept) =>
    recs(concept, 'coding').some((coding) => str(coding, 'code') === INPATIENT_CATEGORY),
  );
  return inpatient
    ? 'an inpatient record (category "inpatient"): the CDC 2022 factors are for ambulatory use'
    : null;
}

function date(value: string | undefined): string | null {
  const day = dayIndex(value);
  return day === undefined ? null : isoDate(day);
}

function plusDays(start: string, days: number): string | null {
  const day = dayIndex(start);
  return day === undefined ? null : isoDate(day + Math.max(Math.ceil(days) - 1, 0));
}

/** The first dosage's timing bounds: a boundsPeriod, or a boundsDuration in days. */
function bounds(resource: unknown): {
  period: ActiveInterval | undefined;
  days: number | undefined;
} {
  for (const dosage of recsOf(resource, 'dosage', 'dosageInstruction')) {
    const repeat = rec(rec(dosage, 'timing'), 'repeat');
    const period = rec(repeat, 'boundsPeriod');
    if (period) {
      return {
        period: { start: date(str(period, 'start')), end: date(str(period, 'end')) },
        days: undefined,
      };
    }
    const days = quantityDays(rec(repeat, 'boundsDuration'));
    if (days !== undefined) {
      return { period: undefined, days };
    }
  }
  return { period: undefined, days: undefined };
}

function statementInterval(resource: unknown, status: string | undefined): ActiveInterval {
  const period = rec(resource, 'effectivePeriod');
  if (period) {
    return { start: date(str(period, 'start')), end: date(str(period, 'end')) };
  }
  const start = date(str(resource, 'effectiveDateTime'));
  const bounded = bounds(resource);
  if (start !== null) {
    if (bounded.days !== undefined) {
      return { start, end: plusDays(start, bounded.days) };
    }
    return { start, end: status !== undefined && TERMINAL.has(status) ? start : null };
  }
  return bounded.period ?? { start: null, end: null };
}

function requestInterval(resource: unknown, status: string | undefined): ActiveInterval {
  const dispense = rec(resource, 'dispenseRequest');
  const validity = rec(dispense, 'validityPeriod');
  const bounded = bounds(resource);
  const start =
    date(str(validity, 'start')) ??
    date(str(resource, 'authoredOn')) ??
    bounded.period?.start ??
    null;
  const supplyDays = quantityDays(rec(dispense, 'expectedSupplyDuration'));
  const repeats = Math.max(Math.floor(num(dispense, 'numberOfRepeatsAllowed') ?? 0), 0);
  if (start !== null && supplyDays !== undefined) {
    return { start, end: plusDays(start, supplyDays * (1 + repeats)) };
  }
  const end =
    bounded.period?.end ??
    (start !== null && bounded.days !== undefined ? plusDays(start, bounded.days) : null) ??
    date(str(validity, 'end'));
  if (end !== null) {
    return { start, end };
  }
  return {
    start,
    end: start !== null && status !== undefined && TERMINAL.has(status) ? start : null,
  };
}

/** The active interval of a MedicationStatement or MedicationRequest (any shape; never throws). */
export function activeInterval(
  resourceType: 'MedicationStatement' | 'MedicationRequest',
  resource: unknown,
): ActiveInterval {
  const status = str(resource, 'status');
  return resourceType === 'MedicationStatement'
    ? statementInterval(resource, status)
    : requestInterval(resource, status);
}

/** Whether an interval covers `date` (ISO); open ends are open, so they cover it. */
export function isActiveOn(interval: ActiveInterval, date: string): boolean {
  return (
    (interval.start === null || interval.start <= date) &&
    (interval.end === null || date <= interval.end)
  );
}
