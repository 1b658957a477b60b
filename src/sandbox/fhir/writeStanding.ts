/**
 * Whether a resource written under a `patient/` scope stays inside the launch patient's chart.
 *
 * Reading follows the R4 Patient compartment as defined (compartment.ts: ANY compartment reference
 * to the patient puts a resource in it, so an Observation the patient performed is theirs to read).
 * Writing is stricter, or a patient token could file data into another patient's chart by naming
 * itself as performer: a written resource is the patient's own only when
 * - EVERY Patient reference in its compartment parameters (subject, patient, for, performer,
 *   author…) points to the launch patient, and references that cannot be checked (a `urn:uuid:`,
 *   a logical Patient reference by identifier) count as pointing elsewhere (a transaction
 *   replaces its entries' `urn:uuid:` fullUrls with the ids they get before anything is checked);
 * - and the resource is about the patient: its `patient` or `subject` compartment parameter, when
 *   the type has one, names the launch patient (otherwise at least one parameter does).
 */
import { evalFhirPath } from '@medplum/core';
import type { Reference, Resource } from '@medplum/fhirtypes';
import type { CompartmentParam } from './compartment.ts';
import { compartmentParams } from './compartment.ts';

export type WriteStanding =
  | { readonly kind: 'own' }
  /** A type outside the Patient compartment (Medication, Questionnaire, Organization…). */
  | { readonly kind: 'shared' }
  /** The parameter that must name the patient is empty, e.g. an Observation without a subject. */
  | { readonly kind: 'missing'; readonly element: string }
  /** It names someone else, or something that cannot be checked. */
  | { readonly kind: 'refused'; readonly reason: string };

/** The parameters whose target is the subject of the record, in preference order. */
const ABOUT_PARAMS = ['patient', 'subject'] as const;

/** `Type/id` or `<base>/Type/id`, optionally with `/_history/<vid>`. */
const LITERAL_REFERENCE =
  /(?:^|\/)([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * `.where(resolve() is Patient)` (also spelt `.where((resolve() is Patient))`) would drop references
 * whose target is unknown (urn:uuid).
 */
const RESOLVE_FILTER = /\.where\((?:resolve\(\) is [A-Za-z]+|\(resolve\(\) is [A-Za-z]+\))\)/g;

type Target =
  | { readonly kind: 'patient'; readonly id: string }
  | { readonly kind: 'not-patient' }
  | { readonly kind: 'unknown' };

function targetOf(ref: Reference): Target {
  const text = ref.reference;
  if (text === undefined) {
    // A logical reference (identifier/display only) joins no compartment, unless it names a Patient.
    return ref.type === 'Patient' ? { kind: 'unknown' } : { kind: 'not-patient' };
  }
  if (text.startsWith('#')) {
    return { kind: 'not-patient' }; // a contained resource is part of this one
  }
  if (text.startsWith('urn:')) {
    return { kind: 'unknown' };
  }
  const match = LITERAL_REFERENCE.exec(text);
  if (!match?.[1] || !match[2]) {
    return { kind: 'unknown' };
  }
  return match[1] === 'Patient' ? { kind: 'patient', id: match[2] } : { kind: 'not-patient' };
}

function isReference(value: unknown): value is Reference {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The element(s) a parameter reads, e.g. `Condition.subject` for Condition's `patient`. */
function elementOf(param: CompartmentParam): string {
  return param.expression.replace(RESOLVE_FILTER, '');
}

function describe(ref: Reference): string {
  return ref.reference ?? `a ${ref.type ?? 'resource'} identified without a literal reference`;
}

/**
 * How a resource about to be written (or about to be overwritten/deleted) stands relative to the
 * launch patient's chart.
 */
export function writeStanding(resource: Resource, patientId: string): WriteStanding {
  if (resource.resourceType === 'Patient') {
    return resource.id === patientId
      ? { kind: 'own' }
      : {
          kind: 'refused',
          reason: `it is ${resource.id === undefined ? 'a new Patient' : `Patient/${resource.id}`}, not the launch patient`,
        };
  }
  const params = compartmentParams(resource.resourceType);
  if (!params) {
    return { kind: 'shared' };
  }
  const elsewhere: string[] = [];
  const naming = new Set<string>(); // parameters that name the launch patient
  for (const param of params) {
    const values = evalFhirPath(elementOf(param), resource);
    for (const ref of values.filter(isReference)) {
      const target = targetOf(ref);
      if (target.kind === 'patient' && target.id === patientId) {
        naming.add(param.code);
      } else if (target.kind !== 'not-patient') {
        elsewhere.push(`${param.code} → ${describe(ref)}`);
      }
    }
  }
  if (elsewhere.length > 0) {
    return {
      kind: 'refused',
      reason: `it references ${elsewhere.join(', ')}, not only Patient/${patientId}`,
    };
  }
  const about = ABOUT_PARAMS.flatMap((code) => params.filter((p) => p.code === code))[0];
  if (about !== undefined && !naming.has(about.code)) {
    return { kind: 'missing', element: elementOf(about) };
  }
  if (naming.size === 0) {
    return { kind: 'missing', element: params.map(elementOf).join(' or ') };
  }
  return { kind: 'own' };
}
