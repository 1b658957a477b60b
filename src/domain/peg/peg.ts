/**
 * PEG: Pain, Enjoyment of life, General activity (Krebs et al., J Gen Intern Med 2009;24(6):733-8).
 * Public domain; three items about the past week, each 0-10; score = mean of the three.
 * Codes and item texts: LOINC panel 91148-7 (LOINC 2.7x), as listed in the project's clinical
 * reference. This module is pure: it scores, and it maps answers to numbers by code, never by
 * display text (one LOINC form labels LA6113-0 "2 or more").
 */
import { LOINC_SYSTEM, UCUM_SYSTEM } from '../fhir-primitives/codings.ts';

/** LOINC 91148-7 "Pain, Enjoyment of life and General activity [PEG]" panel. */
export const PEG_PANEL_LOINC = '91148-7';
/** LOINC 91147-9 "Mean score [PEG]". */
export const PEG_SCORE_LOINC = '91147-9';
export const PEG_SCORE_LINK_ID = 'peg-score';
/** UCUM annotation used by US Core for survey scores. */
export const PEG_SCORE_UNIT = {
  unit: '{score}',
  system: UCUM_SYSTEM,
  code: '{score}',
};

export type PegItemKey = 'pain' | 'enjoyment' | 'activity';

export interface PegItem {
  readonly key: PegItemKey;
  readonly linkId: string;
  readonly loinc: string;
  readonly text: string;
  readonly anchors: { readonly low: string; readonly high: string };
}

/** The three PEG items. Source: Krebs 2009; LOINC 75893-8, 91145-3, 91146-1 (panel 91148-7). */
export const PEG_ITEMS: readonly PegItem[] = [
  {
    key: 'pain',
    linkId: 'peg-pain',
    loinc: '75893-8',
    text: 'What number best describes your pain on average in the past week?',
    anchors: { low: 'No pain', high: 'Pain as bad as you can imagine' },
  },
  {
    key: 'enjoyment',
    linkId: 'peg-enjoyment',
    loinc: '91145-3',
    text: 'What number best describes how, during the past week, pain has interfered with your enjoyment of life?',
    anchors: { low: 'Does not interfere', high: 'Completely interferes' },
  },
  {
    key: 'activity',
    linkId: 'peg-activity',
    loinc: '91146-1',
    text: 'What number best describes how, during the past week, pain has interfered with your general activity?',
    anchors: { low: 'Does not interfere', high: 'Completely interferes' },
  },
];

export const PEG_ITEM_KEYS: readonly PegItemKey[] = PEG_ITEMS.map((item) => item.key);

/**
 * LOINC answer list LL2335-9 "Numeric rating scale 0-10": the LA code for each value.
 * Source: loinc.org/LL2335-9 (cross-checked against public FHIR ValueSets that expand it).
 */
export const PEG_ANSWER_CODES: readonly { readonly code: string; readonly value: number }[] = [
  { code: 'LA6111-4', value: 0 },
  { code: 'LA6112-2', value: 1 },
  { code: 'LA6113-0', value: 2 },
  { code: 'LA6114-8', value: 3 },
  { code: 'LA6115-5', value: 4 },
  { code: 'LA10137-0', value: 5 },
  { code: 'LA10138-8', value: 6 },
  { code: 'LA10139-6', value: 7 },
  { code: 'LA10140-4', value: 8 },
  { code: 'LA10141-2', value: 9 },
  { code: 'LA13942-0', value: 10 },
];

/** Minimal clinically important difference used by OPTIMUM: a mean PEG drop of >= 1 point. */
export const PEG_MCID_POINTS = 1;
/**
 * IMMPACT "moderately important" change: >= 30% reduction (Dworkin et al., J Pain 2008;9:105-21).
 * Defined for pain intensity; applying it to the PEG composite is an extrapolation (clinical.md).
 */
export const PEG_MODERATE_IMPROVEMENT_PERCENT = 30;

export const PEG_MIN = 0;
export const PEG_MAX = 10;

export type PegItemValues = Readonly<Record<PegItemKey, number>>;
export type PegAnswers = Partial<Record<PegItemKey, number | undefined>>;

export type PegScore =
  | { kind: 'score'; mean: number; stored: number; items: PegItemValues }
  | { kind: 'incomplete'; missing: PegItemKey[] }
  | { kind: 'invalid'; invalid: { item: PegItemKey; value: number }[] };

/** Rounds to 2 decimals, the precision at which CLBP Pathway stores a PEG score. */
export function roundScore(value: number): number {
  return Math.round(value * 100) / 100;
}

function isPegItemValue(value: number): boolean {
  return Number.isInteger(value) && value >= PEG_MIN && value <= PEG_MAX;
}

/**
 * Scores the PEG: the mean of the three items (0-10).
 * `mean` is unrounded; `stored` is rounded to 2 decimals for writing (6,7,4 → 5.67).
 * All three items are required: there is no published prorating rule, so a missing item gives
 * `incomplete`; a value that is not an integer 0-10 gives `invalid`.
 */
