/**
 * Which screening answers hold today. The newest answer to each question wins, whichever
 * screening it came from (a full screening, or the record of an urgent answer saved before the
 * form was finished), and it holds for `screeningMaxAgeMonths` (clinical.md "How long answers
 * hold"). An older newest answer is out of date: it is kept, with its date, so the screen can say
 * "out of date — ask again" instead of silently forgetting it.
 *
 * One exception: an urgent red flag (a cauda equina sign or a progressive neurological deficit,
 * RED_FLAG_RULES urgency other than 'evaluate') answered "yes" holds while that "yes" is recent
 * enough, even if a later screening answered "no": the "no" is kept beside it (`laterNo`) and does
 * not clear it; only a clinician's recorded evaluation does (clinical.md "Clearing a red flag",
 * "Urgency": keep it on the record). Once the "yes" is out of date, the newest answer holds again.
 * *verify* (README).
 */
import {
  addMonths,
  calendarDayOf,
  instantOf,
  isoDate,
  localDayIndex,
} from '../fhir-primitives/dates.ts';
import { RED_FLAG_RULES } from './eligibilityConfig.ts';
import type { DurationCode, FrequencyCode, RedFlagKey, ScreeningAnswers } from './screening.ts';
import { RED_FLAGS } from './screening.ts';

/** One answer and where it came from. */
export interface DatedAnswer<T> {
  readonly value: T;
  /** QuestionnaireResponse.authored; undefined = date unknown (then never current). */
  readonly authored: string | undefined;
  /** 'QuestionnaireResponse/id'. */
  readonly response: string | undefined;
}

export interface ScreeningAnswerSet {
  readonly duration?: DatedAnswer<DurationCode> | undefined;
  readonly frequency?: DatedAnswer<FrequencyCode> | undefined;
  readonly redFlags: Readonly<Partial<Record<RedFlagKey, DatedAnswer<boolean>>>>;
  readonly pregnant?: DatedAnswer<boolean> | undefined;
  readonly telehealthAble?: DatedAnswer<boolean> | undefined;
}

export interface CurrentScreening {
  /** The newest answer to each question, when it is recent enough to hold. */
  readonly current: ScreeningAnswerSet;
  /** The newest answer to each question, when it is too old to hold (ask again). */
  readonly outOfDate: ScreeningAnswerSet;
  /**
   * For an urgent red flag whose current answer is a "yes" that a later "no" did not clear: those
   * later "no" answers, oldest first.
   */
  readonly laterNo: Readonly<Partial<Record<RedFlagKey, readonly DatedAnswer<boolean>[]>>>;
  /** The first day a current answer may have been given ('YYYY-MM-DD'). */
  readonly since: string;
}

type Question = 'duration' | 'frequency' | 'pregnant' | 'telehealthAble';
const QUESTIONS: readonly Question[] = ['duration', 'frequency', 'pregnant', 'telehealthAble'];

/** Epoch milliseconds of a FHIR dateTime; -Infinity when absent or unreadable (oldest). */
function instant(authored: string | undefined): number {
  return (authored === undefined ? undefined : instantOf(authored)) ?? Number.NEGATIVE_INFINITY;
}

/**
 * The answers of every screening on record, split into current and out of date at `asOf`.
 * An answer counts while its calendar day is on or after the same day `maxAgeMonths` months
 * before asOf's local day (inclusive: on 2026-03-15 with 6 months, 2025-09-15 still holds).
 */
export function currentScreening(
  readings: readonly ScreeningAnswers[],
  asOf: Date,
  maxAgeMonths: number,
): CurrentScreening {
  const since = isoDate(addMonths(localDayIndex(asOf), -maxAgeMonths));
  const holds = (answer: DatedAnswer<unknown>): boolean => {
    const day = answer.authored === undefined ? undefined : calendarDayOf(answer.authored);
    return day !== undefined && day >= since;
  };
  const newestFirst = [...readings].sort((a, b) => instant(b.authored) - instant(a.authored));
  const answers = <T>(pick: (r: ScreeningAnswers) => T | undefined): DatedAnswer<T>[] =>
    newestFirst.flatMap((reading) => {
      const value = pick(reading);
      return value === undefined
        ? []
        : [{ value, authored: reading.authored, response: reading.source }];
    });
  const newest = <T>(pick: (r: ScreeningAnswers) => T | undefined): DatedAnswer<T> | undefined =>
    answers(pick)[0];
  const current: Record<string, unknown> = {};
  const outOfDate: Record<string, unknown> = {};
  const currentFlags: Partial<Record<RedFlagKey, DatedAnswer<boolean>>> = {};
  const outOfDateFlags: Partial<Record<RedFlagKey, DatedAnswer<boolean>>> = {};
  for (const question of QUESTIONS) {
    const answer = newest((r) => r[question]);
    if (answer !== undefined) {
      (holds(answer) ? current : outOfDate)[question] = answer;
    }
  }
  const laterNo: Partial<Record<RedFlagKey, readonly DatedAnswer<boolean>[]>> = {};
  for (const flag of RED_FLAGS) {
    const all = answers((r) => r.redFlags[flag.key]);
    const answer = all[0];
    const yes = all.findIndex((a) => a.value);
    const newestYes = all[yes];
    if (
      RED_FLAG_RULES[flag.key].urgency !== 'evaluate' &&
      yes > 0 &&
      newestYes &&
      holds(newestYes)
    ) {
      currentFlags[flag.key] = newestYes;
      laterNo[flag.key] = all.slice(0, yes).reverse();
    } else if (answer !== undefined) {
      (holds(answer) ? currentFlags : outOfDateFlags)[flag.key] = answer;
    }
  }
  return {
    current: { ...(current as Omit<ScreeningAnswerSet, 'redFlags'>), redFlags: currentFlags },
    outOfDate: { ...(outOfDate as Omit<ScreeningAnswerSet, 'redFlags'>), redFlags: outOfDateFlags },
    laterNo,
    since,
  };
}

/** The red-flag answers' values alone (for evaluateRedFlags). */
export function redFlagValues(
  answers: ScreeningAnswerSet['redFlags'],
): Partial<Record<RedFlagKey, boolean>> {
  const values: Partial<Record<RedFlagKey, boolean>> = {};
  for (const flag of RED_FLAGS) {
    const answer = answers[flag.key];
    if (answer !== undefined) {
      values[flag.key] = answer.value;
    }
  }
  return values;
}
