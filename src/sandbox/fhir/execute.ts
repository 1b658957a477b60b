/**
 * Runs one permitted FHIR interaction through medplum's FhirRouter and shapes the HTTP reply:
 * status, Location / ETag / Last-Modified, paging links, `fullUrl`s, and the compartment filter of
 * `patient/` scopes on searches, conditional creates and included resources.
 */
import { getStatus, isOk, normalizeOperationOutcome, notFound } from '@medplum/core';
import type { FhirRequest, FhirRouteOptions, FhirRouter, HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { Access, Permit } from './access.ts';
import { maySee, notInCompartment } from './access.ts';
import { compartmentSearchParam, compartmentStanding, shownToPatient } from './compartment.ts';
import { checkSearchCost } from './costLimits.ts';
import type { EntryOperation } from './entryOperation.ts';
import { HttpError } from './http.ts';
import type { ResourceOperation } from './operations.ts';
import { pageRequest, pagingLinks } from './paging.ts';
import type { SandboxRepository } from './sandboxRepository.ts';

export interface Reply {
  readonly status: number;
  readonly body?: Resource;
  readonly headers: Readonly<Record<string, string>>;
}

export interface ExecutionContext {
  readonly repo: SandboxRepository;
  readonly router: FhirRouter;
  readonly baseUrl: string;
  readonly access: Access;
}

interface ExecuteOptions {
  /** `Prefer: return=minimal` drops the body of create/update replies. */
  readonly returnMinimal?: boolean;
  /** In a transaction, the id a create was given before any entry ran (for urn:uuid references). */
  readonly assignedId?: string;
}

const versionTag = (versionId: string): string => `W/"${versionId}"`;

function resourceHeaders(
  baseUrl: string,
  resource: Resource,
  withLocation: boolean,
): Record<string, string> {
  const headers: Record<string, string> = {};
  const versionId = resource.meta?.versionId;
  if (versionId) {
    headers.ETag = versionTag(versionId);
  }
  if (resource.meta?.lastUpdated) {
    headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
  }
  if (withLocation && resource.id) {
    const history = versionId ? `/_history/${versionId}` : '';
    headers.Location = `${baseUrl}/${resource.resourceType}/${resource.id}${history}`;
  }
  return headers;
}

export function confinedQuery(
  query: URLSearchParams,
  resourceType: string,
  patient: string | undefined,
): URLSearchParams {
  const confined = new URLSearchParams(query);
  const restriction =
    patient === undefined ? undefined : compartmentSearchParam(resourceType, patient);
  if (restriction) {
    confined.append(...restriction);
  }
  return confined;
}

function pathOf(op: ResourceOperation): string {
  switch (op.kind) {
    case 'search':
    case 'create':
      return `/${op.resourceType}`;
    case 'read':
    case 'update':
    case 'patch':
    case 'delete':
      return `/${op.resourceType}/${op.id}`;
    case 'history':
      return `/${op.resourceType}/${op.id}/_history`;
    case 'vread':
      return `/${op.resourceType}/${op.id}/_history/${op.versionId}`;
  }
}

const METHODS: Record<ResourceOperation['kind'], HttpMethod> = {
  search: 'GET',
  read: 'GET',
  vread: 'GET',
  history: 'GET',
  create: 'POST',
  update: 'PUT',
  patch: 'PATCH',
  delete: 'DELETE',
};

/** Runs one interaction through medplum's router (its handler for exactly this path and method). */
async function route(
  ctx: ExecutionContext,
  request: Pick<FhirRequest, 'method' | 'url' | 'body'> & { headers?: Record<string, string> },
  options?: FhirRouteOptions,
): Promise<{ outcome: OperationOutcome; resource: Resource | undefined }> {
  const found = ctx.router.find(request.method, request.url);
  if (!found) {
    return { outcome: notFound, resource: undefined };
  }
  const req: FhirRequest = {
    ...request,
    pathname: found.path,
    params: found.params,
    query: found.query ?? {},
  };
  try {
    const [outcome, resource] = await found.handler(req, ctx.repo, ctx.router, options);
    return { outcome, resource };
  } catch (err) {
    return { outcome: normalizeOperationOutcome(err), resource: undefined };
  }
}

function outcomeReply(outcome: OperationOutcome): Reply {
  return { status: getStatus(outcome), body: outcome, headers: {} };
}

/**
 * Under patient/ scopes a search may not test other resources through chained (`subject.name`) or
 * reverse-chained (`_has:`) parameters: the results stay in the compartment, but which of them match
 * would say something about records outside it.
 */
function refuseReachingOut(query: URLSearchParams): void {
  const reaching = [...query.keys()].filter(
    (k) =>
      k.startsWith('_has:') || (k.split(':')[0] ?? '').includes('.') || /:[A-Z][A-Za-z]+\./.test(k),
  );
  if (reaching.length > 0) {
    throw new HttpError(
      403,
      'forbidden',
      `Chained and _has search parameters (${reaching.join(', ')}) are not offered under patient/ scopes: they would test other patients' records`,
    );
  }
}

async function search(
  ctx: ExecutionContext,
  op: Extract<ResourceOperation, { kind: 'search' }>,
  permit: Permit,
): Promise<Reply> {
  checkSearchCost(op.query);
  if (permit.confineTo !== undefined) {
    refuseReachingOut(op.query);
  }
  const page = pageRequest(op.query);
  if (!page.ok) {
    throw new HttpError(400, 'invalid', page.message);
  }
  const query = confinedQuery(op.query, op.resourceType, permit.confineTo);
  query.set('_count', String(page.count));
  const { outcome, resource } = await route(ctx, {
    method: 'GET',
    url: `/${op.resourceType}?${query}`,
    body: undefined,
  });
  if (!isOk(outcome) || resource?.resourceType !== 'Bundle') {
    return outcomeReply(outcome);
  }
  const bundle: Bundle = resource;
  const entries = (bundle.entry ?? [])
    .filter(
      (e) =>
        e.search?.mode !== 'include' ||
        (e.resource !== undefined && maySee(ctx.access, e.resource)),
    )
    .map((e) => (e.resource ? { ...e, resource: shown(e.resource, permit) } : e));
  const total = bundle.total ?? entries.length;
  const reply: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link: pagingLinks(`${ctx.baseUrl}/${op.resourceType}`, op.query, page, total),
    entry: entries.map((e) => ({
      ...(e.resource?.id
        ? { fullUrl: `${ctx.baseUrl}/${e.resource.resourceType}/${e.resource.id}` }
        : {}),
      ...e,
    })),
  };
  return { status: 200, body: reply, headers: {} };
}