export function scorePeg(answers: PegAnswers): PegScore {
  const missing = PEG_ITEM_KEYS.filter((key) => answers[key] === undefined);
  const invalid: { item: PegItemKey; value: number }[] = [];
  for (const key of PEG_ITEM_KEYS) {
    const value = answers[key];
    if (value !== undefined && !isPegItemValue(value)) {
      invalid.push({ item: key, value });
    }
  }
  if (invalid.length > 0) {
    return { kind: 'invalid', invalid };
  }
  const { pain, enjoyment, activity } = answers;
  if (
    missing.length > 0 ||
    pain === undefined ||
    enjoyment === undefined ||
    activity === undefined
  ) {
    return { kind: 'incomplete', missing };
  }
  const items = { pain, enjoyment, activity };
  const mean = itemsMean(items);
  return { kind: 'score', mean, stored: roundScore(mean), items };
}

/**
 * Maps a LOINC 0-10 answer code (LL2335-9) to its number; `undefined` for any other code or system.
 * Never reads `display`.
 */
export function pegValueFromAnswerCode(coding: {
  system?: string | undefined;
  code?: string | undefined;
}): number | undefined {
  if (coding.system !== LOINC_SYSTEM || coding.code === undefined) {
    return undefined;
  }
  return PEG_ANSWER_CODES.find((answer) => answer.code === coding.code)?.value;
}

/** The LA code for a 0-10 value (used when writing answers and components). */
export function pegAnswerCodeFor(value: number): string | undefined {
  return PEG_ANSWER_CODES.find((answer) => answer.value === value)?.code;
}

/**
 * One PEG administration, whatever resource(s) it was read from.
 * `keys` name the resources it came from ('QuestionnaireResponse/1', 'Observation/2') and their
 * identifiers ('identifier:system|value'); `derivedFrom` holds the same kinds of keys for the
 * resources it says it was derived from. pegHistory uses both to de-duplicate.
 */
/**
 * Who entered a PEG: the patient themselves ("patient-reported": the response's author is the
 * Patient or a RelatedPerson, as the patient mode writes it) or someone in the clinic (author a
 * Practitioner or PractitionerRole). US Core: author = who entered, source = who answered.
 */
export type PegReporter = 'patient' | 'clinic';

/** PegReporter in the words every screen uses. */
export const PEG_REPORTER_TEXT: Readonly<Record<PegReporter, string>> = {
  patient: 'patient-reported',
  clinic: 'recorded in clinic',
};

export interface PegAdministration {
  /** FHIR dateTime (or date) as recorded: QuestionnaireResponse.authored / Observation.effective. */
  readonly date: string;
  /** Mean score, rounded to 2 decimals: the stored and displayed value. */
  readonly score: number;
  /**
   * Unrounded mean: the exact mean of the items when they are known (and agree with a recorded
   * score), else the score as recorded. Change, MCID and 30% verdicts use it (see `pegMean`), so
   * 7/7/6 → 5/5/4 is exactly a 30% drop, not the 29.99% of 6.67 → 4.67. Absent on records that
   * never had more than the 2-decimal score (e.g. outcomes' compact form).
   */
  readonly mean?: number;
  /** The three item values; absent when only a score Observation was found. */
  readonly items?: PegItemValues;
  /** Subject reference as recorded ('Patient/123'). */
  readonly subject?: string;
  /** References of the resources this administration was read from. */
  readonly sources: readonly string[];
  readonly keys: readonly string[];
  readonly derivedFrom: readonly string[];
  /** Who entered it, when its QuestionnaireResponse names an author (undefined otherwise). */
  readonly reportedBy?: PegReporter;
}

/** The exact mean of the three item values (0-10). */
export function itemsMean(items: PegItemValues): number {
  return (items.pain + items.enjoyment + items.activity) / 3;
}

/**
 * The unrounded mean behind a recorded score: the items' exact mean when they agree with it at
 * the stored precision (5.67 with 6/7/4 → 5.666…), else the recorded value itself (a recorded
 * 91147-9 value wins over its items, see pegFromObservations).
 */
export function exactPegMean(recorded: number, items: PegItemValues | undefined): number {
  if (items === undefined) {
    return recorded;
  }
  const mean = itemsMean(items);
  return roundScore(mean) === roundScore(recorded) ? mean : recorded;
}

/**
 * The unrounded mean of an administration, for change and MCID/30% verdicts: `mean` when set,
 * else `exactPegMean(score, items)` (so a record built without `mean` still gets exact thirds
 * from its items), else the 2-decimal `score`.
 */
export function pegMean(
  administration: Pick<PegAdministration, 'score' | 'mean' | 'items'>,
): number {
  return administration.mean ?? exactPegMean(administration.score, administration.items);
}
