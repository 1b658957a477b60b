/**
 * Placing and cancelling the programme referral: a US Core ServiceRequest (category from US Core's
 * ServiceRequest category value set, a standard service code beside the project's) and the Task the
 * programme works from (shaped as SDOH Clinical Care's TaskForReferralManagement: intent order,
 * code fulfill, priority, focus, for, requester, owner), written together in one transaction,
 * conditional on a client-generated identifier so a double click or a retry places one referral.
 */
import type { BundleEntry, ServiceRequest, Task } from 'fhir/r4';
import { MINDFULNESS_GMV_CODE, PATHWAY_CODE_SYSTEM } from '../domain/codes/canonical.ts';
import {
  REFERRAL_CATEGORIES,
  REFERRAL_PRIORITY,
  REFERRAL_REASON_CODE,
  REFERRAL_SERVICE_STANDARD_CODE,
  REFERRAL_SERVICE_TEXT,
  programmeWindow,
} from '../domain/pathway/referral.ts';
import {
  conditionalCreate,
  submissionIdentifier,
  submitTransaction,
  type WrittenResource,
} from './transaction.ts';
import type { FhirTransport } from './transport.ts';
import { encounterOf, patientReference, US_CORE_PROFILE, type WriteContext } from './usCore.ts';

export interface ReferralOrder {
  readonly submissionId: string;
  /** The referring clinician is the enterer (fhirUser). */
  readonly context: WriteContext;
  /** `Organization/<id>` of the programme. */
  readonly programme: string;
  readonly authoredOn: string;
  /**
   * `Condition/<id>` of the chronic low back pain; without one (the screening made the diagnosis)
   * the referral carries reasonCode SNOMED 278860009 instead.
   */
  readonly reason: string | undefined;
  /** The screening response and the latest PEG record (`Type/id`). */
  readonly supportingInfo: readonly string[];
  readonly note: string;
  /** Preferred programme start, 'YYYY-MM-DD'. */
  readonly preferredStart: string | undefined;
}

export function referralEntries(order: ReferralOrder): BundleEntry[] {
  const requestUrl = `urn:uuid:${order.submissionId}`;
  const { context } = order;
  const subject = patientReference(context);
  const requester =
    context.enterer === undefined ? {} : { requester: { reference: context.enterer } };
  const window =
    order.preferredStart === undefined ? undefined : programmeWindow(order.preferredStart);
  const note =
    order.note.trim() === '' ? {} : { note: [{ text: order.note.trim(), time: order.authoredOn }] };
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    meta: { profile: [US_CORE_PROFILE.serviceRequest] },
    identifier: [submissionIdentifier(order.submissionId)],
    status: 'active',
    intent: 'order',
    category: REFERRAL_CATEGORIES.map((coding) => ({ coding: [{ ...coding }] })),
    code: {
      coding: [
        { ...REFERRAL_SERVICE_STANDARD_CODE },
        { system: PATHWAY_CODE_SYSTEM, code: MINDFULNESS_GMV_CODE, display: REFERRAL_SERVICE_TEXT },
      ],
      text: REFERRAL_SERVICE_TEXT,
    },
    subject,
    ...encounterOf(context),
    authoredOn: order.authoredOn,
    ...requester,
    performer: [{ reference: order.programme }],
    ...(order.reason === undefined
      ? { reasonCode: [{ coding: [REFERRAL_REASON_CODE], text: REFERRAL_REASON_CODE.display }] }
      : { reasonReference: [{ reference: order.reason }] }),
    ...(order.supportingInfo.length === 0
      ? {}
      : { supportingInfo: order.supportingInfo.map((reference) => ({ reference })) }),
    ...(window === undefined ? {} : { occurrencePeriod: window }),
    ...note,
  };
  const task: Task = {
    resourceType: 'Task',
    identifier: [submissionIdentifier(order.submissionId)],
    status: 'requested',
    intent: 'order',
    priority: REFERRAL_PRIORITY,
    code: { coding: [{ system: 'http://hl7.org/fhir/CodeSystem/task-code', code: 'fulfill' }] },
    focus: { reference: requestUrl },
    for: subject,
    ...encounterOf(context),
    authoredOn: order.authoredOn,
    ...requester,
    owner: { reference: order.programme },
    ...note,
  };
  return [
    conditionalCreate(requestUrl, request, order.submissionId),
    conditionalCreate(`urn:uuid:${crypto.randomUUID()}`, task, order.submissionId),
  ];
}

export interface PlacedReferral {
  readonly serviceRequest: WrittenResource;
  readonly task: WrittenResource;
}

export async function placeReferral(
  transport: FhirTransport,
  order: ReferralOrder,
): Promise<PlacedReferral> {
  const [serviceRequest, task] = await submitTransaction(
    transport,
    referralEntries(order),
    'Placing the referral',
  );
  if (!serviceRequest || !task) {
    throw new Error('The transaction answered fewer entries than sent');
  }
  return { serviceRequest, task };
}

/**
 * Cancels a referral: the Task is cancelled (with the reason) and the ServiceRequest revoked, in one
 * transaction; each update is conditional on the version read (If-Match), so a referral the
 * programme changed meanwhile is not overwritten.
 */
export async function cancelReferral(
  transport: FhirTransport,
  request: ServiceRequest & { id: string },
  task: (Task & { id: string }) | undefined,
  reason: string,
  when: string,
): Promise<void> {
  const revoked: ServiceRequest = {
    ...request,
    status: 'revoked',
    note: [...(request.note ?? []), { text: `Cancelled: ${reason}`, time: when }],
  };
  const entries: BundleEntry[] = [
    {
      resource: revoked,
      request: {
        method: 'PUT',
        url: `ServiceRequest/${request.id}`,
        ...(request.meta?.versionId === undefined
          ? {}
          : { ifMatch: `W/"${request.meta.versionId}"` }),
      },
    },
  ];
  if (task) {
    const cancelled: Task = {
      ...task,
      status: 'cancelled',
      statusReason: { text: reason },
      lastModified: when,
    };
    entries.push({
      resource: cancelled,
      request: {
        method: 'PUT',
        url: `Task/${task.id}`,
        ...(task.meta?.versionId === undefined ? {} : { ifMatch: `W/"${task.meta.versionId}"` }),
      },
    });
  }
  await submitTransaction(transport, entries, 'Cancelling the referral');
}
