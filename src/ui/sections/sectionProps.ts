import { instantOf } from '../../domain/fhir-primitives/dates.ts';
import type { Pathway } from '../../domain/pathway/pathway.ts';
import type { Session } from '../../fhir/session.ts';
import type { SummaryData, SummaryKey } from '../../fhir/summary.ts';
import { incompleteOf, type RequestState, type SummaryState } from '../useSummary.ts';

export interface SectionProps {
  readonly state: SummaryState;
  readonly asOf: Date;
  readonly session: Session;
  /** Fetches these requests again (after a save). */
  readonly reload: (keys: readonly SummaryKey[]) => void;
  /** Write scopes the grant lacks for this section's actions. */
  readonly missingWrite: readonly string[];
  /** A patient or related person is signed in: show, never offer clinician actions. */
  readonly readOnly: boolean;
  /** The patient's pathway (PEG, eligibility, referral, follow-ups, MME), computed once. */
  readonly pathway: Pathway;
}

/** The data of a request the frame has checked is loaded (undefined when it is off). */
export function loaded<K extends SummaryKey>(
  state: SummaryState,
  key: K,
): SummaryData[K] | undefined {
  const entry = state[key];
  return entry.status === 'ok' || entry.status === 'refreshing' ? entry.data : undefined;
}

/** Older records of some requests are not in hand: still loading, or reading them failed. */
export interface OlderMissing {
  /** Every record dated after this is in hand (undefined: no such date is known). */
  readonly completeAfter: string | undefined;
  /** True while they are being read; false when reading them failed (the frame shows the error). */
  readonly loading: boolean;
}

/**
 * Whether any of these requests holds only its newest records (summaryLoad.ts reads the older ones
 * after the first page): undefined when every loaded one is whole.
 */
export function olderMissing(entries: readonly RequestState<unknown>[]): OlderMissing | undefined {
  let missing: OlderMissing | undefined;
  for (const entry of entries) {
    const incomplete = incompleteOf(entry);
    if (incomplete === undefined) {
      continue;
    }
    const dates = [missing?.completeAfter, incomplete.completeAfter];
    missing = {
      // Both complete after the later of the two dates; an unknown date leaves nothing certain.
      completeAfter:
        missing !== undefined && dates.includes(undefined)
          ? undefined
          : dates
              .filter((d): d is string => d !== undefined)
              .sort(byInstant)
              .at(-1),
      loading: (missing?.loading ?? false) || incomplete.error === undefined,
    };
  }
  return missing;
}

const byInstant = (a: string, b: string): number =>
  (instantOf(a) ?? Number.NaN) - (instantOf(b) ?? Number.NaN) || a.localeCompare(b);

/** Whether a record dated `date` is newer than every record not yet in hand (`missing`). */
export function newerThanMissing(date: string, missing: OlderMissing | undefined): boolean {
  if (missing === undefined) {
    return true;
  }
  const after = missing.completeAfter === undefined ? undefined : instantOf(missing.completeAfter);
  const at = instantOf(date);
  // Strictly after: records dated the same instant as the first page's last may be on later pages.
  return after !== undefined && at !== undefined && at > after;
}
