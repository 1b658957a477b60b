/**
 * The programme staff's cohort writes (domain/pathway/cohort.ts says what each resource holds):
 * creating a cohort with its 8 sessions, adding a patient, recording attendance, completing the
 * programme. Each write CONVERGES: it reads the records it changes, works out what is still to
 * write from what the EHR holds now, and sends that in one transaction (creates conditional on
 * their identifier, updates on the version just read). A retry after a lost answer, a double click
 * or a colleague's write in between finds the work done, or redoes only what is missing: a status
 * changes once.
 */
import type { BundleEntry, FhirResource, Group, Task } from 'fhir/r4';
import {
  attendanceEncounter,
  attendanceKey,
  cohortResources,
  scheduledTask,
  sessionKey,
  taskAfterAttendance,
  taskAtCompletion,
  withMember,
  type AttendanceOrder,
  type Cohort,
  type CohortOrder,
} from '../domain/pathway/cohort.ts';
import { SUBMISSION_IDENTIFIER_SYSTEM } from '../domain/codes/canonical.ts';
import { FhirError } from './errors.ts';
import { guardFor } from './guards.ts';
import { readResource, searchAll, searchPath } from './search.ts';
import { conditionalCreate, submitTransaction } from './transaction.ts';
import type { FhirTransport } from './transport.ts';
import { US_CORE_PROFILE } from './usCore.ts';

type WithId<T> = T & { id: string };

/** Rounds of read → write before a write gives up (each lost race costs one round). */
const ROUNDS = 3;

function update(resource: WithId<FhirResource>): BundleEntry {
  const version = resource.meta?.versionId;
  return {
    resource,
    request: {
      method: 'PUT',
      url: `${resource.resourceType}/${resource.id}`,
      ...(version === undefined ? {} : { ifMatch: `W/"${version}"` }),
    },
  };
}

/**
 * Plans and writes until nothing is left to write: `plan` reads the EHR's current records and
 * returns the entries still needed (none: done). A 409/412 (someone wrote in between) plans again.
 * Returns whether anything was written by this call.
 */
async function converge(
  transport: FhirTransport,
  label: string,
  plan: () => Promise<BundleEntry[]>,
): Promise<'written' | 'already'> {
  let wrote = false;
  for (let round = 0; round < ROUNDS; round++) {
    const entries = await plan();
    if (entries.length === 0) {
      return wrote ? 'written' : 'already';
    }
    try {
      await submitTransaction(transport, entries, label);
      wrote = true;
    } catch (error) {
      if (!(error instanceof FhirError) || (error.status !== 409 && error.status !== 412)) {
        throw error;
      }
    }
  }
  const left = await plan();
  if (left.length === 0) {
    return wrote ? 'written' : 'already';
  }
  throw new FhirError({
    kind: 'changed',
    message: `${label}: the records kept changing while this was written (a colleague at work on the same cohort?). Nothing is lost: reload and try again.`,
    request: label,
  });
}

const isGroup = guardFor('Group');
const isTask = guardFor('Task');
const isEncounter = guardFor('Encounter');

function read<T>(
  transport: FhirTransport,
  path: string,
  label: string,
  guard: (v: unknown) => v is T,
): Promise<T> {
  return readResource(transport, path, { label, guard });
}

/** Creates the cohort's Group and its 8 session Appointments; returns the Group's id. */
export async function createCohort(transport: FhirTransport, order: CohortOrder): Promise<string> {
  const groupUrl = `urn:uuid:${order.submissionId}`;
  const { group, sessions } = cohortResources(order, groupUrl);
  const label = 'Creating the cohort';
  const written = await submitTransaction(
    transport,
    [
      conditionalCreate(groupUrl, group, order.submissionId),
      ...sessions.map((session, i) =>
        conditionalCreate(
          `urn:uuid:${order.submissionId}-s${String(i + 1)}`,
          session,
          sessionKey(order.submissionId, i + 1),
        ),
      ),
    ],
    label,
  );
  const id = written[0]?.id;
  if (id === undefined) {
    throw new FhirError({
      kind: 'malformed',
      message: `${label}: no Group came back.`,
      request: label,
    });
  }
  return id;
}

