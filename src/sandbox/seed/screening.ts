/**
 * A completed CLBP screening as the app writes it (screeningResponse, the app's own writer):
 * low back pain for 1–5 years on every day or nearly, no red flag, not pregnant, able to join
 * telehealth groups. With a PEG ≥ 3 and an adult birth date, the patient is eligible.
 */
import type { QuestionnaireResponse } from 'fhir/r4';
import { SCREENING_ANSWER_CODE_SYSTEM } from '../../domain/codes/canonical.ts';
import { RED_FLAGS, SCREENING_LINK_IDS } from '../../domain/screening/screening.ts';
import type { FormAnswers } from '../../fhir/questionnaireAnswers.ts';
import { screeningResponse } from '../../fhir/screeningWrite.ts';

const code = (value: string) =>
  ({ kind: 'coding', coding: { system: SCREENING_ANSWER_CODE_SYSTEM, code: value } }) as const;

export const ELIGIBLE_SCREENING_ANSWERS: FormAnswers = {
  [SCREENING_LINK_IDS.duration]: code('1-5-years'),
  [SCREENING_LINK_IDS.frequency]: code('every-day'),
  ...Object.fromEntries(RED_FLAGS.map((flag) => [flag.linkId, { kind: 'boolean', value: false }])),
  [SCREENING_LINK_IDS.pregnant]: { kind: 'boolean', value: false },
  [SCREENING_LINK_IDS.telehealthAble]: { kind: 'boolean', value: true },
};

export function eligibleScreening(
  id: string,
  patientId: string,
  authored: string,
): QuestionnaireResponse {
  return {
    id,
    ...screeningResponse({
      submissionId: `${id}-submission`,
      context: { patientId, enterer: 'Practitioner/pcp-1', encounter: undefined },
      authored,
      answers: ELIGIBLE_SCREENING_ANSWERS,
    }),
  };
}
