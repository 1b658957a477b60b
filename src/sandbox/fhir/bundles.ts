/**
 * Batch and transaction Bundles (`POST /fhir`).
 *
 * - A batch runs each entry as an independent request through the same pipeline as a plain
 *   request (scopes, compartment, paging), and reports each entry's own status.
 * - A transaction is checked entry by entry first; if any entry is refused the whole Bundle is
 *   refused with 403. It then runs in medplum's BatchProcessor (which resolves `urn:uuid`
 *   references) inside SandboxRepository.withTransaction, which undoes everything on failure.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes';
import type { Permit } from './access.ts';
import { authorize } from './access.ts';
import type { ExecutionContext, Reply } from './execute.ts';
import { execute, outcomeReply, route } from './execute.ts';
import { HttpError, isObject, operationOutcome } from './http.ts';
import type { ResourceOperation } from './operations.ts';
import { classify, splitUrl } from './operations.ts';
import { compartmentSearchParam } from './compartment.ts';
import type { PlaceholderTypes } from './writeStanding.ts';

type Entry = BundleEntry & { request: NonNullable<BundleEntry['request']> };

function entriesOf(bundle: Bundle): Entry[] {
  return (bundle.entry ?? []).map((entry, i) => {
    if (
      !isObject(entry.request) ||
      typeof entry.request.method !== 'string' ||
      typeof entry.request.url !== 'string'
    ) {
      throw new HttpError(400, 'invalid', `Bundle.entry[${i}].request needs a method and a url`);
    }
    return entry as Entry;
  });
}

function relativeUrl(url: string, baseUrl: string): string {
  return url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url;
}

function operationOf(entry: Entry, baseUrl: string): ResourceOperation {
  const { segments, query } = splitUrl(relativeUrl(entry.request.url, baseUrl));
  const op = classify(entry.request.method, segments, query);
  if (op.kind === 'bundle') {
    throw new HttpError(
      400,
      'not-supported',
      'A Bundle entry cannot itself be a batch or transaction',
    );
  }
  return op;
}

function responseEntry(reply: Reply): BundleEntry {
  const ok = reply.status < 400;
  const { Location: location, ETag: etag, 'Last-Modified': lastModified } = reply.headers;
  return {
    ...(ok && reply.body ? { resource: reply.body } : {}),
    response: {
      status: String(reply.status),
      ...(location ? { location } : {}),
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified: new Date(lastModified).toISOString() } : {}),
      ...(!ok && reply.body?.resourceType === 'OperationOutcome' ? { outcome: reply.body } : {}),
    },
  };
}

async function runBatchEntry(ctx: ExecutionContext, entry: Entry): Promise<BundleEntry> {
  try {
    const op = operationOf(entry, ctx.baseUrl);
    const permit = await authorize(ctx.access, op, entry.resource, ctx.repo);
    const reply = await execute(ctx, op, permit, entry.resource, {
      ...(entry.request.ifMatch ? { ifMatch: entry.request.ifMatch } : {}),
      ...(entry.request.ifNoneExist ? { ifNoneExist: entry.request.ifNoneExist } : {}),
    });
    return responseEntry(reply);
  } catch (err) {
    if (err instanceof HttpError) {
      return responseEntry({
        status: err.status,
        body: operationOutcome(err.code, err.message),
        headers: {},
      });
    }
    throw err;
  }
}

/** Adds the compartment restriction to a transaction entry's search or If-None-Exist query. */
function confineEntry(entry: Entry, op: ResourceOperation, permit: Permit): Entry {
  const patient = permit.confineTo;
  if (patient === undefined) {
    return entry;
  }
  if (op.kind === 'search' || op.kind === 'read' || op.kind === 'vread' || op.kind === 'history') {
    throw new HttpError(
      403,
      'forbidden',
      'Under patient/ scopes a transaction may only write; read in a batch',
    );
  }
  const restriction = compartmentSearchParam(op.resourceType, patient);
  if (op.kind !== 'create' || !entry.request.ifNoneExist || !restriction) {
    return entry;
  }
  const query = new URLSearchParams(entry.request.ifNoneExist);
  query.append(...restriction);
  return { ...entry, request: { ...entry.request, ifNoneExist: query.toString() } };
}

/** The resource type each `urn:uuid:` fullUrl of a transaction stands for. */
function placeholderTypes(entries: readonly Entry[]): PlaceholderTypes {
  const types = new Map<string, string>();
  for (const entry of entries) {
    if (entry.fullUrl?.startsWith('urn:') && entry.resource) {
      types.set(entry.fullUrl, entry.resource.resourceType);
    }
  }
  return types;
}

async function runTransaction(
  ctx: ExecutionContext,
  bundle: Bundle,
  entries: Entry[],
): Promise<Reply> {
  const checked: Entry[] = [];
  const placeholders = placeholderTypes(entries);
  for (const [i, entry] of entries.entries()) {
    try {
      const op = operationOf(entry, ctx.baseUrl);
      const permit = await authorize(ctx.access, op, entry.resource, ctx.repo, placeholders);
      checked.push(confineEntry(entry, op, permit));
    } catch (err) {
      if (err instanceof HttpError) {
        throw new HttpError(
          err.status,
          err.code,
          `Transaction refused, entry ${i}: ${err.message}`,
        );
      }
      throw err;
    }
  }
  const { outcome, resource } = await route(ctx, {
    method: 'POST',
    url: '/',
    body: { ...bundle, entry: checked } satisfies Bundle,
  });
  return resource?.resourceType === 'Bundle'
    ? { status: 200, body: resource, headers: {} }
    : outcomeReply(outcome);
}

/** Handles `POST /fhir` with a batch or transaction Bundle. */
export async function runBundle(ctx: ExecutionContext, body: unknown): Promise<Reply> {
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    throw new HttpError(400, 'invalid', 'POST /fhir expects a Bundle of type batch or transaction');
  }
  const bundle = body as unknown as Bundle;
  const entries = entriesOf(bundle);
  if (entries.length === 0) {
    throw new HttpError(400, 'invalid', 'The Bundle has no entries');
  }
  if (body.type === 'transaction') {
    return runTransaction(ctx, bundle, entries);
  }
  if (body.type !== 'batch') {
    throw new HttpError(
      400,
      'invalid',
      `Bundle.type must be batch or transaction, not ${JSON.stringify(body.type)}`,
    );
  }
  const results: BundleEntry[] = [];
  for (const entry of entries) {
    results.push(await runBatchEntry(ctx, entry));
  }
  const reply: Bundle = { resourceType: 'Bundle', type: 'batch-response', entry: results };
  return { status: 200, body: reply, headers: {} };
}
