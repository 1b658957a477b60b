/**
 * Type guards for what comes off the wire. They check what the app relies on (type, id, the
 * elements its logic reads as required), not full FHIR validation; whatever fails is skipped and
 * counted by the caller, never fatal.
 */
import type { FhirResource, Resource } from 'fhir/r4';
import { isRecord } from '../domain/fhir-primitives/json.ts';

export type ResourceOf<T extends FhirResource['resourceType']> = Extract<
  FhirResource,
  { resourceType: T }
>;

const isString = (v: unknown): boolean => typeof v === 'string' && v !== '';
const isObject = (v: unknown): boolean => isRecord(v);

/** Elements each type must carry for the app to use it (beyond resourceType and id). */
type Check = (v: unknown) => boolean;
const REQUIRED: Partial<Record<FhirResource['resourceType'], Readonly<Record<string, Check>>>> = {
  Observation: { status: isString, code: isObject },
  Condition: { subject: isObject },
  MedicationStatement: { status: isString, subject: isObject },
  MedicationRequest: { status: isString, intent: isString, subject: isObject },
  QuestionnaireResponse: { status: isString },
  ServiceRequest: { status: isString, intent: isString, subject: isObject },
  Task: { status: isString, intent: isString },
};

/** Choice elements of which one variant must be present, e.g. `medication[x]`. */
const REQUIRED_CHOICE: Partial<Record<FhirResource['resourceType'], readonly string[][]>> = {
  MedicationStatement: [['medicationCodeableConcept', 'medicationReference']],
  MedicationRequest: [['medicationCodeableConcept', 'medicationReference']],
};

/** Any resource: an object with a resourceType and an id. */
export function isResource(value: unknown): value is Resource & { id: string } {
  return isRecord(value) && isString(value['resourceType']) && isString(value['id']);
}

export function isResourceOf<T extends FhirResource['resourceType']>(
  type: T,
  value: unknown,
): value is ResourceOf<T> & { id: string } {
  if (!isResource(value) || value.resourceType !== type) {
    return false;
  }
  const record = value as unknown as Record<string, unknown>;
  const required: Readonly<Record<string, Check>> = REQUIRED[type] ?? {};
  for (const [key, check] of Object.entries(required)) {
    if (!check(record[key])) {
      return false;
    }
  }
  return (REQUIRED_CHOICE[type] ?? []).every((choices) => choices.some((k) => isObject(record[k])));
}

export function guardFor<T extends FhirResource['resourceType']>(
  type: T,
): (value: unknown) => value is ResourceOf<T> & { id: string } {
  return (value: unknown): value is ResourceOf<T> & { id: string } => isResourceOf(type, value);
}
