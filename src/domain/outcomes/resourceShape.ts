/**
 * Minimal shape checks for resources read from arbitrary bulk data, before they are handed to
 * typed readers (which assume, for example, that an Observation has a `code`). Anything failing
 * here is skipped with a reason instead of crashing a run over millions of lines.
 */
import type {
  Group,
  Observation,
  Questionnaire,
  QuestionnaireResponse,
  ServiceRequest,
} from 'fhir/r4';
import type { JsonRecord } from '../fhir-primitives/json.ts';
import { isRecord } from '../fhir-primitives/json.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';

/** A JSON object as read off the wire (fhir-primitives' JsonRecord). */
export type Json = JsonRecord;

function isArrayOrAbsent(value: unknown): boolean {
  return value === undefined || Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function referenceKey(reference: unknown): string | undefined {
  if (!isRecord(reference) || !isString(reference.reference)) {
    return undefined;
  }
  // Already 'Type/id': keep the parsed string itself (one flat string per patient key) rather
  // than a rebuilt one.
  return RELATIVE_REFERENCE.test(reference.reference)
    ? reference.reference
    : normalizeReference(reference.reference);
}

/** The normalised 'Patient/id' (or other literal reference) of `subject`, if it has one. */
export function subjectKey(resource: Json): string | undefined {
  return referenceKey(resource.subject);
}

/**
 * The patient a resource belongs to, as the outcome analysis groups them: a Patient is its own,
 * other resources their `subject` (a Task its `for`); undefined when there is none.
 */
export function patientKey(resource: Json): string | undefined {
  if (resource.resourceType === 'Patient') {
    return isString(resource.id) ? `Patient/${resource.id}` : undefined;
  }
  return referenceKey(resource.subject) ?? referenceKey(resource.for);
}

const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

export function asQuestionnaire(resource: Json): Questionnaire | undefined {
  return resource.resourceType === 'Questionnaire' &&
    isString(resource.status) &&
    isArrayOrAbsent(resource.item)
    ? (resource as unknown as Questionnaire)
    : undefined;
}

export function asQuestionnaireResponse(resource: Json): QuestionnaireResponse | undefined {
  return resource.resourceType === 'QuestionnaireResponse' &&
    isString(resource.status) &&
    isArrayOrAbsent(resource.item)
    ? (resource as unknown as QuestionnaireResponse)
    : undefined;
}

export function asObservation(resource: Json): Observation | undefined {
  const code = resource.code;
  return resource.resourceType === 'Observation' &&
    isString(resource.status) &&
    isRecord(code) &&
    isArrayOrAbsent(code.coding) &&
    isArrayOrAbsent(resource.component) &&
    isArrayOrAbsent(resource.derivedFrom) &&
    isArrayOrAbsent(resource.identifier)
    ? (resource as unknown as Observation)
    : undefined;
}

export function asServiceRequest(resource: Json): ServiceRequest | undefined {
  const code = resource.code;
  return resource.resourceType === 'ServiceRequest' &&
    isString(resource.status) &&
    (code === undefined || (isRecord(code) && isArrayOrAbsent(code.coding)))
    ? (resource as unknown as ServiceRequest)
    : undefined;
}

export function asGroup(resource: Json): Group | undefined {
  return resource.resourceType === 'Group' && isArrayOrAbsent(resource.member)
    ? (resource as unknown as Group)
    : undefined;
}

/** The keys a QuestionnaireResponse may use for this Questionnaire: url, url|version, Questionnaire/id. */
export function questionnaireKeys(questionnaire: Questionnaire): string[] {
  const keys: string[] = [];
  if (questionnaire.url !== undefined) {
    keys.push(questionnaire.url);
    if (questionnaire.version !== undefined) {
      keys.push(`${questionnaire.url}|${questionnaire.version}`);
    }
  }
  if (questionnaire.id !== undefined) {
    keys.push(`Questionnaire/${questionnaire.id}`);
  }
  return keys;
}
