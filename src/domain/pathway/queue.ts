/**
 * One row of the programme's referral queue, from a Task the programme owns and the records its
 * search `_include`d (the referral, the patient, the referring clinician). Where the referral
 * stands, its day, reason and finer step come from the one referral definition (referrals.ts).
 */
import type { Patient, Practitioner, Resource, ServiceRequest, Task } from 'fhir/r4';
import { calendarDayOf } from '../fhir-primitives/dates.ts';
import { humanNameText } from '../fhir-primitives/names.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import { TASK_STATUS_TEXT, type ReferralStage } from './referral.ts';
import { awaitsDecision } from './referralDecision.ts';
import { programmeReferrals } from './referrals.ts';

export interface QueueEntry {
  readonly task: Task & { id: string };
  /** 'Patient/<id>', when the Task names one. */
  readonly patientReference: string | undefined;
  readonly patientName: string;
  readonly birthDate: string | undefined;
  /** Calendar day the clinician referred (the referral's authoredOn, else the Task's). */
  readonly referredOn: string | undefined;
  readonly referrer: string;
  /** The referring clinician's note to the programme, as written. */
  readonly note: string | undefined;
  /** The preferred programme start the clinician gave ('YYYY-MM-DD'). */
  readonly preferredStart: string | undefined;
  /** The referral's stage; undefined when the Task's focus is not a programme referral we could read. */
  readonly stage: ReferralStage | undefined;
  readonly statusText: string;
  /** A decline or cancel reason (Task.statusReason). */
  readonly reason: string | undefined;
  readonly businessStatus: string | undefined;
  /** Whether the programme can still accept or decline it. */
  readonly decidable: boolean;
}

type Included = ReadonlyMap<string, Resource>;

function included<T extends Resource>(
  resources: Included,
  reference: string | undefined,
  type: T['resourceType'],
): T | undefined {
  if (reference === undefined) {
    return undefined;
  }
  const found = resources.get(normalizeReference(reference));
  return found?.resourceType === type ? (found as T) : undefined;
}

/** The queue row of one programme Task. */
export function queueEntry(task: Task & { id: string }, resources: Included): QueueEntry {
  const request = included<ServiceRequest>(resources, task.focus?.reference, 'ServiceRequest');
  const referral =
    request === undefined ? undefined : programmeReferrals([request], [task], undefined)[0];
  const patientReference = task.for?.reference ?? request?.subject.reference;
  const patient = included<Patient>(resources, patientReference, 'Patient');
  const requesterReference = task.requester ?? request?.requester;
  const practitioner = included<Practitioner>(
    resources,
    requesterReference?.reference,
    'Practitioner',
  );
  const authored = request?.authoredOn ?? task.authoredOn;
  return {
    task,
    patientReference:
      patientReference === undefined ? undefined : normalizeReference(patientReference),
    patientName:
      patient === undefined
        ? (task.for?.display ?? 'Patient record not available')
        : humanNameText(patient.name, 'Unnamed patient'),
    birthDate: patient?.birthDate,
    referredOn:
      referral?.referredOn ?? (authored === undefined ? undefined : calendarDayOf(authored)),
    referrer:
      practitioner === undefined
        ? (requesterReference?.display ?? 'Referring clinician not recorded')
        : humanNameText(practitioner.name, 'Unnamed clinician', { prefix: true }),
    note: request?.note?.[0]?.text ?? task.note?.[0]?.text,
    preferredStart:
      request?.occurrencePeriod?.start === undefined
        ? undefined
        : calendarDayOf(request.occurrencePeriod.start),
    stage: referral?.stage,
    statusText: TASK_STATUS_TEXT[task.status] ?? task.status,
    reason: referral?.reason ?? task.statusReason?.text,
    businessStatus: referral?.businessStatus ?? task.businessStatus?.text,
    decidable: awaitsDecision(task) && (referral === undefined || referral.stage === 'awaiting'),
  };
}
