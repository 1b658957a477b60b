/**
 * A screening's findings as US Core Observations, written with the screening response in one
 * transaction and derived from it: the Task Force result and the red flags as Observation
 * Screening Assessment (category survey, project codes with text: no standard code names them),
 * the pregnancy answer as US Core Pregnancy Status (LOINC 82810-3). The clinician who screened is
 * the performer.
 */
import type { BundleEntry, CodeableConcept, Observation } from 'fhir/r4';
import { LOINC_SYSTEM, SNOMED_SYSTEM } from '../domain/fhir-primitives/codings.ts';
import {
  FINDING_CODES,
  SCREENING_FINDING_CODE_SYSTEM,
  type ScreeningFinding,
} from '../domain/screening/findings.ts';
import { SCREENING_ANSWER_CODE_SYSTEM } from '../domain/codes/canonical.ts';
import { RED_FLAG_RULES } from '../domain/screening/eligibilityConfig.ts';
import { conditionalCreate, submissionIdentifier } from './transaction.ts';
import {
  encounterOf,
  OBSERVATION_CATEGORY_SYSTEM,
  patientReference,
  SURVEY_CATEGORY,
  US_CORE_PROFILE,
  type WriteContext,
} from './usCore.ts';

const SOCIAL_HISTORY: CodeableConcept = {
  coding: [
    { system: OBSERVATION_CATEGORY_SYSTEM, code: 'social-history', display: 'Social History' },
  ],
};

/** US Core pregnancy status answers (SNOMED CT, from the VSAC Pregnancy Status value set). */
const PREGNANCY_VALUE = {
  pregnant: { system: SNOMED_SYSTEM, code: '77386006', display: 'Pregnant' },
  notPregnant: { system: SNOMED_SYSTEM, code: '60001007', display: 'Not pregnant' },
} as const;

function projectCode(code: { code: string; display: string }): CodeableConcept {
  return {
    coding: [{ system: SCREENING_FINDING_CODE_SYSTEM, code: code.code, display: code.display }],
    text: code.display,
  };
}

const INTERPRETATION = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/**
 * A present cauda equina sign is an emergency and a progressive deficit urgent (RED_FLAG_RULES):
 * the finding says so in the interpretation EHRs highlight (`AA` critical abnormal, `A` abnormal).
 */
function redFlagInterpretation(
  answered: Extract<ScreeningFinding, { kind: 'red-flags' }>['answered'],
): Pick<Observation, 'interpretation'> {
  const urgencies = answered
    .filter((a) => a.present)
    .map((a) => RED_FLAG_RULES[a.flag.key].urgency);
  if (urgencies.includes('emergency')) {
    return {
      interpretation: [
        {
          coding: [{ system: INTERPRETATION, code: 'AA', display: 'Critical abnormal' }],
          text: 'Possible cauda equina syndrome: same-day emergency evaluation',
        },
      ],
    };
  }
  return urgencies.includes('urgent')
    ? {
        interpretation: [
          {
            coding: [{ system: INTERPRETATION, code: 'A', display: 'Abnormal' }],
            text: 'Progressive neurological deficit: urgent clinician evaluation',
          },
        ],
      }
    : {};
}

function findingBody(finding: ScreeningFinding): Partial<Observation> & { key: string } {
  switch (finding.kind) {
    case 'task-force':
      return {
        key: 'task-force',
        code: projectCode(FINDING_CODES.taskForce),
        valueBoolean: finding.clbp,
      };
    case 'red-flags':
      return {
        key: 'red-flags',
        code: projectCode(FINDING_CODES.redFlags),
        ...(finding.present === undefined
          ? {
              dataAbsentReason: {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
                    code: 'not-asked',
                    display: 'Not Asked',
                  },
                ],
                text: 'None present among those asked; not all were asked',
              },
            }
          : { valueBoolean: finding.present }),
        ...redFlagInterpretation(finding.answered),
        component: finding.answered.map(({ flag, present }) => ({
          code: {
            coding: [
              { system: SCREENING_ANSWER_CODE_SYSTEM, code: flag.linkId, display: flag.text },
            ],
            text: flag.text,
          },
          valueBoolean: present,
        })),
      };
    case 'pregnancy':
      return {
        key: 'pregnancy',
        meta: { profile: [US_CORE_PROFILE.pregnancyStatus] },
        category: [SOCIAL_HISTORY],
        code: {
          coding: [{ system: LOINC_SYSTEM, code: '82810-3', display: 'Pregnancy status' }],
          text: 'Pregnancy status',
        },
        valueCodeableConcept: {
          coding: [finding.pregnant ? PREGNANCY_VALUE.pregnant : PREGNANCY_VALUE.notPregnant],
          text: finding.pregnant ? 'Pregnant' : 'Not pregnant',
        },
      };
  }
}

/**
 * The transaction entries of a screening's findings, each conditional on its own identifier
 * (`<submission>.<finding>`), so a retry of the screening creates none twice.
 */
export function findingEntries(
  findings: readonly ScreeningFinding[],
  o: {
    readonly submissionId: string;
    readonly context: WriteContext;
    readonly authored: string;
    /** fullUrl (or reference) of the screening QuestionnaireResponse. */
    readonly response: string;
  },
): BundleEntry[] {
  const patient = patientReference(o.context);
  const performer = o.context.enterer === undefined ? patient : { reference: o.context.enterer };
  return findings.map((finding) => {
    const { key, ...body } = findingBody(finding);
    const id = `${o.submissionId}.${key}`;
    const observation: Observation = {
      resourceType: 'Observation',
      meta: { profile: [US_CORE_PROFILE.screeningAssessment] },
      identifier: [submissionIdentifier(id)],
      status: 'final',
      category: [SURVEY_CATEGORY],
      code: { text: key },
      subject: patient,
      ...encounterOf(o.context),
      effectiveDateTime: o.authored,
      performer: [performer],
      derivedFrom: [{ reference: o.response }],
      ...body,
    };
    return conditionalCreate(`urn:uuid:${crypto.randomUUID()}`, observation, id);
  });
}
