/**
 * The PEG write-back (US Core 6.1/7.0): a US Core QuestionnaireResponse (what was asked and
 * answered: `author` who entered it, `source` the patient who answered) and a US Core Observation
 * Screening Assessment 91147-9 (category survey, the score with the items as components,
 * `performer` the patient who answered, derivedFrom the response), in one transaction, both
 * conditional on the same client-generated identifier, both on the launch's encounter if any.
 * A PEG that answers a PEG request (pegRequest.ts) is linked to it and completes it in the same
 * transaction.
 */
import type {
  BundleEntry,
  Extension,
  Observation,
  Questionnaire,
  QuestionnaireResponse,
  Reference,
  Task,
} from 'fhir/r4';
import {
  answeredPegRequest,
  readPegRequest,
  type PegRequestAnswer,
} from '../domain/pathway/pegRequest.ts';
import { PEG_QUESTIONNAIRE_URL, PEG_QUESTIONNAIRE_VERSION } from '../domain/codes/canonical.ts';
import {
  PEG_ITEMS,
  PEG_SCORE_LINK_ID,
  PEG_SCORE_LOINC,
  PEG_SCORE_UNIT,
  type PegItemValues,
} from '../domain/peg/peg.ts';
import { LOINC_SYSTEM } from '../domain/fhir-primitives/codings.ts';
import { FhirError } from './errors.ts';
import { isResourceOf } from './guards.ts';
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
  /** The PEG request it answers, as read just before the save (with its version). */
  readonly request?: Task | undefined;
}

/**
 * FHIR's workflow extension "based on" (Reference(Any)): R4's QuestionnaireResponse.basedOn and
 * Observation.basedOn cannot point to a Task, so the request the PEG answers is named here, and
 * `basedOn` names the referral the request is based on (a ServiceRequest, which both allow).
 * @see https://hl7.org/fhir/extensions/StructureDefinition-event-basedOn.html
 */
export const EVENT_BASED_ON_URL = 'http://hl7.org/fhir/StructureDefinition/event-basedOn';

/** basedOn and the extension of a PEG that answers `request`. */
function requestLinks(request: Task | undefined): {
  basedOn?: Reference[];
  extension?: Extension[];
} {
  const read = request === undefined ? undefined : readPegRequest(request);
  if (read === undefined) {
    return {};
  }
  return {
    extension: [{ url: EVENT_BASED_ON_URL, valueReference: { reference: read.reference } }],
    ...(read.referral === undefined ? {} : { basedOn: [{ reference: read.referral }] }),
  };
}

/**
 * The request completed with this PEG as its output, conditional on the version read (If-Match):
 * only while it is still open. A request already answered (by this submission's earlier attempt,
 * or another) is left as it is; the PEG is saved all the same.
 */
function completeRequest(request: Task | undefined, answer: PegRequestAnswer): BundleEntry[] {
  const read = request === undefined ? undefined : readPegRequest(request);
  if (request?.id === undefined || read === undefined || !read.open) {
    return [];
  }
  return [pegRequestCompletion(request, answer)];
}

/**
 * The transaction entry that completes an open PEG request Task with its answer: a PUT
 * conditional on the version read (If-Match), so an answer given meanwhile is never overwritten.
 */
export function pegRequestCompletion(request: Task, answer: PegRequestAnswer): BundleEntry {
  const version = request.meta?.versionId;
  return {
    fullUrl: `urn:uuid:${crypto.randomUUID()}`,
    resource: answeredPegRequest(request, answer),
    request: {
      method: 'PUT',
      url: `Task/${request.id ?? ''}`,
      ...(version === undefined ? {} : { ifMatch: `W/"${version}"` }),
    },
  };
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
  const links = requestLinks(submission.request);
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    meta: { profile: [US_CORE_PROFILE.questionnaireResponse] },
    ...links,
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
    ...links,
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
    ...completeRequest(submission.request, {
      response: responseUrl,
      observation: observationUrl,
      at: submission.authored,
    }),
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

/**
 * Saves a PEG that answers the PEG request `taskId`: the request is read first (every attempt, so
 * a retry after a lost answer sees it already completed and leaves it), then the response, the
 * Observation and the completed request go in one transaction.
 */
export async function saveRequestedPeg(
  transport: FhirTransport,
  submission: Omit<PegSubmission, 'request'>,
  questionnaire: Questionnaire,
  taskId: string,
): Promise<SavedPeg> {
  const label = 'Reading the check-in request';
  const task = await transport.json(`Task/${encodeURIComponent(taskId)}`, { label });
  if (!isResourceOf('Task', task)) {
    throw new FhirError({ kind: 'malformed', request: label, message: `${label}: not a Task.` });
  }
  return savePeg(transport, { ...submission, request: task }, questionnaire);
}
