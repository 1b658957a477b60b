/**
 * Batch and transaction Bundles (`POST /fhir`). Every entry is parsed once (entryOperation.ts) into
 * the operation it asks for, and that same object is authorised (access.ts) and executed
 * (execute.ts): what the engine runs is never another reading of the entry than the one checked.
 *
 * - A batch runs each entry on its own through that pipeline and reports each entry's status.
 * - A transaction runs inside SandboxRepository.withTransaction, all or nothing: every create gets
 *   its id first (a conditional create whose confined search finds one record stands for that
 *   record), every `urn:uuid:` reference to an entry's fullUrl becomes `Type/id`, then every entry is
 *   authorised (one refusal refuses the Bundle), then the entries run in the FHIR order (DELETE,
 *   POST, PUT, GET); any failure undoes them all.
 */
import { parseSearchRequest } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { Permit } from './access.ts';
import { authorize } from './access.ts';
import type { BundleEntryOperation } from './entryOperation.ts';
import { parseBundleEntry } from './entryOperation.ts';
import type { ExecutionContext, Reply } from './execute.ts';
import { confinedQuery, execute } from './execute.ts';
import { COST_LIMITS } from './costLimits.ts';
import { HttpError, isObject, operationOutcome } from './http.ts';
import { interactionOf } from './operations.ts';
import { grantFor } from './scopes.ts';

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

function errorEntry(err: HttpError): BundleEntry {
  return responseEntry({
    status: err.status,
    body: operationOutcome(err.code, err.message),
    headers: {},
  });
}

async function runBatchEntry(ctx: ExecutionContext, raw: unknown): Promise<BundleEntry> {
  try {
    const entry = parseBundleEntry(raw, ctx.baseUrl);
    const permit = await authorize(ctx.access, entry, ctx.repo);
    return responseEntry(await execute(ctx, entry, permit));
  } catch (err) {
    if (err instanceof HttpError) {
      return errorEntry(err);
    }
    throw err;
  }
}

/** Re-throws an entry's refusal naming the entry (the whole transaction fails with it). */
function entryError(err: unknown, index: number, verb: string): unknown {
  return err instanceof HttpError
    ? new HttpError(err.status, err.code, `Transaction ${verb}, entry ${index}: ${err.message}`)
    : err;
}

/** Lets other work run between two entries (the FHIR server's lock keeps other requests out). */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** FHIR's processing order for a transaction (https://hl7.org/fhir/R4/http.html#trules). */
const ORDER: Readonly<Record<ReturnType<typeof interactionOf>, number>> = {
  delete: 0,
  create: 1,
  update: 2,
  read: 3,
  search: 3,
};

interface Identities {
  /** The id each create entry will get (by entry index). */
  readonly createdIds: ReadonlyMap<number, string>;
  /** `urn:uuid:` fullUrl → `Type/id`. */
  readonly references: ReadonlyMap<string, string>;
}

/** The one record a conditional create's confined search finds, if exactly one. */
async function existingMatch(
  ctx: ExecutionContext,
  entry: BundleEntryOperation,
  resourceType: string,
): Promise<string | undefined> {
  const grant = grantFor(ctx.access.scopes, { resourceType, interaction: 'create' });
  if (entry.ifNoneExist === undefined || grant === 'denied') {
    return undefined; // a refused create searches nothing
  }
  if (grant === 'launch-patient' && ctx.access.patient === undefined) {
    return undefined;
  }
  const confineTo = grant === 'launch-patient' ? ctx.access.patient : undefined;
  const query = confinedQuery(new URLSearchParams(entry.ifNoneExist), resourceType, confineTo);
  const search = parseSearchRequest(`${resourceType}?${query.toString()}`);
  const matches = await ctx.repo.searchResources({ ...search, count: 2, sortRules: [] });
  if (matches.length > 1) {
    throw new HttpError(
      412,
      'duplicate',
      `If-None-Exist "${entry.ifNoneExist}" matches more than one ${resourceType}`,
    );
  }
  return matches[0] === undefined ? undefined : `${resourceType}/${matches[0].id}`;
}

async function assignIdentities(
  ctx: ExecutionContext,
  entries: readonly BundleEntryOperation[],
): Promise<Identities> {
  const createdIds = new Map<number, string>();
  const references = new Map<string, string>();
  const targets = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const { op } = entry;
    let reference: string | undefined;
    try {
      if (op.kind === 'create') {
        const id = ctx.repo.generateId();
        createdIds.set(i, id);
        reference =
          (await existingMatch(ctx, entry, op.resourceType)) ?? `${op.resourceType}/${id}`;
      } else if (op.kind === 'update' || op.kind === 'delete') {
        reference = `${op.resourceType}/${op.id}`;
        if (targets.has(reference)) {
          throw new HttpError(400, 'invalid', `${reference} is changed by more than one entry`);
        }
        targets.add(reference);
      }
    } catch (err) {
      throw entryError(err, i, 'refused');
    }
    await yieldToEventLoop();
    if (entry.fullUrl !== undefined && reference !== undefined) {
      if (references.has(entry.fullUrl)) {
        throw new HttpError(400, 'invalid', `Two entries have the fullUrl ${entry.fullUrl}`);
      }
      references.set(entry.fullUrl, reference);
    }
  }
  return { createdIds, references };
}

