/**
 * What the pathway reads from one patient's chart. The app fills it from its summary searches,
 * `clbp pathway` from a Bundle or a Bulk Data export, the EHR simulator from its seed; each part is
 * `undefined` when it was not read (a refused scope, a failed request), never an empty list.
 */
import type {
  Condition,
  Encounter,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import type { MedicationRecords } from './mmeOverview.ts';

export interface PathwayChart {
  readonly patient: Patient | undefined;
  readonly conditions: readonly Condition[] | undefined;
  /** Screening and PEG responses (any Questionnaire; the pathway picks what it knows). */
  readonly questionnaireResponses: readonly QuestionnaireResponse[] | undefined;
  /** PEG score and item Observations (others are ignored). */
  readonly pegObservations: readonly Observation[] | undefined;
  /** Every PEG form a response may answer, the app's own included. */
  readonly questionnaires: readonly Questionnaire[];
  readonly medications: MedicationRecords | undefined;
  /** ServiceRequests (programme referrals among them) and their Tasks. */
  readonly referrals:
    { readonly requests: readonly ServiceRequest[]; readonly tasks: readonly Task[] } | undefined;
  /** Encounters basedOn a referral: the group sessions attended. */
  readonly sessions: readonly Encounter[] | undefined;
  /**
   * Older PEG records not in hand yet (the app reads a long history newest first): every PEG
   * dated after `completeAfter` is in hand (undefined: no such date is known). Absent when whole.
   */
  readonly olderPegs?: { readonly completeAfter: string | undefined } | undefined;
}

export type ChartPart = Exclude<keyof PathwayChart, 'questionnaires' | 'olderPegs'>;

/** The parts the pathway's state cannot be told without (age, diagnoses, screening, referral). */
export const STATE_PARTS: readonly ChartPart[] = [
  'patient',
  'conditions',
  'questionnaireResponses',
  'referrals',
];

/** The parts that were not read. */
export function notRead(chart: PathwayChart): ChartPart[] {
  const parts: ChartPart[] = [
    'patient',
    'conditions',
    'questionnaireResponses',
    'pegObservations',
    'medications',
    'referrals',
    'sessions',
  ];
  return parts.filter((part) => chart[part] === undefined);
}
