import type { PegRecords } from '../../fhir/pegRead.ts';
import type { Session } from '../../fhir/session.ts';
import type { SummaryData, SummaryKey } from '../../fhir/summary.ts';
import type { SummaryState } from '../useSummary.ts';
import type { FollowUp } from './pegRecords.ts';

export interface SectionProps {
  readonly state: SummaryState;
  readonly asOf: Date;
  readonly session: Session;
  /** Fetches these requests again (after a save). */
  readonly reload: (keys: readonly SummaryKey[]) => void;
  /** Write scopes the grant lacks for this section's actions. */
  readonly missingWrite: readonly string[];
  /** Every PEG on record, read once for all sections. */
  readonly peg: PegRecords;
  /** The standing referral, its baseline PEG and the follow-up schedule. */
  readonly followUp: FollowUp;
}

/** The data of a request the frame has checked is loaded (undefined when it is off). */
export function loaded<K extends SummaryKey>(
  state: SummaryState,
  key: K,
): SummaryData[K] | undefined {
  const entry = state[key];
  return entry.status === 'ok' || entry.status === 'refreshing' ? entry.data : undefined;
}
