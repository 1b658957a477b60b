/**
 * Which arm a patient belongs to and which PEG is their baseline (pure).
 *
 * - `referral`: a patient with a referral to the programme is in the intervention arm, baseline =
 *   the PEG the (first) referral was made on; everyone else with a PEG is the comparison arm,
 *   baseline = their first PEG (there is no referral date to anchor on).
 * - `group:<id>`: members of the FHIR Group are the intervention arm, every other patient with a
 *   PEG the comparison arm; baseline = the first PEG for both.
 */
import type { EligibilityVerdict } from '../screening/eligibility.ts';
import { BASELINE_LOOKBACK_DAYS } from './analysisPlan.ts';
import { FOLLOW_UP_TIME_POINTS, timePointStatus } from '../pathway/followUp.ts';
import type { DatedScore, DayWindow } from './timeWindows.ts';
import { firstPeg, followUpAt, pegAtReferral, timePointWindow } from './timeWindows.ts';

export type ArmMode = { kind: 'referral' } | { kind: 'group'; groupId: string };
export type ArmId = 'intervention' | 'comparison';

export interface PatientEvidence {
  /** De-duplicated PEG administrations, sorted by time. */
  readonly pegs: readonly DatedScore[];
  /** Calendar days of qualifying referrals to the programme, ascending. */
  readonly referralDays: readonly number[];
  /** A qualifying referral without authoredOn (cannot anchor a baseline). */
  readonly undatedReferral: boolean;
  readonly inGroup: boolean;
  /**
   * Total MME/day on a calendar day, or undefined when the opioid data cannot be computed.
   * Absent when no MME engine is wired in.
   */
  readonly mmeOnDay?: (day: number) => number | undefined;
  /**
   * The programme eligibility verdict on a day with that day's PEG (the app's rule on the chart
   * as it was then). Absent: everyone counts as eligible (arms by Group, or tests of the rest).
   */
  readonly eligibility?: (day: number, score: number) => EligibilityVerdict;
  /** Status of the programme's Task for the first referral (requested … in-progress, completed). */
  readonly programmeTask?: string;
}

export type ExclusionReason =
  | 'no-peg'
  | 'referred-without-baseline-peg'
  | 'referral-without-date'
  | 'not-eligible-at-referral'
  | 'never-eligible';

/**
 * An analysed patient's time point on the analysis's as-of day: a follow-up PEG in its window;
 * lost to follow-up (the window closed by as-of without one); or not yet due (the window has not
 * closed by as-of and holds no PEG yet: neither a follow-up nor a loss).
 */
export type TimePointOutcome =
  | { readonly kind: 'followed-up'; readonly peg: DatedScore }
  | { readonly kind: 'lost-to-follow-up' }
  | { readonly kind: 'not-yet-due' };

export type PatientAssignment =
  | {
      kind: 'analysed';
      arm: ArmId;
      /** The index event's day: the referral, or (not referred, or by Group) the baseline PEG. */
      indexDay: number;
      baseline: DatedScore;
      /** One entry per FOLLOW_UP_TIME_POINTS element, in the same order. */
      followUps: readonly TimePointOutcome[];
    }
  | { kind: 'excluded'; arm: ArmId; reason: ExclusionReason };

export function armLabel(mode: ArmMode, arm: ArmId): string {
  switch (mode.kind) {
    case 'referral':
      return arm === 'intervention' ? 'Referred' : 'Not referred';
    case 'group':
      return arm === 'intervention' ? `Group ${mode.groupId}` : 'Not in group';
  }
}

/** How each arm's baseline was chosen, in words for the printed table. */
export function baselineRule(mode: ArmMode, arm: ArmId): string {
  if (mode.kind === 'referral' && arm === 'intervention') {
    return `the PEG at the first referral (latest PEG on the referral day or up to ${BASELINE_LOOKBACK_DAYS} days before), the patient eligible for the programme that day`;
  }
  if (mode.kind === 'referral') {
    return "the first PEG on a day the patient was eligible for the programme (the app's criteria on the chart as it was that day): the referral's index event for a patient not referred";
  }
  return "the patient's first PEG";
}

/**
 * The patient's arm, baseline and time points as they stood on `asOfDay` (a calendar day number):
 * PEGs and referrals dated after it are left out (as `clbp pathway --as-of` leaves out a chart's
 * later records, pathway/asOf.ts), and a time point whose window has not closed by then and holds
 * no PEG is not yet due rather than lost to follow-up (the follow-up schedule's own status,
 * pathway/followUp.ts).
 */
