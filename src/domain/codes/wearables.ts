/**
 * Wearable activity and sleep Observations that researchers want in their extracts. The project's
 * clinical reference only says that the IMPACT study collects wearable activity and sleep data; it
 * lists no codes. The codes are a project addition from LOINC (see WEARABLE_SOURCE) that a clinician
 * or researcher must review; add further device codes here, nowhere else.
 */
import type { CodeListSource } from './codeLists.ts';
import { LOINC_SYSTEM } from '../fhir-primitives/codings.ts';

export const WEARABLE_SOURCE: CodeListSource = {
  reviewStatus: 'needs-clinician-review',
  sources: [
    'LOINC (https://loinc.org/55423-8, https://loinc.org/93832-4): 55423-8 number of steps in unspecified time, pedometer; 93832-4 sleep duration',
  ],
};

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
