/**
 * Writes that a retry may repeat: one transaction Bundle whose entries are conditional creates
 * (`If-None-Exist` on a client-generated identifier), so a second submission after a timeout or a
 * failed save creates nothing new. A record found that way ("already there") is compared with
 * what was sent before the write counts as saved: the same submission saved with other answers
 * (a duplicated tab) is a conflict, never "saved".
 */
import type { Bundle, BundleEntry, FhirResource, Identifier } from 'fhir/r4';
import { SUBMISSION_IDENTIFIER_SYSTEM } from '../domain/codes/canonical.ts';
import { FhirError } from './errors.ts';
import { sameEnteredContent } from './recordMatch.ts';
import type { FhirTransport } from './transport.ts';

export function submissionIdentifier(submissionId: string): Identifier {
  return { system: SUBMISSION_IDENTIFIER_SYSTEM, value: submissionId };
}

/** A transaction entry that creates `resource` unless one with the identifier already exists. */
export function conditionalCreate(
  fullUrl: string,
  resource: FhirResource,
  submissionId: string,
): BundleEntry {
  return {
    fullUrl,
    resource,
    request: {
      method: 'POST',
      url: resource.resourceType,
      ifNoneExist: `identifier=${SUBMISSION_IDENTIFIER_SYSTEM}|${submissionId}`,
    },
  };
}

export interface WrittenResource {
  readonly resourceType: string;
  readonly id: string;
  /** 201 created now, 200 found from an earlier attempt. */
  readonly status: number;
}

function parseLocation(
  location: string | undefined,
): { resourceType: string; id: string } | undefined {
  const match =
    location === undefined
      ? null
      : /([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(location);
  return match?.[1] !== undefined && match[2] !== undefined
    ? { resourceType: match[1], id: match[2] }
    : undefined;
}

const isSubmission = (entry: BundleEntry): boolean =>
  entry.request?.ifNoneExist?.startsWith(`identifier=${SUBMISSION_IDENTIFIER_SYSTEM}|`) === true;

/**
 * Throws a conflict when a submission entry answered "already there" with a record whose entered
 * content is not what was sent. The record comes with the answer, or is read from its location.
 */
async function checkFound(
  transport: FhirTransport,
  sent: BundleEntry,
  answer: BundleEntry,
  target: { resourceType: string; id: string },
  label: string,
): Promise<void> {
  const stored =
    answer.resource ??
    (await transport.json(`${target.resourceType}/${target.id}`, {
      label: `${label} (reading the record already there)`,
    }));
  if (!sameEnteredContent(sent.resource, stored)) {
    throw new FhirError({
      kind: 'conflict',
      request: label,
      message: `${label}: the EHR already holds a record of this submission with other answers (${target.resourceType}/${target.id}, saved from another tab or window?), so these answers were not saved.`,
    });
  }
}

/** Posts the transaction and returns what each entry became, in order. Rejects with a FhirError. */
export async function submitTransaction(
  transport: FhirTransport,
  entries: readonly BundleEntry[],
  label: string,
): Promise<WrittenResource[]> {
  const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [...entries] };
  const body = await transport.json('', { label, method: 'POST', body: bundle });
  const result = body as Partial<Bundle> | null;
  const answers = result?.resourceType === 'Bundle' ? (result.entry ?? []) : [];
  if (answers.length !== entries.length) {
    throw new FhirError({
      kind: 'malformed',
      message: `${label}: the EHR's transaction response has ${answers.length} entries for ${entries.length} sent.`,
      request: label,
    });
  }
  const written = answers.map((answer, i) => {
    const status = Number.parseInt(answer.response?.status ?? '', 10);
    const target =
      parseLocation(answer.response?.location) ??
      (answer.resource?.id === undefined
        ? undefined
        : { resourceType: answer.resource.resourceType, id: answer.resource.id });
    if (!Number.isFinite(status) || status >= 300 || target === undefined) {
      throw new FhirError({
        kind: 'malformed',
        message: `${label}: entry ${i + 1} was not stored (status ${answer.response?.status ?? 'missing'}).`,
        request: label,
      });
    }
    return { ...target, status };
  });
  for (const [i, result] of written.entries()) {
    const sent = entries[i];
    const answer = answers[i];
    if (result.status === 200 && sent !== undefined && answer !== undefined && isSubmission(sent)) {
      await checkFound(transport, sent, answer, result, label);
    }
  }
  return written;
}
