/**
 * The pathway's chart (domain/pathway/chart.ts) from what was read: the app's summary searches, or
 * a patient's resources from a Bundle or an export (`clbp pathway`, the EHR simulator). Both add
 * the app's own PEG Questionnaire, so a response to it is read the same way everywhere.
 */
import type {
  Condition,
  Encounter,
  FhirResource,
  Medication,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Questionnaire,
  QuestionnaireResponse,
  Resource,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import type { ChartPart, PathwayChart } from '../domain/pathway/chart.ts';
import { normalizeReference } from '../domain/fhir-primitives/references.ts';
import { PEG_QUESTIONNAIRE } from './questionnaires.ts';
import { OPIOID_SOURCES, type SummaryData, type SummaryKey } from './summary.ts';

/** The summary requests each chart part is read by (to load a part again). */
export const CHART_PART_KEYS: Readonly<Record<ChartPart, readonly SummaryKey[]>> = {
  patient: ['patient'],
  conditions: ['conditions'],
  questionnaireResponses: ['questionnaireResponses'],
  pegObservations: ['pegObservations'],
  medications: OPIOID_SOURCES,
  referrals: ['referrals'],
  sessions: ['referrals'],
};

/** The summary requests that answered (a request that is off or failed is absent). */
export type ReadSummary = { readonly [K in keyof SummaryData]?: SummaryData[K] | undefined };

function includedOf<T extends Resource>(
  included: ReadonlyMap<string, Resource>,
  type: T['resourceType'],
): T[] {
  return [...included.values()].filter((r): r is T => r.resourceType === type);
}

/**
 * The chart from the app's summary. `sessionsGranted`: whether the grant lets the referral search
 * bring the session Encounters (`_revinclude`d resources the token may not read are dropped
 * silently, so without the scope "no sessions" would be a guess).
 */
export function chartFromSummary(read: ReadSummary, sessionsGranted: boolean): PathwayChart {
  const statements = read.medicationStatements;
  const requests = read.medicationRequests;
  return {
    patient: read.patient,
    conditions: read.conditions?.matches,
    questionnaireResponses: read.questionnaireResponses?.matches,
    pegObservations: read.pegObservations?.matches,
    questionnaires: [PEG_QUESTIONNAIRE, ...(read.pegQuestionnaires?.matches ?? [])],
    // Either search is enough (an EHR may offer only one of them), as the Opioids section reads it.
    medications:
      statements === undefined && requests === undefined
        ? undefined
        : {
            statements: statements?.matches ?? [],
            requests: requests?.matches ?? [],
            medications: [
              ...includedOf<Medication>(statements?.included ?? new Map(), 'Medication'),
              ...includedOf<Medication>(requests?.included ?? new Map(), 'Medication'),
            ],
          },
    referrals:
      read.referrals === undefined
        ? undefined
        : {
            requests: read.referrals.matches,
            tasks: includedOf<Task>(read.referrals.included, 'Task'),
          },
    sessions:
      read.referrals === undefined || !sessionsGranted
        ? undefined
        : includedOf<Encounter>(read.referrals.included, 'Encounter'),
  };
}

function ofType<T extends FhirResource>(resources: readonly Resource[], type: T['resourceType']) {
  return resources.filter((r): r is T => r.resourceType === type);
}

/**
 * The chart from all of one patient's resources (and the shared Medications and Questionnaires
 * they use). Every part counts as read: a Bundle or an export holds what there is.
 */
export function chartFromResources(resources: readonly Resource[]): PathwayChart {
  return {
    patient: ofType<Patient>(resources, 'Patient')[0],
    conditions: ofType<Condition>(resources, 'Condition'),
    questionnaireResponses: ofType<QuestionnaireResponse>(resources, 'QuestionnaireResponse'),
    pegObservations: ofType<Observation>(resources, 'Observation'),
    questionnaires: [PEG_QUESTIONNAIRE, ...ofType<Questionnaire>(resources, 'Questionnaire')],
    medications: {
      statements: ofType<MedicationStatement>(resources, 'MedicationStatement'),
      requests: ofType<MedicationRequest>(resources, 'MedicationRequest'),
      medications: ofType<Medication>(resources, 'Medication'),
    },
    referrals: {
      requests: ofType<ServiceRequest>(resources, 'ServiceRequest'),
      tasks: ofType<Task>(resources, 'Task'),
    },
    sessions: ofType<Encounter>(resources, 'Encounter'),
  };
}

/** The types of a patient's own resources the pathway reads (besides the Patient). */
export const CHART_TYPES = [
  'Condition',
  'QuestionnaireResponse',
  'Observation',
  'MedicationStatement',
  'MedicationRequest',
  'ServiceRequest',
  'Task',
  'Encounter',
] as const;

const PATIENT_FIELDS = ['subject', 'patient', 'for', 'beneficiary'] as const;

/**
 * The id of the Patient a resource belongs to ('Patient/x' in subject, patient or for; a Patient's
 * own id), or undefined for shared resources (Medication, Questionnaire, Organization …).
 */
export function patientOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') {
    return resource.id;
  }
  const record = resource as unknown as Record<string, { reference?: unknown } | undefined>;
  for (const field of PATIENT_FIELDS) {
    const reference = record[field]?.reference;
    if (typeof reference === 'string') {
      const normal = normalizeReference(reference);
      if (normal.startsWith('Patient/')) {
        return normal.slice('Patient/'.length);
      }
    }
  }
  return undefined;
}
