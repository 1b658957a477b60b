/**
 * Adding chronic low back pain to the problem list, only on the clinician's explicit confirmation
 * after a screening that met the NIH Task Force definition: a US Core Condition (Problems and
 * Health Concerns), confirmed and active, coded SNOMED CT 278860009 with ICD-10-CM M54.50 + G89.29,
 * recorded and asserted by the confirming clinician, with the screening as evidence. Conditional
 * on a client-generated identifier, so a retry adds one problem.
 */
import type { Condition } from 'fhir/r4';
import { CLBP_PROBLEM_CODINGS } from '../domain/codes/lowBackPain.ts';
import {
  conditionalCreate,
  submissionIdentifier,
  submitTransaction,
  type WrittenResource,
} from './transaction.ts';
import type { FhirTransport } from './transport.ts';
import { encounterOf, patientReference, US_CORE_PROFILE, type WriteContext } from './usCore.ts';

export interface ProblemConfirmation {
  readonly submissionId: string;
  /** The confirming clinician is the enterer. */
  readonly context: WriteContext;
  /** When the clinician confirmed (ISO dateTime with offset). */
  readonly confirmedAt: string;
  /** The screening the diagnosis rests on (`QuestionnaireResponse/<id>`). */
  readonly screening: string;
}

export function clbpProblem(c: ProblemConfirmation): Condition {
  const clinician = c.context.enterer === undefined ? {} : { reference: c.context.enterer };
  return {
    resourceType: 'Condition',
    meta: { profile: [US_CORE_PROFILE.problem] },
    identifier: [submissionIdentifier(c.submissionId)],
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate',
        valueDateTime: c.confirmedAt,
      },
    ],
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' },
      ],
    },
    verificationStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' },
      ],
    },
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code: {
      coding: CLBP_PROBLEM_CODINGS.map((coding) => ({ ...coding })),
      text: 'Chronic low back pain',
    },
    subject: patientReference(c.context),
    ...encounterOf(c.context),
    recordedDate: c.confirmedAt,
    ...(c.context.enterer === undefined ? {} : { recorder: clinician, asserter: clinician }),
    evidence: [{ detail: [{ reference: c.screening }] }],
    note: [
      {
        text: 'Confirmed by the clinician after a screening that met the NIH Research Task Force definition of chronic low back pain.',
        time: c.confirmedAt,
      },
    ],
  };
}

export async function addClbpProblem(
  transport: FhirTransport,
  c: ProblemConfirmation,
): Promise<WrittenResource> {
  const [written] = await submitTransaction(
    transport,
    [conditionalCreate(`urn:uuid:${c.submissionId}`, clbpProblem(c), c.submissionId)],
    'Adding chronic low back pain to the problem list',
  );
  if (!written) {
    throw new Error('The transaction answered no entry');
  }
  return written;
}
