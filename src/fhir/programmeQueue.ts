/**
 * The programme's referral queue: the Tasks the programme Organization owns, newest first, one page
 * at a time, each page one search that `_include`s the referrals, patients and referring
 * clinicians (no per-patient round trips); and the staff's answer to a referral, written once.
 */
import type { BundleEntry, Resource, Task } from 'fhir/r4';
import { queueEntry, type QueueEntry } from '../domain/pathway/queue.ts';
import {
  AWAITING_DECISION,
  carriesDecision,
  decidedTask,
  type ReferralDecision,
} from '../domain/pathway/referralDecision.ts';
import { FhirError } from './errors.ts';
import { guardFor } from './guards.ts';
import { fetchPage, readResource } from './search.ts';
import { submitTransaction } from './transaction.ts';
import type { FhirTransport } from './transport.ts';

/** Which part of the queue to show. */
export type QueueFilter = 'awaiting' | 'accepted' | 'declined' | 'all';

const FILTER_STATUSES: Readonly<Record<QueueFilter, readonly Task['status'][] | undefined>> = {
  awaiting: AWAITING_DECISION,
  accepted: ['accepted'],
  declined: ['rejected'],
  all: undefined,
};

/** Rows per page: a screenful a coordinator reads before asking for older referrals. */
export const QUEUE_PAGE_SIZE = 25;

export interface QueuePage {
  readonly entries: readonly QueueEntry[];
  /** Tasks the EHR sent that the app could not read (counted, shown, never fatal). */
  readonly malformed: number;
  /** The next page's URL, when there are older referrals. */
  readonly next: string | undefined;
}

/** The first page's search: `Task?owner=…&status=…&_sort=-authored-on&_include=…`. */
export function queueSearch(programme: string, filter: QueueFilter): string {
  const statuses = FILTER_STATUSES[filter];
  const query = new URLSearchParams([
    ['owner', programme],
    ...(statuses === undefined ? [] : [['status', statuses.join(',')]]),
    ['_sort', '-authored-on'],
    ['_include', 'Task:focus'],
    ['_include', 'Task:patient'],
    ['_include', 'Task:requester'],
    ['_count', String(QUEUE_PAGE_SIZE)],
  ]);
  return `Task?${query.toString()}`;
}

const isTask = guardFor('Task');

/** One page of the queue (the first from queueSearch, later ones from the `next` link). */
export async function loadQueuePage(
  transport: FhirTransport,
  url: string,
  signal?: AbortSignal,
): Promise<QueuePage> {
  const page = await fetchPage(transport, url, {
    label: 'Referral queue',
    guard: isTask,
    resourceType: 'Task',
    ...(signal === undefined ? {} : { signal }),
  });
  const resources: ReadonlyMap<string, Resource> = page.included;
  return {
    entries: page.matches.map((task) => queueEntry(task, resources)),
    malformed: page.malformed,
    next: page.next,
  };
}

export interface DecisionOrder {
  /** The Task as the queue showed it when the staff member decided. */
  readonly task: Task & { id: string };
  readonly decision: ReferralDecision;
  /** When the decision was first sent (ISO dateTime): a retry writes exactly the same Task. */
  readonly when: string;
}

export interface DecisionResult {
  /** The Task as the EHR now holds it, read back. */
  readonly task: Task & { id: string };
  /** 'written' now, or 'already' there (an earlier attempt, or a colleague, recorded it). */
  readonly outcome: 'written' | 'already';
}

function readTask(transport: FhirTransport, id: string): Promise<Task & { id: string }> {
  return readResource(transport, `Task/${encodeURIComponent(id)}`, {
    label: 'Reading the referral back',
    guard: isTask,
  });
}

/**
 * Records the programme's decision on the Task: one transaction with the update, conditional on
 * the version the staff member saw (If-Match), so it never overwrites a change they did not see
 * and a repeat (double click, retry after a lost answer) changes nothing twice. When the version
 * moved on, the stored Task is read: if it already carries the decision that is success; anything
 * else is a conflict the screen explains. Finally the stored Task is read back.
 */
export async function decideReferral(
  transport: FhirTransport,
  order: DecisionOrder,
): Promise<DecisionResult> {
  const { task, decision, when } = order;
  const version = task.meta?.versionId;
  const entry: BundleEntry = {
    resource: decidedTask(task, decision, when),
    request: {
      method: 'PUT',
      url: `Task/${task.id}`,
      ...(version === undefined ? {} : { ifMatch: `W/"${version}"` }),
    },
  };
  const label = decision.kind === 'accept' ? 'Accepting the referral' : 'Declining the referral';
  try {
    await submitTransaction(transport, [entry], label);
  } catch (error) {
    if (!(error instanceof FhirError) || (error.status !== 409 && error.status !== 412)) {
      throw error;
    }
    const stored = await readTask(transport, task.id);
    if (carriesDecision(stored, decision)) {
      return { task: stored, outcome: 'already' };
    }
    throw new FhirError({
      kind: 'changed',
      status: error.status,
      message: `${label}: the referral was changed meanwhile (it is now "${stored.status}"${
        stored.statusReason?.text === undefined ? '' : `: ${stored.statusReason.text}`
      }), so nothing was written.`,
      request: label,
    });
  }
  const stored = await readTask(transport, task.id);
  if (!carriesDecision(stored, decision)) {
    throw new FhirError({
      kind: 'malformed',
      message: `${label}: the EHR accepted the change but the referral reads back as "${stored.status}".`,
      request: label,
    });
  }
  return { task: stored, outcome: 'written' };
}
