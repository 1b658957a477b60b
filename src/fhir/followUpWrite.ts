/**
 * The programme's follow-ups across patients: which patients can have a follow-up to chase today
 * (their referral Task's programme start in followUpStartRange), the PEG requests sent to them,
 * and the staff's request for a PEG (a PEG request Task, domain/pathway/pegRequest.ts, created once
 * whatever the retries) and its closing when the PEG is taken by phone instead.
 */
import type { Task } from 'fhir/r4';
import { calendarDayOf } from '../domain/fhir-primitives/dates.ts';
import { normalizeReference } from '../domain/fhir-primitives/references.ts';
import {
  COMPLETE_QUESTIONNAIRE,
  pegRequests,
  pegRequestTask,
  type PegRequest,
  type PegRequestAnswer,
  type PegRequestSpec,
} from '../domain/pathway/pegRequest.ts';
import { FhirError } from './errors.ts';
import { pegRequestCompletion } from './pegWrite.ts';
import { guardFor } from './guards.ts';
import { searchAll, searchPath } from './search.ts';
import { conditionalCreate, submissionIdentifier, submitTransaction } from './transaction.ts';
import type { FhirTransport } from './transport.ts';

const isTask = guardFor('Task');

/**
 * Ids of the patients whose programme started between `range.from` and `range.to` (the referral
 * Task's executionPeriod.start), oldest start first: one search of the programme's started Tasks.
 */
export async function followedPatients(
  transport: FhirTransport,
  programme: string,
  range: { readonly from: string; readonly to: string },
  signal?: AbortSignal,
): Promise<string[]> {
  const found = await searchAll(
    transport,
    searchPath('Task', [
      ['owner', programme],
      ['status', 'in-progress,completed'],
    ]),
    {
      label: 'Programme Task search',
      guard: isTask,
      resourceType: 'Task',
      ...(signal === undefined ? {} : { signal }),
    },
  );
  const starts = new Map<string, string>();
  for (const task of found.matches) {
    const start = task.executionPeriod?.start;
    const day = start === undefined ? undefined : calendarDayOf(start);
    const patient = task.for?.reference === undefined ? '' : normalizeReference(task.for.reference);
    if (
      day !== undefined &&
      day >= range.from &&
      day <= range.to &&
      patient.startsWith('Patient/')
    ) {
      const id = patient.slice('Patient/'.length);
      const known = starts.get(id);
      starts.set(id, known === undefined || day < known ? day : known);
    }
  }
  return [...starts].sort((a, b) => a[1].localeCompare(b[1])).map(([id]) => id);
}

/** The PEG requests sent to these patients (one search, at most 100 patients). */
export async function loadPegRequests(
  transport: FhirTransport,
  patientIds: readonly string[],
  signal?: AbortSignal,
): Promise<PegRequest[]> {
  if (patientIds.length === 0) {
    return [];
  }
  const found = await searchAll(
    transport,
    searchPath('Task', [
      ['patient', patientIds.join(',')],
      ['code', `${COMPLETE_QUESTIONNAIRE.system}|${COMPLETE_QUESTIONNAIRE.code}`],
    ]),
    {
      label: 'PEG request search',
      guard: isTask,
      resourceType: 'Task',
      ...(signal === undefined ? {} : { signal }),
    },
  );
  return pegRequests(found.matches);
}

/** Sends the patient a PEG request; a retry with the same submission id creates nothing new. */
export async function requestPeg(
  transport: FhirTransport,
  submissionId: string,
  spec: PegRequestSpec,
): Promise<string> {
  const task: Task = { ...pegRequestTask(spec), identifier: [submissionIdentifier(submissionId)] };
  const [written] = await submitTransaction(
    transport,
    [conditionalCreate(`urn:uuid:${submissionId}`, task, submissionId)],
    'Asking the patient for a PEG',
  );
  if (written === undefined) {
    throw new FhirError({
      kind: 'malformed',
      message: 'Asking the patient for a PEG: no Task came back.',
      request: 'Asking the patient for a PEG',
    });
  }
  return written.id;
}

/**
 * Closes an open PEG request with the PEG taken by phone (completed, the response as its output),
 * conditional on the version read; a request already closed (the patient answered meanwhile) is
 * left as it is.
 */
export async function closePegRequest(
  transport: FhirTransport,
  request: PegRequest,
  answer: PegRequestAnswer,
): Promise<void> {
  const task = request.task;
  if (!request.open || task.id === undefined) {
    return;
  }
  try {
    await submitTransaction(
      transport,
      [pegRequestCompletion(task, answer)],
      'Closing the PEG request',
    );
  } catch (error) {
    // Answered or withdrawn meanwhile: the PEG itself is saved, which is what matters.
    if (!(error instanceof FhirError) || (error.status !== 409 && error.status !== 412)) {
      throw error;
    }
  }
}