/**
 * A copy of `value` with each string equal to a known fullUrl replaced by `Type/id`; a
 * `reference` to a `urn:` that no entry has as its fullUrl is collected in `unresolved`.
 */
function resolveReferences(
  value: unknown,
  references: ReadonlyMap<string, string>,
  unresolved: Set<string>,
): unknown {
  if (typeof value === 'string') {
    return references.get(value) ?? value;
  }
  if (Array.isArray(value)) {
    return value.map((v) => resolveReferences(v, references, unresolved));
  }
  if (!isObject(value)) {
    return value;
  }
  const reference = value['reference'];
  if (typeof reference === 'string' && reference.startsWith('urn:') && !references.has(reference)) {
    unresolved.add(reference);
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, resolveReferences(v, references, unresolved)]),
  );
}

function withResolvedReferences(
  entry: BundleEntryOperation,
  references: ReadonlyMap<string, string>,
  index: number,
): BundleEntryOperation {
  if (entry.resource === undefined) {
    return entry;
  }
  const unresolved = new Set<string>();
  const resource = resolveReferences(entry.resource, references, unresolved) as Resource;
  if (unresolved.size > 0) {
    throw new HttpError(
      400,
      'invalid',
      `Transaction refused, entry ${index}: it references ${[...unresolved].join(', ')}, which no entry has as its fullUrl`,
    );
  }
  return { ...entry, resource };
}

async function runTransaction(
  ctx: ExecutionContext,
  parsed: readonly BundleEntryOperation[],
): Promise<Reply> {
  return ctx.repo.withTransaction(async () => {
    const { createdIds, references } = await assignIdentities(ctx, parsed);
    const entries = parsed.map((e, i) => withResolvedReferences(e, references, i));
    const permits: Permit[] = [];
    for (const [i, entry] of entries.entries()) {
      permits.push(
        await authorize(ctx.access, entry, ctx.repo).catch((err: unknown) => {
          throw entryError(err, i, 'refused');
        }),
      );
      await yieldToEventLoop();
    }
    const order = entries
      .map((entry, i) => ({ entry, i }))
      .sort((a, b) => ORDER[interactionOf(a.entry.op)] - ORDER[interactionOf(b.entry.op)]);
    const results = new Array<BundleEntry>(entries.length);
    for (const { entry, i } of order) {
      const permit = permits[i] ?? {};
      const assignedId = createdIds.get(i);
      const reply = await execute(
        ctx,
        entry,
        permit,
        assignedId === undefined ? {} : { assignedId },
      ).catch((err: unknown) => {
        throw entryError(err, i, 'failed');
      });
      if (reply.status >= 400) {
        const outcome = reply.body?.resourceType === 'OperationOutcome' ? reply.body : undefined;
        const issue = outcome?.issue[0];
        throw new HttpError(
          reply.status,
          issue?.code ?? 'exception',
          `Transaction failed, entry ${i}: ${issue?.details?.text ?? issue?.diagnostics ?? `HTTP ${reply.status}`}`,
        );
      }
      results[i] = responseEntry(reply);
      await yieldToEventLoop();
    }
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction-response', entry: results };
    return { status: 200, body: bundle, headers: {} };
  });
}

/** Handles `POST /fhir` with a batch or transaction Bundle. */
export async function runBundle(ctx: ExecutionContext, body: unknown): Promise<Reply> {
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    throw new HttpError(400, 'invalid', 'POST /fhir expects a Bundle of type batch or transaction');
  }
  const entries: unknown[] = Array.isArray(body['entry']) ? body['entry'] : [];
  if (entries.length === 0) {
    throw new HttpError(400, 'invalid', 'The Bundle has no entries');
  }
  if (entries.length > COST_LIMITS.bundleEntries) {
    throw new HttpError(
      400,
      'too-costly',
      `The Bundle has ${entries.length} entries; this server takes at most ${COST_LIMITS.bundleEntries}`,
    );
  }
  if (body.type === 'transaction') {
    const parsed = entries.map((raw, i) => {
      try {
        return parseBundleEntry(raw, ctx.baseUrl);
      } catch (err) {
        throw entryError(err, i, 'refused');
      }
    });
    return runTransaction(ctx, parsed);
  }
  if (body.type !== 'batch') {
    throw new HttpError(
      400,
      'invalid',
      `Bundle.type must be batch or transaction, not ${JSON.stringify(body.type)}`,
    );
  }
  const results: BundleEntry[] = [];
  for (const raw of entries) {
    results.push(await runBatchEntry(ctx, raw));
    await yieldToEventLoop();
  }
  const reply: Bundle = { resourceType: 'Bundle', type: 'batch-response', entry: results };
  return { status: 200, body: reply, headers: {} };
}
