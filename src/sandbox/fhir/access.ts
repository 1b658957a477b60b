/**
 * Scope and compartment enforcement for one FHIR interaction. A `user/` or `system/` scope grants
 * its interactions on any patient's data; a `patient/` scope only within the launch patient's
 * compartment (AccessContext.patient):
 * - reads follow the compartment (compartment.ts);
 * - writes must stay wholly in the patient's chart (writeStanding.ts), both the resource sent and
 *   the one it replaces or deletes;
 * - types outside the compartment (Medication, Questionnaire, Organization…) are read-only, whatever
 *   the scope letters say: other patients' charts depend on them.
 */
import { isGone, isNotFound, OperationOutcomeError } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { AccessContext } from '../accessContext.ts';
import { compartmentStanding, isCompartmentType } from './compartment.ts';
import { HttpError } from './http.ts';
import type { EntryOperation } from './entryOperation.ts';
import type { ResourceOperation } from './operations.ts';
import { interactionOf } from './operations.ts';
import type { SandboxRepository } from './sandboxRepository.ts';
import type { Interaction, ResourceScope } from './scopes.ts';
import { grantFor, parseScopes } from './scopes.ts';
import { writeStanding } from './writeStanding.ts';

export interface Access {
  readonly scopes: readonly ResourceScope[];
  readonly granted: readonly string[];
  readonly patient: string | undefined;
  /** The signed-in user ('Practitioner/<id>', 'Patient/<id>'), when the token names one. */
  readonly user?: string | undefined;
}

export function accessFrom(context: AccessContext): Access {
  return {
    scopes: parseScopes(context.scopes),
    granted: context.scopes,
    patient: context.patient,
    user: context.fhirUser,
  };
}

/**
 * What a patient signed in as themselves may change, whatever the scopes say, as a patient
 * portal allows: their own answers (QuestionnaireResponse) and results they report
 * (Observation), and the Tasks addressed to them (owner = the patient: a PEG request), never a
 * clinician's or the programme's records (referrals, the programme's Task, problems…).
 */
const PATIENT_USER_WRITES: ReadonlySet<string> = new Set([
  'QuestionnaireResponse',
  'Observation',
  'Task',
]);

function assertPatientUserWrite(
  user: string,
  entry: EntryOperation,
  existing: Resource | undefined,
): void {
  const { op } = entry;
  if (!PATIENT_USER_WRITES.has(op.resourceType)) {
    throw forbidden(
      `A patient signed in as themselves cannot ${interactionOf(op)} ${op.resourceType} (a clinician's record)`,
    );
  }
  if (op.resourceType !== 'Task') {
    return;
  }
  const owned = (r: Resource | undefined): boolean =>
    r?.resourceType === 'Task' && r.owner?.reference === user;
  if (op.kind !== 'update' || !owned(existing) || !owned(entry.resource)) {
    throw forbidden(
      `A patient signed in as themselves may only update the Tasks they own (owner ${user}), keeping them theirs`,
    );
  }
}

/** What a permitted operation must still respect while it runs. */
export interface Permit {
  /** Confine to this patient's compartment (searches, conditional creates, included resources). */
  readonly confineTo?: string;
}

function forbidden(message: string): HttpError {
  return new HttpError(403, 'forbidden', message);
}

function denied(access: Access, interaction: Interaction, resourceType: string): HttpError {
  const granted = access.granted.length > 0 ? access.granted.join(' ') : '(none)';
  return forbidden(
    `The granted scopes do not allow ${interaction} on ${resourceType}. Granted: ${granted}`,
  );
}

async function current(
  repo: SandboxRepository,
  resourceType: string,
  id: string,
): Promise<Resource | undefined> {
  try {
    return await repo.readResource(resourceType, id);
  } catch (err) {
    if (err instanceof OperationOutcomeError && (isNotFound(err.outcome) || isGone(err.outcome))) {
      return undefined; // the interaction itself will answer 404 / 410
    }
    throw err;
  }
}

/**
 * What a `patient/` token is told about a resource outside its compartment: exactly what it is told
 * about one that does not exist, so that no answer (403 against 404, 410, "id already in use")
 * says whether another patient's record exists.
 */
export function notInCompartment(label: string): HttpError {
  return new HttpError(
    404,
    'not-found',
    `${label} was not found in the launch patient's record (a patient/ scope sees only that record)`,
  );
}

