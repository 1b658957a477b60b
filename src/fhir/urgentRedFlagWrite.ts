/**
 * The record of an urgent red flag, written the moment it is answered (clinical.md "Urgency": show
 * it at once "and keep it on the record"), before the screening is finished:
 *
 * - a QuestionnaireResponse to the screening Questionnaire, status `in-progress`, holding only the
 *   urgent answers: the record of what was asked and answered (US Core QuestionnaireResponse),
 *   read back by the app like any screening answer, so the next person who opens the chart sees
 *   the urgent verdict;
 * - one finding Observation per urgent answer (category `survey`, interpretation `AA` critical
 *   abnormal for a cauda equina sign, `A` abnormal for a progressive deficit), derivedFrom the
 *   response: what EHRs show in results and flowsheets, and what other tools read.
 *
 * Why not a Flag: US Core profiles QuestionnaireResponse and Observation (screening assessment),
 * which EHRs accept from SMART apps and display; Flag has no US Core profile and few EHRs accept
 * it from an app. A transaction of conditional creates keyed on the screening draft's submission
 * id and the item's linkId: a retry, a reload or a second "yes" click never writes it twice.
 */
import type { Observation, QuestionnaireResponse } from 'fhir/r4';
import {
  RED_FLAG_CODE_SYSTEM,
  SCREENING_QUESTIONNAIRE_URL,
  SCREENING_QUESTIONNAIRE_VERSION,
} from '../domain/codes/canonical.ts';
import { RED_FLAG_RULES } from '../domain/screening/eligibilityConfig.ts';
import type { RedFlag } from '../domain/screening/screening.ts';
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

export interface UrgentRedFlagSubmission {
  /** The screening draft's submission id; each flag's record is keyed on it and its linkId. */
  readonly draftSubmissionId: string;
  readonly patientId: string;
  readonly practitioner: string | undefined;
  /** When it was answered (ISO dateTime with the local offset). */
  readonly authored: string;
  readonly flag: RedFlag;
}

/** The identifier value of one flag's urgent record (stable across retries and reloads). */
export function urgentRecordId(draftSubmissionId: string, flag: RedFlag): string {
  return `${draftSubmissionId}-${flag.linkId}`;
}

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

function words(flag: RedFlag): { headline: string; action: string; critical: boolean } {
  return RED_FLAG_RULES[flag.key].urgency === 'emergency'
    ? {
        headline: `Possible cauda equina syndrome: ${flag.text.toLowerCase()} reported at CLBP screening`,
        action:
          'Emergency: same-day emergency evaluation (clinical reference: Chou et al., Ann Intern Med 2007;147:478-91; NICE NG59).',
        critical: true,
      }
    : {
        headline: `${flag.text} reported at CLBP screening`,
        action: 'Urgent clinician evaluation.',
        critical: false,
      };
}

export function urgentRecord(s: UrgentRedFlagSubmission): {
  response: QuestionnaireResponse;
  observation: Observation;
  responseUrl: string;
  observationUrl: string;
} {
  const id = urgentRecordId(s.draftSubmissionId, s.flag);
  const responseUrl = `urn:uuid:${crypto.randomUUID()}`;
  const observationUrl = `urn:uuid:${crypto.randomUUID()}`;
  const answers: FormAnswers = { [s.flag.linkId]: { kind: 'boolean', value: true } };
  const author = s.practitioner === undefined ? {} : { author: { reference: s.practitioner } };
  const { headline, action, critical } = words(s.flag);
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    meta: {
      profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse'],
    },
    identifier: submissionIdentifier(id),
    questionnaire: `${SCREENING_QUESTIONNAIRE_URL}|${SCREENING_QUESTIONNAIRE_VERSION}`,
    status: 'in-progress',
    subject: { reference: `Patient/${s.patientId}` },
    authored: s.authored,
    ...author,
    item: responseItems(SCREENING_QUESTIONNAIRE.item, answers),
  };
  const observation: Observation = {
    resourceType: 'Observation',
    identifier: [submissionIdentifier(id)],
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'survey',
            display: 'Survey',
          },
        ],
      },
    ],
    code: {
      coding: [{ system: RED_FLAG_CODE_SYSTEM, code: s.flag.key, display: s.flag.text }],
      text: headline,
    },
    subject: { reference: `Patient/${s.patientId}` },
    effectiveDateTime: s.authored,
    issued: s.authored,
    ...(s.practitioner === undefined ? {} : { performer: [{ reference: s.practitioner }] }),
    valueBoolean: true,
    interpretation: [
      {
        coding: [
          critical
            ? { system: INTERPRETATION, code: 'AA', display: 'Critical abnormal' }
            : { system: INTERPRETATION, code: 'A', display: 'Abnormal' },
        ],
        text: action,
      },
    ],
    derivedFrom: [{ reference: responseUrl }],
    note: [{ text: `${headline}. ${action} Red flags prompt; they do not diagnose.` }],
  };
  return { response, observation, responseUrl, observationUrl };
}

/** Writes one urgent flag's record; resolves to [QuestionnaireResponse, Observation] as written. */
export async function saveUrgentRedFlag(
  transport: FhirTransport,
  s: UrgentRedFlagSubmission,
): Promise<WrittenResource[]> {
  const id = urgentRecordId(s.draftSubmissionId, s.flag);
  const { response, observation, responseUrl, observationUrl } = urgentRecord(s);
  return submitTransaction(
    transport,
    [
      conditionalCreate(responseUrl, response, id),
      conditionalCreate(observationUrl, observation, id),
    ],
    'Saving the urgent red flag',
  );
}
