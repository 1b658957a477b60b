/**
 * THE baseline PEG and the anchor the follow-up schedule is timed from (clinical.md, "Referral
 * workflow"): follow-ups are timed from the programme start (the first attended group session)
 * once it is known, and until then provisionally from the referral; the baseline is the PEG
 * closest before that anchor and at most BASELINE_LOOKBACK_DAYS before it. Research tables keep
 * the trial's rule (time points from the baseline PEG): they pass the baseline's day as the anchor
 * of the schedule (see followUp.ts) and say so.
 */
import { dayIndex, fullDayIndex } from '../fhir-primitives/dates.ts';
import type { PegAdministration } from '../peg/peg.ts';
import type { ProgrammeReferral } from './referrals.ts';

/** clinical.md: the baseline PEG is at most 30 days before the programme start. */
export const BASELINE_LOOKBACK_DAYS = 30;

/**
 * What a schedule is timed from. `programme-start`: the first attended session; `referral`: the
 * referral's day, provisional until the programme starts; `baseline`: the trial's rule (research).
 */
export interface ScheduleAnchor {
  readonly kind: 'programme-start' | 'referral' | 'baseline';
  /** Calendar day 'YYYY-MM-DD'. */
  readonly day: string;
}

/** Provisional = timed from the referral because the programme has not started. */
export function isProvisional(anchor: ScheduleAnchor): boolean {
  return anchor.kind === 'referral';
}

/** The anchor of a referral: its programme start when known, else its day (provisional). */
export function referralAnchor(referral: ProgrammeReferral): ScheduleAnchor | undefined {
  if (referral.programmeStart !== undefined) {
    return { kind: 'programme-start', day: referral.programmeStart.day };
  }
  return referral.referredOn === undefined
    ? undefined
    : { kind: 'referral', day: referral.referredOn };
}

export type Baseline =
  | { readonly kind: 'baseline'; readonly administration: PegAdministration }
  | { readonly kind: 'none'; readonly reason: 'no-peg' | 'none-in-window' };

/**
 * The baseline PEG for an anchor day: the latest administration on or before the anchor's
 * calendar day and no more than BASELINE_LOOKBACK_DAYS before it (a PEG recorded at the first
 * session, on the start day, counts). `history` must be sorted oldest first (mergePegHistory).
 */
export function selectBaseline(history: readonly PegAdministration[], anchorDay: string): Baseline {
  if (history.length === 0) {
    return { kind: 'none', reason: 'no-peg' };
  }
  const anchor = dayIndex(anchorDay) ?? Number.NaN;
  let found: PegAdministration | undefined;
  for (const administration of history) {
    const day = fullDayIndex(administration.date);
    if (day !== undefined && day <= anchor && anchor - day <= BASELINE_LOOKBACK_DAYS) {
      found = administration;
    }
  }
  return found === undefined
    ? { kind: 'none', reason: 'none-in-window' }
    : { kind: 'baseline', administration: found };
}
