/**
 * One parsed form of a write or read, for a plain REST request and for every Bundle entry alike:
 * the interaction (type, id), the resource it writes, and its `If-Match` / `If-None-Exist`. The
 * same object is authorised (access.ts) and executed (execute.ts), so nothing the check did not
 * see can run: a URL's query never reaches the engine as a conditional write, a create never keeps
 * a client-chosen id, and a resource of another type than its URL names is refused.
 */
import type { Resource } from '@medplum/fhirtypes';
import { checkSearchCost, checkUrlCost } from './costLimits.ts';
import { HttpError, isObject } from './http.ts';
import type { ResourceOperation } from './operations.ts';
import { classify, splitUrl } from './operations.ts';

export interface EntryOperation {
  readonly op: ResourceOperation;
  /** What a create or update writes (a create's `id` and version removed: the server assigns them). */
  readonly resource: Resource | undefined;
  /** The JSON Patch document of a REST PATCH. */
  readonly patch: unknown;
  readonly ifMatch: string | undefined;
  /** A conditional create's search (the query string of `If-None-Exist`). */
  readonly ifNoneExist: string | undefined;
}

export interface BundleEntryOperation extends EntryOperation {
  /** `Bundle.entry.fullUrl` (a `urn:uuid:` that other entries of a transaction may reference). */
  readonly fullUrl: string | undefined;
}

function invalid(message: string): HttpError {
  return new HttpError(400, 'invalid', message);
}

/** A create's resource without the id and version the client may have put in it. */
function withoutClientIdentity(resource: Resource): Resource {
  const copy = { ...resource };
  delete copy.id;
  if (copy.meta !== undefined) {
    copy.meta = { ...copy.meta };
    delete copy.meta.versionId;
    delete copy.meta.lastUpdated;
  }
  return copy;
}

/**
 * Checks that the body and the conditional headers fit the interaction, and builds its one form.
 * @param body - the parsed request body (resource, or JSON Patch for PATCH)
 * @throws HttpError 400 when they do not fit
 */
export function entryOperation(
  op: ResourceOperation,
  body: unknown,
  conditional: { readonly ifMatch?: string | undefined; readonly ifNoneExist?: string | undefined },
): EntryOperation {
  const { ifMatch, ifNoneExist } = conditional;
  if (ifNoneExist !== undefined && op.kind !== 'create') {
    throw invalid('If-None-Exist applies only to a create');
  }
  if (
    ifMatch !== undefined &&
    op.kind !== 'update' &&
    op.kind !== 'delete' &&
    op.kind !== 'patch'
  ) {
    throw invalid('If-Match applies only to an update, patch or delete');
  }
  if (ifNoneExist !== undefined) {
    checkSearchCost(new URLSearchParams(ifNoneExist));
  }
  let resource: Resource | undefined;
  if (op.kind === 'create' || op.kind === 'update') {
    if (!isObject(body) || body.resourceType !== op.resourceType) {
      throw invalid(`The body must be a ${op.resourceType} resource`);
    }
    const sent = body as unknown as Resource;
    if (op.kind === 'update' && sent.id !== op.id) {
      throw invalid(
        `The ${op.resourceType} sent has id ${JSON.stringify(sent.id ?? null)}, not ${op.id} as its URL says`,
      );
    }
    resource = op.kind === 'create' ? withoutClientIdentity(sent) : sent;
  }
  return {
    op,
    resource,
    patch: op.kind === 'patch' ? body : undefined,
    ifMatch,
    ifNoneExist,
  };
}

function stringOrUndefined(value: unknown, what: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw invalid(`${what} must be a string`);
  }
  return value;
}

const BUNDLE_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE']);

/** The entry's URL relative to the FHIR base; an absolute URL must be under this server's base. */
function relativeUrl(url: string, baseUrl: string): string {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    return url;
  }
  if (url.startsWith(`${baseUrl}/`)) {
    return url.slice(baseUrl.length);
  }
  throw invalid(`request.url ${url} is not on this server (${baseUrl})`);
}

/**
 * Parses `Bundle.entry[i]` of a batch or transaction into the operation it asks for.
 * @throws HttpError naming what is wrong with the entry
 */
export function parseBundleEntry(raw: unknown, baseUrl: string): BundleEntryOperation {
  if (!isObject(raw) || !isObject(raw['request'])) {
    throw invalid('the entry needs a request with a method and a url');
  }
  const request = raw['request'];
  const method = request['method'];
  const url = request['url'];
  if (typeof method !== 'string' || typeof url !== 'string') {
    throw invalid('the entry needs a request with a method and a url');
  }
  if (!BUNDLE_METHODS.has(method)) {
    throw new HttpError(
      400,
      'not-supported',
      `${method} is not offered in a Bundle (GET, POST, PUT, DELETE are)`,
    );
  }
  checkUrlCost(url);
  const { segments, query } = splitUrl(relativeUrl(url, baseUrl));
  const op = classify(method, segments, query);
  if (op.kind === 'bundle') {
    throw new HttpError(
      400,
      'not-supported',
      'A Bundle entry cannot itself be a batch or transaction',
    );
  }
  const body = method === 'POST' || method === 'PUT' ? raw['resource'] : undefined;
  return {
    ...entryOperation(op, body, {
      ifMatch: stringOrUndefined(request['ifMatch'], 'request.ifMatch'),
      ifNoneExist: stringOrUndefined(request['ifNoneExist'], 'request.ifNoneExist'),
    }),
    fullUrl: stringOrUndefined(raw['fullUrl'], 'fullUrl'),
  };
}
