/**
 * One FHIR Dosage → the dose per administration and the administrations per day, at their maximum
 * (CDC: as-needed orders count at their maximum): doseRange → high, frequencyMax over frequency,
 * the shorter period, and maxDosePerPeriod as a cap. http://hl7.org/fhir/R4/dosage.html
 */
import type { DoseFormUnit } from './doseForm.ts';
import type { DoseAmount } from './quantity.ts';
import { doseAmount, quantityDays, unitDays } from './quantity.ts';
import { bool, positive, rec, recs, str, strs } from '../fhir-primitives/json.ts';

export type DosageUnknownReason = 'no-dose-quantity' | 'unsupported-dose-unit' | 'no-frequency';

export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: DosageUnknownReason; readonly detail: string };

export interface Frequency {
  readonly perDay: number;
  /** "4/day", "every 4 h (6/day)", "BID (2/day)". */
  readonly text: string;
}

export interface DailyCap {
  readonly amount: DoseAmount;
  readonly days: number;
}

/**
 * Administrations per day from timing.code (FHIR TimingAbbreviation and common sig codes).
 * Definitions, not clinical thresholds: BID is twice a day. Qn H / Qn D are parsed generally.
 */
const TIMING_CODES_PER_DAY: Readonly<Record<string, number>> = {
  QD: 1,
  DAILY: 1,
  QAM: 1,
  QPM: 1,
  AM: 1,
  PM: 1,
  QHS: 1,
  HS: 1,
  BED: 1,
  BID: 2,
  TID: 3,
  QID: 4,
  QOD: 0.5,
  WK: 1 / 7,
  MO: 1 / 30.4375,
};

const Q_EVERY = /^Q\s*(\d+(?:\.\d+)?)(?:\s*-\s*\d+(?:\.\d+)?)?\s*(H|HR|HRS|D|W|WK)$/;

function codePerDay(code: string): number | undefined {
  const c = code.toUpperCase().replace(/[\s.]/g, '');
  const known = TIMING_CODES_PER_DAY[c];
  if (known !== undefined) {
    return known;
  }
  const every = Q_EVERY.exec(c);
  const n = Number(every?.[1]);
  if (!every || !(n > 0)) {
    return undefined;
  }
  const unit = every[2] ?? '';
  const days = unit.startsWith('H') ? n / 24 : unit.startsWith('D') ? n : n * 7;
  return 1 / days;
}

/**
 * FHIR EventTiming's generic meal codes (C, AC, PC: at, before, after a meal) stand for the three
 * specific ones (…M breakfast, …D lunch, …V dinner), so each counts as three events a day.
 */
const MEAL_CODES = new Set(['C', 'AC', 'PC']);

function whenEvents(codes: readonly string[]): number {
  let events = 0;
  for (const code of new Set(codes)) {
    events += MEAL_CODES.has(code) ? 3 : 1;
  }
  return events;
}

