/**
 * Pregnancy information from every source, newest first (clinical.md "How long answers hold": the
 * newest information wins, e.g. a pregnancy recorded after a screening answer of "not pregnant"):
 * the screening answer, US Core pregnancy status Observations (LOINC 82810-3) and current
 * pregnancy Conditions. On the same day a record without a time counts as the later one, so an
 * ambiguous order prompts a clinician rather than clearing.
 */
import type { Condition, Observation } from 'fhir/r4';
import { LOINC_SYSTEM } from '../fhir-primitives/codings.ts';
import { calendarDayOf, instantOf } from '../fhir-primitives/dates.ts';
import type { PregnancyStatusValue } from '../codes/pregnancy.ts';
import {
  PREGNANCY_CODES,
  PREGNANCY_STATUS_LOINC,
  PREGNANCY_STATUS_VALUES,
} from '../codes/pregnancy.ts';
import type { ConditionEvidence } from './chartEvidence.ts';
import { conditionsMatching } from './chartEvidence.ts';
import type { DatedAnswer } from './currentScreening.ts';

export interface PregnancyObservation {
  readonly reference: string | undefined;
  readonly status: PregnancyStatusValue;
  /** The value as recorded (its display, else code). */
  readonly value: string;
  readonly date: string | undefined;
}

export type PregnancyRecord =
  | { readonly kind: 'answer'; readonly answer: DatedAnswer<boolean>; readonly outOfDate: boolean }
  | { readonly kind: 'observation'; readonly observation: PregnancyObservation }
  | { readonly kind: 'condition'; readonly condition: ConditionEvidence };

const FINAL = ['final', 'amended', 'corrected'];

/** A pregnancy status Observation (82810-3, final/amended/corrected) as a record, else undefined. */
function readPregnancyObservation(observation: Observation): PregnancyObservation | undefined {
  const isStatus = observation.code.coding?.some(
    (c) => c.system === LOINC_SYSTEM && c.code === PREGNANCY_STATUS_LOINC,
  );
  if (isStatus !== true || !FINAL.includes(observation.status)) {
    return undefined;
  }
  const codings = observation.valueCodeableConcept?.coding ?? [];
  const known = codings
    .map((c) => PREGNANCY_STATUS_VALUES.find((v) => v.system === c.system && v.code === c.code))
    .find((v) => v !== undefined);
  const first = codings[0];
  return {
    reference: observation.id === undefined ? undefined : `Observation/${observation.id}`,
    status: known?.status ?? 'unknown',
    value:
      known?.display ??
      observation.valueCodeableConcept?.text ??
      first?.display ??
      first?.code ??
      'no value',
    date:
      observation.effectiveDateTime ??
      observation.effectivePeriod?.end ??
      observation.effectivePeriod?.start ??
      observation.issued,
  };
}

function dateOf(record: PregnancyRecord): string | undefined {
  switch (record.kind) {
    case 'answer':
      return record.answer.authored;
    case 'observation':
      return record.observation.date;
    case 'condition':
      return record.condition.recorded;
  }
}

/** Sort key: calendar day, then the instant within it; a date without a time ends its day. */
function order(date: string | undefined): [string, number] {
  const day = date === undefined ? undefined : calendarDayOf(date);
  if (date === undefined || day === undefined) {
    // No usable date: cannot be shown to be older, so it sorts as the newest.
    return ['9999-12-31', Number.POSITIVE_INFINITY];
  }
  const instant = /T/.test(date) ? instantOf(date) : undefined;
  return [day, instant ?? Number.POSITIVE_INFINITY];
}

/**
 * Every pregnancy record, newest first. `answer` is the newest screening answer (current or out
 * of date); Conditions count while current (a resolved pregnancy code says nothing now).
 */
export function pregnancyRecords(input: {
  readonly answer:
    { readonly answer: DatedAnswer<boolean>; readonly outOfDate: boolean } | undefined;
  readonly observations: readonly Observation[];
  readonly conditions: readonly Condition[];
}): PregnancyRecord[] {
  const records: PregnancyRecord[] = [
    ...(input.answer === undefined ? [] : [{ kind: 'answer' as const, ...input.answer }]),
    ...input.observations.flatMap((o) => {
      const observation = readPregnancyObservation(o);
      return observation === undefined ? [] : [{ kind: 'observation' as const, observation }];
    }),
    ...conditionsMatching(input.conditions, PREGNANCY_CODES, 'pregnancy', true).map(
      (condition) => ({ kind: 'condition' as const, condition }),
    ),
  ];
  return records.sort((a, b) => {
    const [dayA, instantA] = order(dateOf(a));
    const [dayB, instantB] = order(dateOf(b));
    return dayB.localeCompare(dayA) || (instantA === instantB ? 0 : instantB > instantA ? 1 : -1);
  });
}