export function assignPatient(
  evidence: PatientEvidence,
  mode: ArmMode,
  asOfDay: number,
): PatientAssignment {
  const patient = evidenceUpTo(evidence, asOfDay);
  const arm: ArmId = isIntervention(patient, mode) ? 'intervention' : 'comparison';
  if (patient.pegs.length === 0) {
    return { kind: 'excluded', arm, reason: 'no-peg' };
  }
  const firstReferral = patient.referralDays[0];
  if (mode.kind === 'referral' && arm === 'intervention' && firstReferral === undefined) {
    return { kind: 'excluded', arm, reason: 'referral-without-date' };
  }
  const eligible = (day: number, score: number): boolean =>
    patient.eligibility === undefined || patient.eligibility(day, score) === 'eligible';
  let baseline: DatedScore | undefined;
  if (mode.kind === 'referral' && firstReferral !== undefined) {
    baseline = pegAtReferral(patient.pegs, firstReferral);
    if (baseline === undefined) {
      return { kind: 'excluded', arm, reason: 'referred-without-baseline-peg' };
    }
    if (!eligible(firstReferral, baseline.score)) {
      return { kind: 'excluded', arm, reason: 'not-eligible-at-referral' };
    }
  } else if (mode.kind === 'referral') {
    // Same criteria, same baseline rule: the index day is the first day with a PEG on which the
    // patient could have been referred, and that PEG is the baseline.
    baseline = patient.pegs.find((peg) => eligible(peg.day, peg.score));
    if (baseline === undefined) {
      return { kind: 'excluded', arm, reason: 'never-eligible' };
    }
  } else {
    baseline = firstPeg(patient.pegs);
  }
  if (baseline === undefined) {
    return { kind: 'excluded', arm, reason: 'no-peg' };
  }
  return {
    kind: 'analysed',
    arm,
    indexDay:
      mode.kind === 'referral' && firstReferral !== undefined ? firstReferral : baseline.day,
    baseline,
    followUps: FOLLOW_UP_TIME_POINTS.map((timePoint) =>
      timePointOutcome(patient.pegs, timePointWindow(baseline.day, timePoint), asOfDay),
    ),
  };
}

function timePointOutcome(
  pegs: readonly DatedScore[],
  window: DayWindow,
  asOfDay: number,
): TimePointOutcome {
  const peg = followUpAt(pegs, window);
  if (peg !== undefined) {
    return { kind: 'followed-up', peg };
  }
  // Without a PEG the schedule says overdue (window closed), due or upcoming (not closed).
  return timePointStatus({ start: window.from, end: window.to }, false, asOfDay) === 'overdue'
    ? { kind: 'lost-to-follow-up' }
    : { kind: 'not-yet-due' };
}

/** How many of the patient's PEGs and referrals are dated after the day: what assignPatient leaves out. */
export function leftOutAfter(
  patient: PatientEvidence,
  day: number,
): { readonly pegs: number; readonly referrals: number } {
  const kept = evidenceUpTo(patient, day);
  return {
    pegs: patient.pegs.length - kept.pegs.length,
    referrals: patient.referralDays.length - kept.referralDays.length,
  };
}

/** The evidence without the PEGs and referrals dated after the day; the same object when none is. */
function evidenceUpTo(patient: PatientEvidence, day: number): PatientEvidence {
  const pegs = upTo(patient.pegs, (peg) => peg.day, day);
  const referralDays = upTo(patient.referralDays, (referralDay) => referralDay, day);
  return pegs === patient.pegs && referralDays === patient.referralDays
    ? patient
    : { ...patient, pegs, referralDays };
}

/** The items dated up to and including `day`; the same list when all are. */
function upTo<T>(items: readonly T[], dayOf: (item: T) => number, day: number): readonly T[] {
  return items.some((item) => dayOf(item) > day)
    ? items.filter((item) => dayOf(item) <= day)
    : items;
}

function isIntervention(patient: PatientEvidence, mode: ArmMode): boolean {
  switch (mode.kind) {
    case 'referral':
      return patient.referralDays.length > 0 || patient.undatedReferral;
    case 'group':
      return patient.inGroup;
  }
}
