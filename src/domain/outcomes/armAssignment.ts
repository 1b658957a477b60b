/**
 * Which arm a patient belongs to and which PEG is their baseline (pure).
 *
 * - `referral`: a patient with a referral to the programme is in the intervention arm, baseline =
 *   the PEG the (first) referral was made on; everyone else with a PEG is the comparison arm,
 *   baseline = their first PEG (there is no referral date to anchor on).
 * - `group:<id>`: members of the FHIR Group are the intervention arm, every other patient with a
 *   PEG the comparison arm; baseline = the first PEG for both.
 */
import { BASELINE_LOOKBACK_DAYS, TIME_POINTS } from './analysisPlan.ts';
import type { DatedScore } from './timeWindows.ts';
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
}

export type ExclusionReason = 'no-peg' | 'referred-without-baseline-peg' | 'referral-without-date';

export type PatientAssignment =
  | {
      kind: 'analysed';
      arm: ArmId;
      baseline: DatedScore;
      /** One entry per TIME_POINTS element, in the same order. */
      followUps: readonly (DatedScore | undefined)[];
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
    return `the PEG at the first referral (latest PEG on the referral day or up to ${BASELINE_LOOKBACK_DAYS} days before)`;
  }
  return "the patient's first PEG";
}

export function assignPatient(patient: PatientEvidence, mode: ArmMode): PatientAssignment {
  const arm: ArmId = isIntervention(patient, mode) ? 'intervention' : 'comparison';
  if (patient.pegs.length === 0) {
    return { kind: 'excluded', arm, reason: 'no-peg' };
  }
  const firstReferral = patient.referralDays[0];
  if (mode.kind === 'referral' && arm === 'intervention' && firstReferral === undefined) {
    return { kind: 'excluded', arm, reason: 'referral-without-date' };
  }
  const baseline =
    mode.kind === 'referral' && firstReferral !== undefined
      ? pegAtReferral(patient.pegs, firstReferral)
      : firstPeg(patient.pegs);
  if (baseline === undefined) {
    return { kind: 'excluded', arm, reason: 'referred-without-baseline-peg' };
  }
  return {
    kind: 'analysed',
    arm,
    baseline,
    followUps: TIME_POINTS.map((timePoint) =>
      followUpAt(patient.pegs, timePointWindow(baseline.day, timePoint)),
    ),
  };
}

function isIntervention(patient: PatientEvidence, mode: ArmMode): boolean {
  switch (mode.kind) {
    case 'referral':
      return patient.referralDays.length > 0 || patient.undatedReferral;
    case 'group':
      return patient.inGroup;
  }
}
