/**
 * Saves a CLBP screening as a QuestionnaireResponse, with the PEG's no-loss, no-duplicate write:
 * a transaction whose create is conditional on the client-generated identifier.
 */
import type { BundleEntry, QuestionnaireResponse } from 'fhir/r4';
import { screeningFindings } from '../domain/screening/findings.ts';
import { readScreeningResponse } from '../domain/screening/screening.ts';
import { findingEntries } from './findingsWrite.ts';
import {
  SCREENING_QUESTIONNAIRE_URL,
  SCREENING_QUESTIONNAIRE_VERSION,
} from '../domain/codes/canonical.ts';
import type { FormAnswers } from './questionnaireAnswers.ts';
import { responseItems } from './questionnaireAnswers.ts';
import { SCREENING_QUESTIONNAIRE } from './questionnaires.ts';
import {
  conditionalCreate,
  submissionIdentifier,
  submitTransaction,
  type WrittenResource,
} from './transaction.ts';
import type { FhirTransport } from './transport.ts';
import { encounterOf, patientReference, US_CORE_PROFILE, type WriteContext } from './usCore.ts';

export interface ScreeningSubmission {
  readonly submissionId: string;
  readonly context: WriteContext;
  readonly authored: string;
  readonly answers: FormAnswers;
}

/**
 * A US Core QuestionnaireResponse: `author` who entered it (the launch's user), `source` the patient
 * (the Task Force questions are the patient's history; the red flags are asked of them too).
 */
export function screeningResponse(
  s: ScreeningSubmission,
  status: 'completed' | 'in-progress' = 'completed',
): QuestionnaireResponse {
  const patient = patientReference(s.context);
  return {
    resourceType: 'QuestionnaireResponse',
    meta: { profile: [US_CORE_PROFILE.questionnaireResponse] },
    identifier: submissionIdentifier(s.submissionId),
    questionnaire: `${SCREENING_QUESTIONNAIRE_URL}|${SCREENING_QUESTIONNAIRE_VERSION}`,
    status,
    subject: patient,
    ...encounterOf(s.context),
    authored: s.authored,
    ...(s.context.enterer === undefined ? {} : { author: { reference: s.context.enterer } }),
    source: patient,
    item: responseItems(SCREENING_QUESTIONNAIRE.item, s.answers),
  };
}

/**
 * The screening's transaction: the response, and its findings (Task Force result, red flags,
 * pregnancy) as Observations derived from it, each conditional on its own identifier. An
 * `in-progress` response is the record of an urgent answer saved before the form is finished
 * (urgentRedFlagWrite.ts).
 */
export function screeningEntries(
  s: ScreeningSubmission,
  status: 'completed' | 'in-progress' = 'completed',
): BundleEntry[] {
  const responseUrl = `urn:uuid:${crypto.randomUUID()}`;
  const response = screeningResponse(s, status);
  // The findings come from the response as any reader of it would read it back.
  const reading = readScreeningResponse(response);
  const findings = reading.kind === 'screening' ? screeningFindings(reading.answers) : [];
  return [
    conditionalCreate(responseUrl, response, s.submissionId),
    ...findingEntries(findings, {
      submissionId: s.submissionId,
      context: s.context,
      authored: s.authored,
      response: responseUrl,
    }),
  ];
}

export async function saveScreening(
  transport: FhirTransport,
  s: ScreeningSubmission,
): Promise<WrittenResource> {
  const [written] = await submitTransaction(transport, screeningEntries(s), 'Saving the screening');
  if (!written) {
    throw new Error('The transaction answered no entry');
  }
  return written;
}