function show(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** Whether the dosage is as needed (asNeededBoolean true or an asNeededCodeableConcept). */
export function isAsNeeded(dosage: unknown): boolean {
  return (
    bool(dosage, 'asNeededBoolean') === true || rec(dosage, 'asNeededCodeableConcept') !== undefined
  );
}

const WEEKDAYS = new Set(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/**
 * Administrations per day at their maximum, from timing.repeat, timeOfDay/when, or timing.code.
 * - frequency per period and timeOfDay/when both given: the larger (frequency 1 per day at 08:00
 *   and 20:00 is 2/day), as as-needed orders count at their maximum.
 * - dayOfWeek (project decision): MME/day is the dose on the days it is taken (the CDC's MME is
 *   the total dose taken in a day), not a weekly average. A period of a week or more spread over
 *   n weekdays gives frequency ÷ n per day taken ("3 per week, mon wed fri" = 1/day on those
 *   days); with a daily period, dayOfWeek only says which days, so the daily count stands.
 */
export function administrationsPerDay(dosage: unknown): Outcome<Frequency> {
  const timing = rec(dosage, 'timing');
  const repeat = rec(timing, 'repeat');
  const frequency = positive(repeat, 'frequencyMax') ?? positive(repeat, 'frequency');
  const period = positive(repeat, 'period') ?? positive(repeat, 'periodMax');
  const periodUnit = str(repeat, 'periodUnit');
  const dailyEvents = Math.max(
    new Set(strs(repeat, 'timeOfDay')).size,
    whenEvents(strs(repeat, 'when')),
  );
  const weekdays = [...new Set(strs(repeat, 'dayOfWeek'))].filter((d) => WEEKDAYS.has(d));
  const days = periodUnit === undefined ? undefined : unitDays(periodUnit);
  if (period !== undefined && days !== undefined) {
    const perPeriod = frequency ?? Math.max(dailyEvents, 1);
    const spread = weekdays.length > 0 && period * days >= 7 ? 7 / weekdays.length : 1;
    const perDay = Math.max((perPeriod / (period * days)) * spread, dailyEvents);
    if (!Number.isFinite(perDay)) {
      return { ok: false, reason: 'no-frequency', detail: 'the dosage frequency is out of range' };
    }
    const every =
      frequency === undefined || frequency === 1
        ? `every ${show(period)} ${periodUnit ?? ''}`
        : `${show(frequency)} per ${show(period)} ${periodUnit ?? ''}`;
    const onDays = weekdays.length > 0 ? ` on ${weekdays.join(', ')}` : '';
    const times = dailyEvents > 0 ? ` at ${String(dailyEvents)} times of day` : '';
    const text =
      period === 1 && periodUnit === 'd' && times === ''
        ? `${show(perDay)}/day${onDays}`
        : `${every}${onDays}${times} (${show(perDay)}/day${onDays === '' ? '' : ' taken'})`;
    return { ok: true, value: { perDay, text } };
  }
  if (dailyEvents > 0) {
    const onDays = weekdays.length > 0 ? ` on ${weekdays.join(', ')}` : '';
    return { ok: true, value: { perDay: dailyEvents, text: `${dailyEvents}/day${onDays}` } };
  }
  const codes = [
    ...recs(rec(timing, 'code'), 'coding').map((coding) => str(coding, 'code')),
    str(rec(timing, 'code'), 'text'),
  ].filter((c): c is string => c !== undefined);
  for (const code of codes) {
    const perDay = codePerDay(code);
    if (perDay !== undefined) {
      return { ok: true, value: { perDay, text: `${code.toUpperCase()} (${show(perDay)}/day)` } };
    }
  }
  return {
    ok: false,
    reason: 'no-frequency',
    detail: 'the dosage says no usable frequency (timing)',
  };
}

function doseAndRate(dosage: unknown): ReturnType<typeof recs>[number] | undefined {
  const entries = recs(dosage, 'doseAndRate');
  const ordered = entries.find((e) =>
    recs(rec(e, 'type'), 'coding').some((coding) => str(coding, 'code') === 'ordered'),
  );
  return (
    ordered ?? entries.find((e) => rec(e, 'doseQuantity') ?? rec(e, 'doseRange')) ?? entries[0]
  );
}

/**
 * The dose per administration: doseQuantity, or a doseRange's high value, or a rate (ug/h for
 * patches), or maxDosePerAdministration when nothing else is given.
 */
export function dosePerAdministration(
  dosage: unknown,
  formUnit: DoseFormUnit,
): Outcome<DoseAmount> {
  const entry = doseAndRate(dosage);
  const range = rec(entry, 'doseRange');
  const quantity =
    rec(entry, 'doseQuantity') ??
    rec(range, 'high') ??
    rec(entry, 'rateQuantity') ??
    rec(dosage, 'maxDosePerAdministration');
  if (quantity === undefined) {
    const detail = range
      ? 'the dose range has no upper value'
      : 'the dosage gives no dose quantity';
    return { ok: false, reason: 'no-dose-quantity', detail };
  }
  const amount = doseAmount(quantity, formUnit);
  if (amount === undefined) {
    const unit = str(quantity, 'unit') ?? str(quantity, 'code') ?? '(none)';
    return {
      ok: false,
      reason: 'unsupported-dose-unit',
      detail: `dose unit "${unit}" is not usable`,
    };
  }
  return { ok: true, value: amount };
}

/** maxDosePerPeriod as an amount per number of days (R5's list form is accepted; the lowest applies). */
export function dailyCaps(dosage: unknown, formUnit: DoseFormUnit): DailyCap[] {
  const caps: DailyCap[] = [];
  for (const ratio of recs(dosage, 'maxDosePerPeriod')) {
    const amount = doseAmount(rec(ratio, 'numerator'), formUnit);
    const days = quantityDays(rec(ratio, 'denominator'));
    if (amount !== undefined && days !== undefined) {
      caps.push({ amount, days });
    }
  }
  return caps;
}

/** A dosage that carries only text (patient instructions) adds nothing and is skipped when others are usable. */
export function isTextOnly(dosage: unknown): boolean {
  return (
    recs(dosage, 'doseAndRate').length === 0 &&
    rec(dosage, 'timing') === undefined &&
    recs(dosage, 'maxDosePerPeriod').length === 0 &&
    rec(dosage, 'maxDosePerAdministration') === undefined
  );
}
