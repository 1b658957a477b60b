/**
 * The record of an urgent red flag, written the moment it is answered (clinical.md "Urgency": show
 * it at once "and keep it on the record"), before the screening is finished. It is what saving the
 * screening writes (screeningWrite.ts), for that one answer:
 *
 * - the screening QuestionnaireResponse, status `in-progress`, holding only the urgent answer: the
 *   record of what was asked and answered (US Core QuestionnaireResponse), read back by the app like
 *   any screening answer, so the next person who opens the chart sees the urgent verdict;
 * - its red-flag finding, the US Core Observation Screening Assessment every saved screening writes
 *   (findingsWrite.ts), with the flag as a component and the interpretation `AA` critical abnormal
 *   (a cauda equina sign) or `A` abnormal (a progressive deficit), derivedFrom the response: what
 *   EHRs show in results and flowsheets.
 *
 * Why not a Flag: US Core profiles QuestionnaireResponse and Observation, which EHRs accept from
 * SMART apps and display; Flag has no US Core profile and few EHRs accept it from an app. The
 * entries are conditional creates keyed on the screening draft's submission id and the item's
 * linkId: a retry, a reload or a second "yes" never writes the record twice.
 */
import type { BundleEntry } from 'fhir/r4';
import type { RedFlag } from '../domain/screening/screening.ts';
import { screeningEntries } from './screeningWrite.ts';
import { submitTransaction, type WrittenResource } from './transaction.ts';
import type { FhirTransport } from './transport.ts';
import type { WriteContext } from './usCore.ts';

export interface UrgentRedFlagSubmission {
  /** The screening draft's submission id; each flag's record is keyed on it and its linkId. */
  readonly draftSubmissionId: string;
  readonly context: WriteContext;
  /** When it was answered (ISO dateTime with the local offset). */
  readonly authored: string;
  readonly flag: RedFlag;
}

/** The identifier value of one flag's urgent record (stable across retries and reloads). */
export function urgentRecordId(draftSubmissionId: string, flag: RedFlag): string {
  return `${draftSubmissionId}-${flag.linkId}`;
}

/** The transaction entries: the in-progress response, then its red-flag finding. */
export function urgentRecordEntries(s: UrgentRedFlagSubmission): BundleEntry[] {
  return screeningEntries(
    {
      submissionId: urgentRecordId(s.draftSubmissionId, s.flag),
      context: s.context,
      authored: s.authored,
      answers: { [s.flag.linkId]: { kind: 'boolean', value: true } },
    },
    'in-progress',
  );
}

/** Writes one flag's record; resolves to [QuestionnaireResponse, Observation] as written. */
export function saveUrgentRedFlag(
  transport: FhirTransport,
  s: UrgentRedFlagSubmission,
): Promise<WrittenResource[]> {
  return submitTransaction(transport, urgentRecordEntries(s), 'Saving the urgent red flag');
}