/**
 * A resource's history as a `patient/` token may see it: only the versions in the patient's
 * compartment (an earlier version may have been another patient's, before a correction).
 */
function withinCompartment(history: Bundle, patient: string): Bundle {
  const entry = (history.entry ?? []).flatMap((e) =>
    e.resource !== undefined && compartmentStanding(e.resource, patient) !== 'other'
      ? [{ ...e, resource: shownToPatient(e.resource, patient) }]
      : [],
  );
  return { ...history, ...(history.total === undefined ? {} : { total: entry.length }), entry };
}

/** A resource as the permit may see it (a Group without the other patients among its members). */
function shown<T extends Resource>(resource: T, permit: Permit): T {
  return permit.confineTo === undefined ? resource : shownToPatient(resource, permit.confineTo);
}

/**
 * The request medplum's router runs for an interaction: its If-Match, its If-None-Exist confined
 * to the permit's compartment, and the body with the id a transaction assigned beforehand.
 */
function routerRequest(
  entry: EntryOperation,
  permit: Permit,
  assigned: string | undefined,
): { method: HttpMethod; url: string; body: unknown; headers: Record<string, string> } {
  const { op } = entry;
  const headers: Record<string, string> = {};
  if (entry.ifMatch !== undefined) {
    headers['if-match'] = entry.ifMatch;
  }
  if (op.kind === 'create' && entry.ifNoneExist !== undefined) {
    const confined = confinedQuery(
      new URLSearchParams(entry.ifNoneExist),
      op.resourceType,
      permit.confineTo,
    );
    headers['if-none-exist'] = confined.toString();
  }
  const body =
    op.kind === 'patch'
      ? entry.patch
      : assigned !== undefined && entry.resource
        ? { ...entry.resource, id: assigned }
        : entry.resource;
  return { method: METHODS[op.kind], url: pathOf(op), body, headers };
}

/** Executes one authorised interaction: exactly the parsed form that access.ts checked. */
export async function execute(
  ctx: ExecutionContext,
  entry: EntryOperation,
  permit: Permit,
  options: ExecuteOptions = {},
): Promise<Reply> {
  const { op } = entry;
  if (op.kind === 'search') {
    return search(ctx, op, permit);
  }
  // An update of an id that does not exist yet creates it, and answers 201 like a create.
  const createsByUpdate =
    op.kind === 'update' &&
    (await ctx.repo.readResource(op.resourceType, op.id).then(
      () => false,
      () => true,
    ));
  const assigned = op.kind === 'create' ? options.assignedId : undefined;
  const { outcome, resource } = await route(
    ctx,
    routerRequest(entry, permit, assigned),
    assigned === undefined ? undefined : { assignedId: true },
  );
  if (!isOk(outcome)) {
    return outcomeReply(outcome);
  }
  if (
    op.kind === 'history' &&
    resource?.resourceType === 'Bundle' &&
    permit.confineTo !== undefined
  ) {
    const history = withinCompartment(resource, permit.confineTo);
    return { status: getStatus(outcome), body: history, headers: {} };
  }
  if (op.kind === 'vread' && resource && permit.confineTo !== undefined) {
    if (compartmentStanding(resource, permit.confineTo) === 'other') {
      throw notInCompartment(`${op.resourceType}/${op.id}/_history/${op.versionId}`);
    }
  }
  const status = createsByUpdate ? 201 : getStatus(outcome);
  if (!resource || resource.resourceType === 'OperationOutcome' || op.kind === 'delete') {
    return { status, body: resource ?? outcome, headers: {} };
  }
  const isWrite = op.kind === 'create' || op.kind === 'update' || op.kind === 'patch';
  const replyHeaders = resourceHeaders(ctx.baseUrl, resource, isWrite);
  if (isWrite && options.returnMinimal === true) {
    return { status, headers: replyHeaders };
  }
  return { status, body: shown(resource, permit), headers: replyHeaders };
}
