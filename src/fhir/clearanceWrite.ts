/**
 * Writes a clinician's red-flag clearance (src/domain/screening/clearance.ts) as a
 * QuestionnaireResponse to questionnaires/clbp-red-flag-evaluation.json, with the PEG's no-loss,
 * no-duplicate write: a transaction whose create is conditional on the client-generated identifier.
 */
import type { QuestionnaireResponse, QuestionnaireResponseItem } from 'fhir/r4';
import {
  RED_FLAG_CODE_SYSTEM,
  RED_FLAG_EVALUATION_QUESTIONNAIRE_URL,
  RED_FLAG_EVALUATION_QUESTIONNAIRE_VERSION,
} from '../domain/codes/canonical.ts';
import type { ClearedFinding } from '../domain/screening/clearance.ts';
import {
  DOES_NOT_PRECLUDE,
  RED_FLAG_EVALUATION_LINK_IDS as L,
} from '../domain/screening/clearance.ts';
import { redFlagLabel } from '../domain/screening/redFlags.ts';
import {
  conditionalCreate,
  submissionIdentifier,
  submitTransaction,
  type WrittenResource,
} from './transaction.ts';
import type { FhirTransport } from './transport.ts';
import { encounterOf, patientReference, US_CORE_PROFILE, type WriteContext } from './usCore.ts';

export interface ClearanceSubmission {
  readonly submissionId: string;
  /** The launch: the clinician recording it is the author (and the source: it is their judgement). */
  readonly context: WriteContext;
  readonly authored: string;
  readonly findings: readonly ClearedFinding[];
  readonly note: string;
}

function findingItem(finding: ClearedFinding): QuestionnaireResponseItem {
  return {
    linkId: L.finding,
    text: 'Red flag evaluated',
    item: [
      {
        linkId: L.redFlag,
        text: 'Red flag',
        answer: [
          {
            valueCoding: {
              system: RED_FLAG_CODE_SYSTEM,
              code: finding.redFlag,
              display: redFlagLabel(finding.redFlag),
            },
          },
        ],
      },
      ...(finding.records.length === 0
        ? []
        : [
            {
              linkId: L.record,
              text: 'Records evaluated',
              answer: finding.records.map((reference) => ({ valueReference: { reference } })),
            },
          ]),
    ],
  };
}

export function clearanceResponse(s: ClearanceSubmission): QuestionnaireResponse {
  const note = s.note.trim();
  const clinician = s.context.enterer === undefined ? undefined : { reference: s.context.enterer };
  return {
    resourceType: 'QuestionnaireResponse',
    meta: { profile: [US_CORE_PROFILE.questionnaireResponse] },
    identifier: submissionIdentifier(s.submissionId),
    questionnaire: `${RED_FLAG_EVALUATION_QUESTIONNAIRE_URL}|${RED_FLAG_EVALUATION_QUESTIONNAIRE_VERSION}`,
    status: 'completed',
    subject: patientReference(s.context),
    ...encounterOf(s.context),
    authored: s.authored,
    ...(clinician === undefined ? {} : { author: clinician, source: clinician }),
    item: [
      ...s.findings.map(findingItem),
      {
        linkId: L.outcome,
        text: 'Outcome of the evaluation',
        answer: [{ valueCoding: { ...DOES_NOT_PRECLUDE } }],
      },
      ...(note === '' ? [] : [{ linkId: L.note, text: 'Note', answer: [{ valueString: note }] }]),
    ],
  };
}

export async function saveClearance(
  transport: FhirTransport,
  s: ClearanceSubmission,
): Promise<WrittenResource> {
  const [written] = await submitTransaction(
    transport,
    [conditionalCreate(`urn:uuid:${s.submissionId}`, clearanceResponse(s), s.submissionId)],
    'Saving the red-flag evaluation',
  );
  if (!written) {
    throw new Error('The transaction answered no entry');
  }
  return written;
}