/** A write under a patient/ scope must keep `resource` wholly in the launch patient's chart. */
function assertWritable(resource: Resource, patient: string, what: string): void {
  const standing = writeStanding(resource, patient);
  switch (standing.kind) {
    case 'own':
    case 'shared': // refused earlier: shared types are read-only under patient/ scopes
      return;
    case 'missing':
      throw new HttpError(
        400,
        'required',
        `Under a patient/ scope ${what} must reference the launch patient (Patient/${patient}) in ${standing.element}`,
      );
    case 'refused':
      throw forbidden(
        `A patient/ scope only writes into the launch patient's chart; ${what} is refused: ${standing.reason}`,
      );
  }
}

const WRITES: ReadonlySet<ResourceOperation['kind']> = new Set([
  'create',
  'update',
  'delete',
  'patch',
]);

/**
 * The compartment rules of `patient/` scopes: shared types are read-only, a record of another
 * patient answers 404 like a missing one, and what is written stays in the launch patient's chart.
 */
function compartmentPermit(
  entry: EntryOperation,
  existing: Resource | undefined,
  patient: string,
  interaction: Interaction,
): Permit {
  const { op } = entry;
  const label = `${op.resourceType}${'id' in op ? `/${op.id}` : ''}`;
  if (WRITES.has(op.kind) && !isCompartmentType(op.resourceType)) {
    throw forbidden(
      `${op.resourceType} is outside the Patient compartment and shared by every patient's chart, ` +
        `so patient/ scopes may read it but not ${interaction} it (a user/ or system/ scope may)`,
    );
  }
  const hidden =
    'id' in op &&
    isCompartmentType(op.resourceType) &&
    (existing === undefined || compartmentStanding(existing, patient) === 'other');
  if (hidden) {
    throw notInCompartment(label);
  }
  switch (op.kind) {
    case 'search':
    case 'read':
    case 'vread':
    case 'history':
      return { confineTo: patient };
    case 'delete':
      if (existing) {
        assertWritable(existing, patient, label);
      }
      return { confineTo: patient };
    case 'create':
    case 'update':
      if (entry.resource === undefined) {
        throw new HttpError(400, 'invalid', `The body must be a ${op.resourceType} resource`);
      }
      if (existing) {
        assertWritable(existing, patient, `the stored ${label}`);
      }
      assertWritable(entry.resource, patient, `the ${op.resourceType} sent`);
      return { confineTo: patient };
    case 'patch':
      throw forbidden(
        'PATCH is not offered under patient/ scopes (the result could leave the compartment); use PUT',
      );
  }
}

/**
 * Checks one parsed interaction (the very object execute.ts runs) against the scopes and, for
 * `patient/` scopes, the compartment. There a resource outside the compartment answers 404 like a
 * missing one, and an update never creates (update-as-create would tell a taken id from a free one).
 * @throws HttpError 403 when refused, 404 outside the compartment, 400 when a patient/ write does
 *   not name the patient
 */
export async function authorize(
  access: Access,
  entry: EntryOperation,
  repo: SandboxRepository,
): Promise<Permit> {
  const { op } = entry;
  const interaction = interactionOf(op);
  const grant = grantFor(access.scopes, { resourceType: op.resourceType, interaction });
  if (grant === 'denied') {
    throw denied(access, interaction, op.resourceType);
  }
  const existing = 'id' in op ? await current(repo, op.resourceType, op.id) : undefined;
  if (
    op.kind === 'update' &&
    !existing &&
    grantFor(access.scopes, { resourceType: op.resourceType, interaction: 'create' }) === 'denied'
  ) {
    throw denied(access, 'create', op.resourceType); // update-as-create creates
  }
  if (access.user?.startsWith('Patient/') === true && WRITES.has(op.kind)) {
    assertPatientUserWrite(access.user, entry, existing);
  }
  if (grant === 'any-patient') {
    return {};
  }
  const patient = access.patient;
  if (patient === undefined) {
    throw forbidden('patient/ scopes were granted without a launch patient, so they cover no data');
  }
  return compartmentPermit(entry, existing, patient, interaction);
}

/** Whether an `_include`d / `_revinclude`d resource may be shown to this token. */
export function maySee(access: Access, resource: Resource): boolean {
  const grant = grantFor(access.scopes, {
    resourceType: resource.resourceType,
    interaction: 'read',
  });
  if (grant === 'denied') {
    return false;
  }
  if (grant === 'any-patient') {
    return true;
  }
  return access.patient !== undefined && compartmentStanding(resource, access.patient) !== 'other';
}
