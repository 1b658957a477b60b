/**
 * What the chart can answer before the screening is asked, for the clinician to confirm:
 * Task Force question 1 (duration) from a dated low back pain Condition, and whether the
 * pregnancy question applies (the chart's sex). Pure: `asOf` is a parameter.
 */
import type { Condition, Patient } from 'fhir/r4';
import { addMonths, dayIndex, localDayIndex } from '../fhir-primitives/dates.ts';
import { lowBackPainChart, type ConditionEvidence } from './chartEvidence.ts';
import type { EligibilityConfig } from './eligibilityConfig.ts';
import type { DurationCode } from './screening.ts';

/** The lower bound of each Task Force duration answer in months, longest first (Deyo 2014). */
const DURATION_FLOORS: readonly (readonly [DurationCode, number])[] = [
  ['gt-5-years', 60],
  ['1-5-years', 12],
  ['6-12-months', 6],
  ['3-6-months', 3],
  ['1-3-months', 1],
  ['lt-1-month', 0],
];

export interface DurationPrefill {
  readonly duration: DurationCode;
  /** The Condition it comes from (its onset is the earliest of the low back pain Conditions). */
  readonly condition: ConditionEvidence;
  readonly onset: string;
}

/**
 * The duration answer the earliest dated low back pain Condition supports on `asOf` (onset, else
 * recorded date; a partial onset counts from its first day), or undefined without one. It is a
 * suggestion: the form shows where it came from and the clinician may change it.
 */
export function durationFromChart(
  conditions: readonly Condition[],
  asOf: Date,
  chronicMonths: number,
): DurationPrefill | undefined {
  const today = localDayIndex(asOf);
  const dated = lowBackPainChart(conditions, chronicMonths, asOf)
    .lowBackPain.flatMap((c) => {
      const onset = c.onset ?? c.recorded;
      const day = dayIndex(onset);
      return onset === undefined || day === undefined || day > today ? [] : [{ c, onset, day }];
    })
    .sort((a, b) => a.day - b.day)[0];
  if (dated === undefined) {
    return undefined;
  }
  const duration =
    DURATION_FLOORS.find(([, months]) => addMonths(dated.day, months) <= today)?.[0] ??
    'lt-1-month';
  return { duration, condition: dated.c, onset: dated.onset };
}

/** The chart's sex: US Core birth sex when recorded, else Patient.gender. */
export function chartSex(patient: Pick<Patient, 'gender' | 'extension'> | undefined): string {
  const birthSex = patient?.extension?.find(
    (e) => e.url === 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
  )?.valueCode;
  if (birthSex === 'M') {
    return 'male';
  }
  return birthSex === 'F' ? 'female' : (patient?.gender ?? 'unknown');
}

/** Whether to ask the pregnancy question: not when the chart's sex is male, unless configured. */
export function asksPregnancy(
  patient: Pick<Patient, 'gender' | 'extension'> | undefined,
  config: Pick<EligibilityConfig, 'askPregnancyWhenMale'>,
): boolean {
  return config.askPregnancyWhenMale || chartSex(patient) !== 'male';
}
