/**
 * Saves a CLBP screening as a QuestionnaireResponse, with the PEG's no-loss, no-duplicate write:
 * a transaction whose create is conditional on the client-generated identifier.
 */
import type { QuestionnaireResponse } from 'fhir/r4';
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

export interface ScreeningSubmission {
  readonly submissionId: string;
  readonly patientId: string;
  readonly practitioner: string | undefined;
  readonly authored: string;
  readonly answers: FormAnswers;
}

export function screeningResponse(s: ScreeningSubmission): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    meta: {
      profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse'],
    },
    identifier: submissionIdentifier(s.submissionId),
    questionnaire: `${SCREENING_QUESTIONNAIRE_URL}|${SCREENING_QUESTIONNAIRE_VERSION}`,
    status: 'completed',
    subject: { reference: `Patient/${s.patientId}` },
    authored: s.authored,
    ...(s.practitioner === undefined ? {} : { author: { reference: s.practitioner } }),
    item: responseItems(SCREENING_QUESTIONNAIRE.item, s.answers),
  };
}

export async function saveScreening(
  transport: FhirTransport,
  s: ScreeningSubmission,
): Promise<WrittenResource> {
  const [written] = await submitTransaction(
    transport,
    [conditionalCreate(`urn:uuid:${s.submissionId}`, screeningResponse(s), s.submissionId)],
    'Saving the screening',
  );
  if (!written) {
    throw new Error('The transaction answered no entry');
  }
  return written;
}
