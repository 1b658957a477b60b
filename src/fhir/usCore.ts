/**
 * The US Core profiles CLBP Pathway's writes claim and the pieces every write shares: who entered,
 * who answered, the launch's encounter. US Core 6.1.0 and 7.0.0 (the rules a resource meets are
 * checked in tests/support/usCore/, which keeps its own copy of them).
 *
 * @see https://hl7.org/fhir/us/core/STU6.1/profiles-and-extensions.html
 */
import type { CodeableConcept, Reference } from 'fhir/r4';

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

export const US_CORE_PROFILE = {
  questionnaireResponse: `${US_CORE}/us-core-questionnaireresponse`,
  screeningAssessment: `${US_CORE}/us-core-observation-screening-assessment`,
  serviceRequest: `${US_CORE}/us-core-servicerequest`,
  problem: `${US_CORE}/us-core-condition-problems-health-concerns`,
  pregnancyStatus: `${US_CORE}/us-core-observation-pregnancystatus`,
  encounter: `${US_CORE}/us-core-encounter`,
} as const;

export const OBSERVATION_CATEGORY_SYSTEM =
  'http://terminology.hl7.org/CodeSystem/observation-category';

/** Observation category `survey`: the fixed slice of US Core Observation Screening Assessment. */
export const SURVEY_CATEGORY: CodeableConcept = {
  coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'survey', display: 'Survey' }],
};

/** What every write made in a launch knows about it. */
export interface WriteContext {
  readonly patientId: string;
  /**
   * Who is entering the record: the launch's fhirUser (`Practitioner/…`, or `Patient/…` when the
   * patient answers for themselves). US Core's `author`.
   */
  readonly enterer: string | undefined;
  /** `Encounter/<id>` from the SMART launch context, when the EHR gave one. */
  readonly encounter: string | undefined;
}

export function patientReference(context: WriteContext): Reference {
  return { reference: `Patient/${context.patientId}` };
}

/** `{ encounter }` when the launch has one: every write of a visit points to it. */
export function encounterOf(context: WriteContext): { encounter?: Reference } {
  return context.encounter === undefined ? {} : { encounter: { reference: context.encounter } };
}
