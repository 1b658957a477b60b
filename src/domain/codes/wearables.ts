/**
 * Wearable activity and sleep Observations that researchers want in their extracts (the IMPACT
 * study pairs mindfulness for chronic low back pain with wearable activity and sleep data; project
 * clinical reference). Codes: LOINC (https://loinc.org/55423-8, https://loinc.org/93832-4), as
 * named in the product issue; add further device codes here, nowhere else.
 */
import { LOINC_SYSTEM } from '../peg.ts';

export interface WearableCode {
  readonly system: string;
  readonly code: string;
  readonly display: string;
  readonly kind: 'activity' | 'sleep';
}

export const WEARABLE_CODES: readonly WearableCode[] = [
  {
    system: LOINC_SYSTEM,
    code: '55423-8',
    display: 'Number of steps in unspecified time Pedometer',
    kind: 'activity',
  },
  { system: LOINC_SYSTEM, code: '93832-4', display: 'Sleep duration', kind: 'sleep' },
];
