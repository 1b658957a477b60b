/**
 * The PEG write-back (US Core): a QuestionnaireResponse (what was asked and answered) and an
 * Observation 91147-9 (the score, with the items as components, derivedFrom the response), in one
 * transaction, both conditional on the same client-generated identifier.
 */
import type { BundleEntry, Observation, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { PEG_QUESTIONNAIRE_URL, PEG_QUESTIONNAIRE_VERSION } from '../domain/codes/canonical.ts';
import {
  PEG_ITEMS,
  PEG_SCORE_LINK_ID,
  PEG_SCORE_LOINC,
  PEG_SCORE_UNIT,
  type PegItemValues,
} from '../domain/peg/peg.ts';
import { LOINC_SYSTEM } from '../domain/fhir-primitives/codings.ts';
import type { FormAnswers } from './questionnaireAnswers.ts';
import { responseItems } from './questionnaireAnswers.ts';
import {
  conditionalCreate,
  submissionIdentifier,
  submitTransaction,
  type WrittenResource,
} from './transaction.ts';
import type { FhirTransport } from './transport.ts';

const US_CORE_QR = 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export interface PegSubmission {
  /** Client-generated UUID, kept with the draft so every retry sends the same one. */
  readonly submissionId: string;
  readonly patientId: string;
  /** `Practitioner/<id>` from fhirUser, when known. */
  readonly practitioner: string | undefined;
  /** When the answers were given (ISO dateTime with offset). */
  readonly authored: string;
  readonly answers: FormAnswers;
  readonly items: PegItemValues;
  /** Mean score rounded to 2 decimals (domain `scorePeg(...).stored`). */
  readonly score: number;
}

function scoreQuantity(value: number) {
  return { value, ...PEG_SCORE_UNIT };
}

export function pegEntries(submission: PegSubmission, questionnaire: Questionnaire): BundleEntry[] {
  const responseUrl = `urn:uuid:${submission.submissionId}`;
  const observationUrl = `urn:uuid:${crypto.randomUUID()}`;
  const author =
    submission.practitioner === undefined ? {} : { author: { reference: submission.practitioner } };
  const performer =
    submission.practitioner === undefined
      ? {}
      : { performer: [{ reference: submission.practitioner }] };
  const subject = { reference: `Patient/${submission.patientId}` };
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    meta: { profile: [US_CORE_QR] },
    identifier: submissionIdentifier(submission.submissionId),
    questionnaire: `${PEG_QUESTIONNAIRE_URL}|${PEG_QUESTIONNAIRE_VERSION}`,
    status: 'completed',
    subject,
    authored: submission.authored,
    ...author,
    item: responseItems(questionnaire.item, submission.answers, {
      [PEG_SCORE_LINK_ID]: submission.score,
    }),
  };
  const observation: Observation = {
    resourceType: 'Observation',
    identifier: [submissionIdentifier(submission.submissionId)],
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
    code: {
      coding: [{ system: LOINC_SYSTEM, code: PEG_SCORE_LOINC, display: 'Mean score [PEG]' }],
    },
    subject,
    effectiveDateTime: submission.authored,
    ...performer,
    valueQuantity: scoreQuantity(submission.score),
    derivedFrom: [{ reference: responseUrl }],
    component: PEG_ITEMS.map((item) => ({
      code: { coding: [{ system: LOINC_SYSTEM, code: item.loinc }], text: item.text },
      valueQuantity: scoreQuantity(submission.items[item.key]),
    })),
  };
  return [
    conditionalCreate(responseUrl, response, submission.submissionId),
    conditionalCreate(observationUrl, observation, submission.submissionId),
  ];
}

export interface SavedPeg {
  readonly questionnaireResponse: WrittenResource;
  readonly observation: WrittenResource;
}

/** Saves one PEG administration; a retry with the same submissionId creates nothing new. */
export async function savePeg(
  transport: FhirTransport,
  submission: PegSubmission,
  questionnaire: Questionnaire,
): Promise<SavedPeg> {
  const [questionnaireResponse, observation] = await submitTransaction(
    transport,
    pegEntries(submission, questionnaire),
    'Saving the PEG',
  );
  if (!questionnaireResponse || !observation) {
    throw new Error('The transaction answered fewer entries than sent');
  }
  return { questionnaireResponse, observation };
}
