/**
 * The PEG write-back (US Core 6.1/7.0): a US Core QuestionnaireResponse (what was asked and
 * answered: `author` who entered it, `source` the patient who answered) and a US Core Observation
 * Screening Assessment 91147-9 (category survey, the score with the items as components,
 * `performer` the patient who answered, derivedFrom the response), in one transaction, both
 * conditional on the same client-generated identifier, both on the launch's encounter if any.
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
import {
  encounterOf,
  patientReference,
  SURVEY_CATEGORY,
  US_CORE_PROFILE,
  type WriteContext,
} from './usCore.ts';

export interface PegSubmission {
  /** Client-generated UUID, kept with the draft so every retry sends the same one. */
  readonly submissionId: string;
  readonly context: WriteContext;
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
  const { context } = submission;
  // The PEG is the patient's own report, whoever types it in.
  const patient = patientReference(context);
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    meta: { profile: [US_CORE_PROFILE.questionnaireResponse] },
    identifier: submissionIdentifier(submission.submissionId),
    questionnaire: `${PEG_QUESTIONNAIRE_URL}|${PEG_QUESTIONNAIRE_VERSION}`,
    status: 'completed',
    subject: patient,
    ...encounterOf(context),
    authored: submission.authored,
    ...(context.enterer === undefined ? {} : { author: { reference: context.enterer } }),
    source: patient,
    item: responseItems(questionnaire.item, submission.answers, {
      [PEG_SCORE_LINK_ID]: submission.score,
    }),
  };
  const observation: Observation = {
    resourceType: 'Observation',
    meta: { profile: [US_CORE_PROFILE.screeningAssessment] },
    identifier: [submissionIdentifier(submission.submissionId)],
    status: 'final',
    category: [SURVEY_CATEGORY],
    code: {
      coding: [{ system: LOINC_SYSTEM, code: PEG_SCORE_LOINC, display: 'Mean score [PEG]' }],
      text: 'PEG score',
    },
    subject: patient,
    ...encounterOf(context),
    effectiveDateTime: submission.authored,
    performer: [patient],
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
