/**
 * The sandbox's FHIR server without its wire: one request (method, path, headers, body) in, one
 * answer out. The node:http layer (fhirServer.ts) and in-process tests, which hand the app's
 * transport a fetch that calls this directly, share it, so both see the same scopes, faults,
 * transactions and errors.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { getStatus, normalizeOperationOutcome, OperationOutcomeError } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { AccessContext, TokenVerifier } from '../accessContext.ts';
import type { Access } from './access.ts';
import { accessFrom, authorize } from './access.ts';
import { runBundle } from './bundles.ts';
import { BulkExports } from './bulkExport.ts';
import { buildCapabilityStatement } from './capability.ts';
import { checkUrlCost } from './costLimits.ts';
import { entryOperation } from './entryOperation.ts';
import type { ExecutionContext, Reply } from './execute.ts';
import { execute } from './execute.ts';
import type { FhirFaults } from './faults.ts';
import { HttpError, operationOutcome, parseJsonBody } from './http.ts';
import type { FhirOperation } from './operations.ts';
import { classify, splitUrl } from './operations.ts';
import { ReadWriteLock } from './readWriteLock.ts';
import type { SandboxRepository } from './sandboxRepository.ts';

const FHIR_BASE_PATH = '/fhir';

export interface FhirServiceOptions {
  /** From createFhirRepository(): transactions roll back only in a SandboxRepository. */
  repo: SandboxRepository;
  verifyToken: TokenVerifier;
  /** e.g. 'http://127.0.0.1:8110/fhir' (known only after listen). */
  publicBaseUrl: () => string;
  /** JSON served at /fhir/.well-known/smart-configuration. */
  smartConfiguration: () => unknown;
  oauthUris: () => { authorize: string; token: string };
  faults: FhirFaults;
  /** Bulk export paths are handed back to the caller (answer kind 'bulk') when given. */
  bulkExports?: BulkExports;
}

/** One FHIR request as it arrived, whatever carried it. */
export interface FhirHttpRequest {
  readonly method: string;
  /** Path and query, e.g. `/fhir/Observation?patient=p1`. */
  readonly url: string;
  /** A request header by its lower-case name. */
  header(name: string): string | undefined;
  /** The body as text (read once, only for methods that carry one). */
  body(): Promise<string>;
}

/** A status, headers and a JSON body (none for 204 and `return=minimal`). */
export interface FhirReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export type FhirAnswer =
  | { readonly kind: 'reply'; readonly reply: FhirReply }
  /** An injected network failure: the carrier drops the connection. */
  | { readonly kind: 'dropped' }
  /** A Bulk Data path, authenticated; the node:http layer streams it. */
  | {
      readonly kind: 'bulk';
      readonly url: URL;
      readonly relative: string;
      readonly access: Access & { readonly clientId: string };
      readonly baseUrl: string;
    };

/** Whether a path belongs to the FHIR server. */
export const isFhirPath = (pathname: string): boolean =>
  pathname === FHIR_BASE_PATH || pathname.startsWith(`${FHIR_BASE_PATH}/`);

/** Any failure as the HttpError it is answered with (medplum's outcomes keep their status). */
function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) {
    return err;
  }
  const outcome = normalizeOperationOutcome(err);
  const status = err instanceof OperationOutcomeError ? getStatus(outcome) : 500;
  const issue = outcome.issue[0];
  const message =
    issue?.details?.text ??
    issue?.diagnostics ??
    (err instanceof Error ? err.message : String(err));
  return new HttpError(status >= 400 ? status : 500, issue?.code ?? 'exception', message);
}

/** The reply that says what went wrong, as an OperationOutcome. */
export function errorReply(err: unknown): FhirReply {
  const error = toHttpError(err);
  return {
    status: error.status,
    body: operationOutcome(error.code, error.message),
    headers: error.headers,
  };
}

function faultCode(status: number): 'throttled' | 'transient' | 'exception' {
  if (status === 429) {
    return 'throttled';
  }
  return status === 503 || status === 504 ? 'transient' : 'exception';
}

/** Reads and parses the request body an operation needs (POST _search takes a form). */
async function requestBody(request: FhirHttpRequest, op: FhirOperation): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'DELETE') {
    return undefined;
  }
  const text = await request.body();
  const contentType = request.header('content-type');
  if (op.kind === 'search') {
    if (!(contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
      throw new HttpError(
        415,
        'not-supported',
        'POST _search expects application/x-www-form-urlencoded',
      );
    }
    for (const [key, value] of new URLSearchParams(text)) {
      op.query.append(key, value);
    }
    return undefined;
  }
  return parseJsonBody(text, contentType);
}

/**
 * The injected fault for this request, if any (SANDBOX_FAIL_MATCH, SANDBOX_DROP_MATCH …), after the
 * configured latency: a dropped connection, or an HttpError thrown with the fault's status.
 */
async function injectFault(faults: FhirFaults, method: string, url: URL): Promise<'drop' | 'pass'> {
  const fault = faults.decide(method, url.pathname + url.search);
  if (faults.latencyMs > 0) {
    await sleep(faults.latencyMs);
  }
  if (fault.kind === 'fail') {
    const retryAfter =
      fault.retryAfterSeconds === undefined
        ? {}
        : { 'Retry-After': String(fault.retryAfterSeconds) };
    const message = `Injected fault: ${method} ${url.pathname} failed with ${fault.status}`;
    throw new HttpError(fault.status, faultCode(fault.status), message, retryAfter);
  }
  return fault.kind;
}

