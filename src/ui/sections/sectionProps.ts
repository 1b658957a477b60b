import type { SummaryData, SummaryKey } from '../../fhir/summary.ts';
import type { SummaryState } from '../useSummary.ts';

export interface SectionProps {
  readonly state: SummaryState;
  readonly asOf: Date;
}

/** The data of a request the frame has checked is loaded (undefined when it is off). */
export function loaded<K extends SummaryKey>(state: SummaryState, key: K): SummaryData[K] | undefined {
  const entry = state[key];
  return entry.status === 'ok' ? entry.data : undefined;
}
