/**
 * Programme eligibility on a past day, for the research comparison: the app's own rule
 * (evaluateEligibility, the screening's criteria and thresholds) applied to what the chart held on
 * that day: the birth date, the Conditions recorded by then, the screenings answered by then
 * (newest answer per question, within the screening window), and the PEG of that day. Referred patients are checked on their referral day; the
 * comparison arm is every patient who was eligible on the day of one of their PEGs.
 */
import type { Condition, QuestionnaireResponse } from 'fhir/r4';
import { isoDate, localDate, dayIndex } from '../fhir-primitives/dates.ts';
import { evaluateEligibility } from '../screening/eligibility.ts';
import type { EligibilityVerdict } from '../screening/eligibility.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../screening/eligibilityConfig.ts';
import type { EligibilityConfig } from '../screening/eligibilityConfig.ts';
import { readScreeningResponse } from '../screening/screening.ts';
import type { ScreeningAnswers } from '../screening/screening.ts';

export interface ChartFacts {
  readonly birthDate?: string | undefined;
  readonly conditions: readonly Condition[];
  /** Screening answers with the day they were given, oldest first. */
  readonly screenings: readonly { readonly day: number; readonly answers: ScreeningAnswers }[];
}

/** A screening response's answers and the day they were given; undefined when it is not one. */
export function screeningOf(
  response: QuestionnaireResponse,
): { day: number; answers: ScreeningAnswers } | undefined {
  const reading = readScreeningResponse(response);
  const day = reading.kind === 'screening' ? dayIndex(reading.answers.authored) : undefined;
  return reading.kind === 'screening' && day !== undefined
    ? { day, answers: reading.answers }
    : undefined;
}

export function screeningsOf(
  responses: readonly QuestionnaireResponse[],
): ChartFacts['screenings'] {
  return responses.flatMap((response) => screeningOf(response) ?? []).sort((a, b) => a.day - b.day);
}

/** A Condition known by `day`: recorded (or, without a recorded date, with onset) on or before it. */
function knownBy(condition: Condition, day: number): boolean {
  const when = dayIndex(condition.recordedDate) ?? dayIndex(condition.onsetDateTime);
  return when === undefined || when <= day;
}

/**
 * The eligibility verdict on `day` with the PEG of that day (exact mean `score`), by the app's
 * rule and thresholds. An active referral is not a criterion here: the referral being studied is
 * the event itself.
 */
export function eligibilityOn(
  facts: ChartFacts,
  day: number,
  score: number,
  config: EligibilityConfig = DEFAULT_ELIGIBILITY_CONFIG,
): EligibilityVerdict {
  // Every screening answered by then: the app's rule takes the newest answer to each question and
  // lets answers older than the screening window lapse.
  const screenings = facts.screenings.filter((s) => s.day <= day).map((s) => s.answers);
  const date = isoDate(day);
  return evaluateEligibility(
    {
      asOf: localDate(day),
      birthDate: facts.birthDate,
      conditions: facts.conditions.filter((c) => knownBy(c, day)),
      screenings,
      latestPeg: { date, score, sources: [] },
      activeReferral: undefined,
    },
    config,
  ).verdict;
}