/** The bearer token's access context, or a 401 naming why the token was refused. */
async function authenticate(
  verifyToken: TokenVerifier,
  authorization: string | undefined,
): Promise<AccessContext> {
  const check = await verifyToken(authorization);
  if (!check.ok) {
    const description = check.message.replaceAll('"', "'");
    throw new HttpError(401, 'login', check.message, {
      'WWW-Authenticate': `Bearer realm="fhir", error="invalid_token", error_description="${description}"`,
    });
  }
  return check.context;
}

/** The CapabilityStatement, built again only when the base URL or the unsupported types change. */
function capabilityCache(o: FhirServiceOptions): (baseUrl: string) => unknown {
  let cached:
    { readonly baseUrl: string; readonly unsupported: string; readonly body: unknown } | undefined;
  return (baseUrl) => {
    const unsupported = [...o.faults.unsupportedTypes].sort().join(',');
    if (cached?.baseUrl !== baseUrl || cached.unsupported !== unsupported) {
      const body = buildCapabilityStatement({
        baseUrl,
        oauthUris: o.oauthUris(),
        date: new Date().toISOString(),
        unsupported: o.faults.unsupportedTypes,
      });
      cached = { baseUrl, unsupported, body };
    }
    return cached.body;
  };
}

/** One REST interaction or a whole batch/transaction, authorised against the token's scopes. */
async function runOperation(
  ctx: ExecutionContext,
  op: FhirOperation,
  body: unknown,
  request: FhirHttpRequest,
): Promise<Reply> {
  if (op.kind === 'bundle') {
    return runBundle(ctx, body);
  }
  const entry = entryOperation(op, body, {
    ifMatch: request.header('if-match'),
    ifNoneExist: request.header('if-none-exist'),
  });
  const permit = await authorize(ctx.access, entry, ctx.repo);
  return execute(ctx, entry, permit, {
    returnMinimal: /return=minimal/.test(request.header('prefer') ?? ''),
  });
}

/** A REST interaction or a bundle, run under the lock (a write as the token's writer). */
async function interact(
  o: FhirServiceOptions,
  lock: ReadWriteLock,
  ctx: ExecutionContext,
  request: FhirHttpRequest,
  pathAndQuery: string,
  token: AccessContext,
): Promise<FhirReply> {
  const { segments, query } = splitUrl(pathAndQuery);
  const type = segments[0];
  if (type !== undefined && o.faults.unsupportedTypes.has(type)) {
    throw new HttpError(404, 'not-supported', `Resource type ${type} is not supported`);
  }
  const op = classify(request.method, segments, query);
  const body = await requestBody(request, op);
  const run = (): Promise<Reply> => runOperation(ctx, op, body, request);
  if (request.method === 'GET' || op.kind === 'search') {
    return lock.read(run);
  }
  const writer = { clientId: token.clientId, origin: request.header('origin') };
  return lock.write(() => o.repo.asWriter(writer, run));
}

const reply = (r: FhirReply): FhirAnswer => ({ kind: 'reply', reply: r });

/** The FHIR server's answer to each request; failures are answered as OperationOutcomes. */
export function createFhirService(
  o: FhirServiceOptions,
): (request: FhirHttpRequest) => Promise<FhirAnswer> {
  const router = new FhirRouter();
  // Reads share the repository; a write (a transaction's rollback included) has it alone.
  const lock = new ReadWriteLock();
  const metadata = capabilityCache(o);

  async function answer(request: FhirHttpRequest): Promise<FhirAnswer> {
    const url = new URL(request.url, 'http://sandbox.invalid');
    if (!isFhirPath(url.pathname)) {
      throw new HttpError(404, 'not-found', `Not a FHIR path: ${url.pathname}`);
    }
    checkUrlCost(request.url);
    if ((await injectFault(o.faults, request.method, url)) === 'drop') {
      return { kind: 'dropped' };
    }
    const baseUrl = o.publicBaseUrl().replace(/\/$/, '');
    const relative = url.pathname.slice(FHIR_BASE_PATH.length);
    if (request.method === 'GET' && relative === '/metadata') {
      return reply({ status: 200, body: metadata(baseUrl), headers: {} });
    }
    if (request.method === 'GET' && relative === '/.well-known/smart-configuration') {
      const headers = { 'Content-Type': 'application/json' };
      return reply({ status: 200, body: o.smartConfiguration(), headers });
    }
    const token = await authenticate(o.verifyToken, request.header('authorization'));
    if (o.bulkExports && BulkExports.handles(relative)) {
      const access = { ...accessFrom(token), clientId: token.clientId };
      return { kind: 'bulk', url, relative, access, baseUrl };
    }
    const ctx: ExecutionContext = { repo: o.repo, router, baseUrl, access: accessFrom(token) };
    return reply(await interact(o, lock, ctx, request, relative + url.search, token));
  }

  return async (request) => {
    try {
      const method = request.method.toUpperCase();
      return await answer({
        method,
        url: request.url,
        header: (name) => request.header(name),
        body: () => request.body(),
      });
    } catch (err) {
      return reply(errorReply(err));
    }
  };
}
