import { useMemo } from 'react';
import { followUpSchedule, type FollowUpSchedule } from '../../domain/pathway/followUp.ts';
import type { PegAdministration } from '../../domain/peg/peg.ts';
import { selectBaseline } from '../../domain/peg/history.ts';
import {
  combinePegReadings,
  readPegObservations,
  readPegResponses,
  type PegRecords,
} from '../../fhir/pegRead.ts';
import type { SummaryState } from '../useSummary.ts';
import { activeReferral, followedReferral, type Referral } from './referralData.ts';
import { loaded, newerThanMissing, olderMissing, type OlderMissing } from './sectionProps.ts';

/** Every PEG on record from the loaded requests (those not loaded count as empty). */
export function usePegRecords(state: SummaryState): PegRecords {
  const responses = loaded(state, 'questionnaireResponses');
  const observations = loaded(state, 'pegObservations');
  const questionnaires = loaded(state, 'pegQuestionnaires');
  // Each kind of record is read when it arrives; only the merge runs again when the other does.
  const fromResponses = useMemo(
    () => readPegResponses(responses?.matches ?? [], questionnaires?.matches ?? []),
    [responses, questionnaires],
  );
  const fromObservations = useMemo(
    () => readPegObservations(observations?.matches ?? []),
    [observations],
  );
  return useMemo(
    () => combinePegReadings(fromResponses, fromObservations),
    [fromResponses, fromObservations],
  );
}

export interface FollowUp {
  /** The referral follow-up hangs off (active or completed by the programme). */
  readonly referral: Referral | undefined;
  /** The referral still under way (cancellable; blocks a second referral). */
  readonly active: Referral | undefined;
  readonly baseline: PegAdministration | undefined;
  readonly schedule: FollowUpSchedule | undefined;
  /** Older PEGs not yet in hand (still loading or failed); undefined when all are. */
  readonly olderPegs: OlderMissing | undefined;
  /**
   * The baseline may be one of the PEGs not in hand: the referral's (the last on or before the
   * referral) is not newer than every missing one, or, without a referral, the first on record.
   * `baseline` and `schedule` are then undefined rather than wrong.
   */
  readonly baselineWaits: boolean;
}

/** The followed and active referrals, the baseline PEG and the follow-up schedule on `asOf`. */
export function useFollowUp(state: SummaryState, records: PegRecords, asOf: Date): FollowUp {
  const referrals = loaded(state, 'referrals');
  const { questionnaireResponses, pegObservations } = state;
  const olderPegs = useMemo(
    () => olderMissing([questionnaireResponses, pegObservations]),
    [questionnaireResponses, pegObservations],
  );
  return useMemo(() => {
    const referral = referrals ? followedReferral(referrals) : undefined;
    const active = referrals ? activeReferral(referrals) : undefined;
    const choice = selectBaseline(records.history, referral?.request.authoredOn);
    const found = choice.kind === 'baseline' ? choice.administration : undefined;
    const baselineWaits =
      olderPegs !== undefined &&
      (referral === undefined || found === undefined || !newerThanMissing(found.date, olderPegs));
    const baseline = baselineWaits ? undefined : found;
    const schedule =
      referral && baseline ? followUpSchedule(baseline, records.history, asOf) : undefined;
    return { referral, active, baseline, schedule, olderPegs, baselineWaits };
  }, [referrals, records, asOf, olderPegs]);
}