/** Adds a patient to a cohort and notes the cohort on their referral's Task. */
export function addToCohort(
  transport: FhirTransport,
  order: { cohort: Cohort; patient: string; taskId: string; day: string; when: string },
): Promise<'written' | 'already'> {
  const label = 'Adding the patient to the cohort';
  return converge(transport, label, async () => {
    const [group, task] = await Promise.all([
      read(transport, `Group/${order.cohort.group.id}`, label, isGroup),
      read(transport, `Task/${order.taskId}`, label, isTask),
    ]);
    const nextGroup = withMember(group, order.patient, order.day);
    const nextTask = scheduledTask(task, order.cohort, order.when);
    return [
      ...(nextGroup === undefined ? [] : [update({ ...nextGroup, id: group.id })]),
      ...(nextTask === undefined ? [] : [update({ ...nextTask, id: task.id })]),
    ];
  });
}

/**
 * Records whether the patient attended a session: their Encounter for it (created, or its status
 * changed), and the referral's Task moved on (taskAfterAttendance) from the EHR's current sessions.
 */
export function recordAttendance(
  transport: FhirTransport,
  order: AttendanceOrder & { taskId: string; when: string },
): Promise<'written' | 'already'> {
  const label = order.attended ? 'Recording attendance' : 'Recording an absence';
  const key = attendanceKey(order.session.appointment, order.patient);
  return converge(transport, label, async () => {
    const [task, sessions] = await Promise.all([
      read(transport, `Task/${order.taskId}`, label, isTask),
      searchAll(transport, searchPath('Encounter', [['based-on', order.referral]]), {
        label,
        guard: isEncounter,
        resourceType: 'Encounter',
      }),
    ]);
    const mine = sessions.matches.find((e) =>
      e.identifier?.some((i) => i.system === SUBMISSION_IDENTIFIER_SYSTEM && i.value === key),
    );
    const wanted = {
      ...attendanceEncounter(order),
      meta: { profile: [US_CORE_PROFILE.encounter] },
    };
    const entries: BundleEntry[] = [];
    if (mine === undefined) {
      entries.push(conditionalCreate(`urn:uuid:${key}`, wanted, key));
    } else if (mine.status !== wanted.status) {
      entries.push(update({ ...mine, status: wanted.status }));
    }
    const otherStarts = sessions.matches.flatMap((e) =>
      e !== mine && e.status === 'finished' && e.period?.start !== undefined
        ? [e.period.start]
        : [],
    );
    const nextTask = taskAfterAttendance(task, order, otherStarts, order.when);
    if (nextTask !== undefined) {
      entries.push(update({ ...nextTask, id: task.id }));
    }
    return entries;
  });
}

/** Completes the cohort's programme: each member's Task completed (or failed), the Group closed. */
export function completeCohort(
  transport: FhirTransport,
  order: { cohort: Cohort; taskIds: readonly string[]; when: string },
): Promise<'written' | 'already'> {
  const label = 'Completing the programme';
  return converge(transport, label, async () => {
    const [group, tasks] = await Promise.all([
      read(transport, `Group/${order.cohort.group.id}`, label, isGroup),
      order.taskIds.length === 0
        ? Promise.resolve({ matches: [] as WithId<Task>[] })
        : searchAll(transport, searchPath('Task', [['_id', order.taskIds.join(',')]]), {
            label,
            guard: isTask,
            resourceType: 'Task',
          }),
    ]);
    const entries = tasks.matches.flatMap((task) => {
      const next = taskAtCompletion(task, order.cohort, order.when);
      return next === undefined ? [] : [update({ ...next, id: task.id })];
    });
    if (group.active !== false) {
      entries.push(update({ ...(group as WithId<Group>), active: false }));
    }
    return entries;
  });
}
