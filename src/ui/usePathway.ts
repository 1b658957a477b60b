import { useMemo } from 'react';
import { evaluatePathwayWith, type Pathway } from '../domain/pathway/evaluate.ts';
import type { MmeOverview } from '../domain/pathway/mmeOverview.ts';
import type { EligibilityConfig } from '../domain/screening/eligibilityConfig.ts';
import { chartFromSummary, type ReadSummary } from '../fhir/pathwayChart.ts';
import { grants } from '../fhir/scopes.ts';
import { OPIOID_SOURCES, SUMMARY_KEYS, type SummaryKey } from '../fhir/summary.ts';
import { olderMissing } from './sections/sectionProps.ts';
import { incompleteOf, type SummaryState } from './useSummary.ts';

/** Requests whose every record must be in hand before they count (the MME totals). */
const WHOLE_ONLY: readonly SummaryKey[] = OPIOID_SOURCES;

/**
 * What the summary requests have answered so far (loading, failed and refused ones are absent;
 * the medications also while their older records are still to come).
 */
function readSummary(state: SummaryState): ReadSummary {
  const read: Record<string, unknown> = {};
  for (const key of SUMMARY_KEYS) {
    const entry = state[key];
    const partial = WHOLE_ONLY.includes(key) && incompleteOf(entry) !== undefined;
    if ((entry.status === 'ok' || entry.status === 'refreshing') && !partial) {
      read[key] = entry.data;
    }
  }
  return read;
}

/**
 * The patient's pathway from the summary, computed once for every section (domain/pathway). Its
 * opioid picture is the MME overview the worker computed from the same medication records
 * (useOpioidView.ts: computed once every one of them is in); undefined until then.
 */
export function usePathway(
  state: SummaryState,
  grantedScope: string,
  asOf: Date,
  eligibility: EligibilityConfig,
  mme: MmeOverview | undefined,
): Pathway {
  const sessionsGranted = grantedScope.trim() === '' || grants(grantedScope, 'Encounter', 'rs');
  return useMemo(() => {
    const older = olderMissing([state.questionnaireResponses, state.pegObservations]);
    const chart = {
      ...chartFromSummary(readSummary(state), sessionsGranted),
      ...(older === undefined ? {} : { olderPegs: { completeAfter: older.completeAfter } }),
    };
    return evaluatePathwayWith(mme && (() => mme), chart, asOf, eligibility);
  }, [state, sessionsGranted, asOf, eligibility, mme]);
}
