/**
 * Classifies a FHIR REST request (method + path under `/fhir`) into the one interaction it is, so
 * that scopes can be checked before anything runs. Anything not listed here is refused: medplum's
 * router also serves `$graphql` and system-wide search, which would bypass the scope checks.
 */
import { isResourceType } from '@medplum/core';
import { HttpError } from './http.ts';
import type { Interaction } from './scopes.ts';

export type FhirOperation =
  | { readonly kind: 'search'; readonly resourceType: string; readonly query: URLSearchParams }
  | { readonly kind: 'read'; readonly resourceType: string; readonly id: string }
  | {
      readonly kind: 'vread';
      readonly resourceType: string;
      readonly id: string;
      readonly versionId: string;
    }
  | { readonly kind: 'history'; readonly resourceType: string; readonly id: string }
  | { readonly kind: 'create'; readonly resourceType: string }
  | { readonly kind: 'update'; readonly resourceType: string; readonly id: string }
  | { readonly kind: 'patch'; readonly resourceType: string; readonly id: string }
  | { readonly kind: 'delete'; readonly resourceType: string; readonly id: string }
  | { readonly kind: 'bundle' };

export type ResourceOperation = Exclude<FhirOperation, { kind: 'bundle' }>;

/** The SMART permission an operation needs. */
export function interactionOf(op: ResourceOperation): Interaction {
  switch (op.kind) {
    case 'search':
      return 'search';
    case 'read':
    case 'vread':
    case 'history':
      return 'read';
    case 'create':
      return 'create';
    case 'update':
    case 'patch':
      return 'update';
    case 'delete':
      return 'delete';
  }
}

const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * A write's URL carries no search: medplum would run `PUT Type?query` / `DELETE Type?query` as a
 * conditional write against whatever an unconfined search finds, and a create with a query as a
 * search over every chart. Conditional create sends its search in If-None-Exist instead.
 */
function refuseQuery(method: string, path: string, query: URLSearchParams): void {
  if (query.size > 0) {
    throw new HttpError(
      400,
      'not-supported',
      `${method} ${path}?${query.toString()}: a write's URL cannot carry a search (conditional update and ` +
        'delete are not offered; a conditional create sends its search in If-None-Exist)',
    );
  }
}

function checkType(resourceType: string): string {
  if (!isResourceType(resourceType)) {
    throw new HttpError(404, 'not-found', `Unknown resource type "${resourceType}"`);
  }
  return resourceType;
}

function checkId(id: string): string {
  if (!ID_PATTERN.test(id)) {
    throw new HttpError(400, 'invalid', `"${id}" is not a valid FHIR id`);
  }
  return id;
}

function notAllowed(method: string, path: string, why = ''): HttpError {
  return new HttpError(405, 'not-supported', `${method} ${path} is not supported${why}`, {
    Allow: 'GET, POST, PUT, PATCH, DELETE',
  });
}

/**
 * @param method - HTTP method
 * @param segments - path segments after `/fhir` (decoded)
 * @param query - the query string
 * @throws HttpError 404 for unknown types or paths, 405 for unsupported methods
 */
export function classify(
  method: string,
  segments: readonly string[],
  query: URLSearchParams,
): FhirOperation {
  const path = `/${segments.join('/')}`;
  const [type, second, third, fourth] = segments;
  if (type === undefined) {
    if (method === 'POST') {
      return { kind: 'bundle' };
    }
    throw notAllowed(
      method,
      path,
      ' (system-wide search is not offered; search one resource type)',
    );
  }
  if (type.startsWith('$') || second?.startsWith('$') === true || segments.length > 4) {
    throw new HttpError(404, 'not-supported', `No such operation or path: ${path}`);
  }
  const resourceType = checkType(type);
  if (second === undefined) {
    switch (method) {
      case 'GET':
        return { kind: 'search', resourceType, query };
      case 'POST':
        refuseQuery(method, path, query);
        return { kind: 'create', resourceType };
      default:
        throw notAllowed(method, path, ' (conditional update/delete/patch are not offered)');
    }
  }
  if (second === '_search' && third === undefined) {
    if (method !== 'POST') {
      throw notAllowed(method, path);
    }
    return { kind: 'search', resourceType, query };
  }
  const id = checkId(second);
  if (third === undefined) {
    if (method !== 'GET') {
      refuseQuery(method, path, query);
    }
    switch (method) {
      case 'GET':
        return { kind: 'read', resourceType, id };
      case 'PUT':
        return { kind: 'update', resourceType, id };
      case 'PATCH':
        return { kind: 'patch', resourceType, id };
      case 'DELETE':
        return { kind: 'delete', resourceType, id };
      default:
        throw notAllowed(method, path);
    }
  }
  if (third !== '_history') {
    throw new HttpError(404, 'not-found', `No such path: ${path}`);
  }
  if (method !== 'GET') {
    throw notAllowed(method, path);
  }
  return fourth === undefined
    ? { kind: 'history', resourceType, id }
    : { kind: 'vread', resourceType, id, versionId: checkId(fourth) };
}

/** Splits `/fhir/Observation/1` or a Bundle entry's `Observation/1?x=y` into decoded segments and query. */
export function splitUrl(relative: string): { segments: string[]; query: URLSearchParams } {
  const mark = relative.indexOf('?');
  const path = mark < 0 ? relative : relative.slice(0, mark);
  const search = mark < 0 ? '' : relative.slice(mark + 1);
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw new HttpError(400, 'invalid', `Malformed URL segment "${s}"`);
      }
    });
  return { segments, query: new URLSearchParams(search) };
}
