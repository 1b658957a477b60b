/**
 * The sandbox's FHIR R4 server: medplum's FhirRouter over an in-memory repository, behind a small
 * node:http layer that adds SMART scope enforcement, CORS, paging links and fault injection.
 * The composition (src/sandbox/server.ts) mounts `createFhirHandler` on `/fhir`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { getStatus, normalizeOperationOutcome, OperationOutcomeError } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import type { Resource as R4Resource } from 'fhir/r4';
import type { AccessContext, TokenVerifier } from '../accessContext.ts';
import { accessFrom, authorize } from './access.ts';
import { runBundle } from './bundles.ts';
import { checkUrlCost } from './costLimits.ts';
import { ReadWriteLock } from './readWriteLock.ts';
import { entryOperation } from './entryOperation.ts';
import { BulkExports } from './bulkExport.ts';
import { buildCapabilityStatement } from './capability.ts';
import { indexPatientCompartment } from './compartment.ts';
import type { ExecutionContext, Reply } from './execute.ts';
import { execute } from './execute.ts';
import type { FhirFaults } from './faults.ts';
import {
  applyCors,
  HttpError,
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
  sendPreflight,
} from './http.ts';
import type { FhirOperation } from './operations.ts';
import { classify, splitUrl } from './operations.ts';
import { SandboxRepository } from './sandboxRepository.ts';
import { ensureDefinitionsIndexed } from './searchParameters.ts';

export { BulkExports } from './bulkExport.ts';
export { FhirFaults, faultsFromEnv } from './faults.ts';
export type { FailureRule } from './faults.ts';
export { SandboxRepository } from './sandboxRepository.ts';

const FHIR_BASE_PATH = '/fhir';

/**
 * An empty repository, after indexing the R4 definitions once per process (~0.6 s the first time)
 * and narrowing multi-type search parameters to their type (see searchParameters.ts).
 */
export async function createFhirRepository(): Promise<SandboxRepository> {
  ensureDefinitionsIndexed();
  indexPatientCompartment();
  return Promise.resolve(new SandboxRepository());
}

/**
 * Stores resources with their given ids (and `meta`, if any), skipping profile validation: seed
 * data is trusted and thousands load in a fraction of a second. Throws on a missing or duplicate id.
 */
export async function loadResources(
  repo: MemoryRepository,
  resources: readonly (R4Resource | Resource)[],
): Promise<void> {
  // fhir/r4 and @medplum/fhirtypes describe the same JSON; medplum's union is stricter to name.
  const stored = resources as readonly Resource[];
  if (repo instanceof SandboxRepository) {
    await repo.load(stored);
    return;
  }
  await repo.withSeeding(async () => {
    for (const resource of stored) {
      await repo.createResource(resource);
    }
  });
}

export interface FhirHandlerOptions {
  /** From createFhirRepository(): transactions roll back only in a SandboxRepository. */
  repo: SandboxRepository;
  verifyToken: TokenVerifier;
  /** e.g. 'http://127.0.0.1:8110/fhir' (known only after listen). */
  publicBaseUrl: () => string;
  /** App origin(s) allowed by CORS. */
  allowedOrigins: () => readonly string[];
  /** JSON served at /fhir/.well-known/smart-configuration. */
  smartConfiguration: () => unknown;
  oauthUris: () => { authorize: string; token: string };
  faults: FhirFaults;
  /** Serves $export, its status and file URLs when given. */
  bulkExports?: BulkExports;
}

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

function sendReply(res: ServerResponse, reply: Reply): void {
  if (reply.body) {
    sendJson(res, reply.status, reply.body, reply.headers);
  } else {
    res.writeHead(reply.status, reply.headers).end();
  }
}

function faultCode(status: number): 'throttled' | 'transient' | 'exception' {
  if (status === 429) {
    return 'throttled';
  }
  return status === 503 || status === 504 ? 'transient' : 'exception';
}

/** Reads and parses the request body an operation needs (POST _search takes a form). */
async function requestBody(req: IncomingMessage, op: FhirOperation): Promise<unknown> {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'DELETE') {
    return undefined;
  }
  const text = await readBody(req);
  const contentType = req.headers['content-type'];
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The injected fault for this request, if any (SANDBOX_FAIL_MATCH, SANDBOX_DROP_MATCH …), after the
 * configured latency: a dropped connection, or an HttpError thrown with the fault's status.
 */
async function injectFault(
  req: IncomingMessage,
  faults: FhirFaults,
  method: string,
  url: URL,
): Promise<'dropped' | 'none'> {
  const fault = faults.decide(method, url.pathname + url.search);
  if (faults.latencyMs > 0) {
    await sleep(faults.latencyMs);
  }
  if (fault.kind === 'drop') {
    req.socket.destroy();
    return 'dropped';
  }
  if (fault.kind === 'fail') {
    const retryAfter =
      fault.retryAfterSeconds === undefined
        ? {}
        : { 'Retry-After': String(fault.retryAfterSeconds) };
    const message = `Injected fault: ${method} ${url.pathname} failed with ${fault.status}`;
    throw new HttpError(fault.status, faultCode(fault.status), message, retryAfter);
  }
  return 'none';
}

/** The bearer token's access context, or a 401 naming why the token was refused. */
async function authenticate(
  verifyToken: TokenVerifier,
  req: IncomingMessage,
): Promise<AccessContext> {
  const check = await verifyToken(req.headers.authorization);
  if (!check.ok) {
    const description = check.message.replaceAll('"', "'");
    throw new HttpError(401, 'login', check.message, {
      'WWW-Authenticate': `Bearer realm="fhir", error="invalid_token", error_description="${description}"`,
    });
  }
  return check.context;
}

/** The CapabilityStatement, built again only when the base URL or the unsupported types change. */
function capabilityCache(o: FhirHandlerOptions): (baseUrl: string) => unknown {
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
  req: IncomingMessage,
): Promise<Reply> {
  if (op.kind === 'bundle') {
    return runBundle(ctx, body);
  }
  const entry = entryOperation(op, body, {
    ifMatch: header(req, 'if-match'),
    ifNoneExist: header(req, 'if-none-exist'),
  });
  const permit = await authorize(ctx.access, entry, ctx.repo);
  return execute(ctx, entry, permit, {
    returnMinimal: /return=minimal/.test(req.headers.prefer?.toString() ?? ''),
  });
}

export function createFhirHandler(
  o: FhirHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const router = new FhirRouter();
  // Reads share the repository; a write (a transaction's rollback included) has it alone.
  const lock = new ReadWriteLock();
  const metadata = capabilityCache(o);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (url.pathname !== FHIR_BASE_PATH && !url.pathname.startsWith(`${FHIR_BASE_PATH}/`)) {
      throw new HttpError(404, 'not-found', `Not a FHIR path: ${url.pathname}`);
    }
    const originAllowed = applyCors(req, res, o.allowedOrigins());
    if (method === 'OPTIONS') {
      sendPreflight(req, res, originAllowed);
      return;
    }
    checkUrlCost(req.url ?? '');
    if ((await injectFault(req, o.faults, method, url)) === 'dropped') {
      return;
    }

    const baseUrl = o.publicBaseUrl().replace(/\/$/, '');
    const relative = url.pathname.slice(FHIR_BASE_PATH.length);
    if (method === 'GET' && relative === '/metadata') {
      sendJson(res, 200, metadata(baseUrl));
      return;
    }
    if (method === 'GET' && relative === '/.well-known/smart-configuration') {
      sendJson(res, 200, o.smartConfiguration(), { 'Content-Type': 'application/json' });
      return;
    }

    const token = await authenticate(o.verifyToken, req);
    if (o.bulkExports && BulkExports.handles(relative)) {
      const access = { ...accessFrom(token), clientId: token.clientId };
      await o.bulkExports.handle(req, res, url, relative, access, baseUrl);
      return;
    }
    const { segments, query } = splitUrl(relative + url.search);
    const type = segments[0];
    if (type !== undefined && o.faults.unsupportedTypes.has(type)) {
      throw new HttpError(404, 'not-supported', `Resource type ${type} is not supported`);
    }
    const op = classify(method, segments, query);
    const body = await requestBody(req, op);
    const ctx: ExecutionContext = {
      repo: o.repo,
      router,
      baseUrl,
      access: accessFrom(token),
    };
    const run = (): Promise<Reply> => runOperation(ctx, op, body, req);
    const reads = method === 'GET' || op.kind === 'search';
    const writer = { clientId: token.clientId, origin: header(req, 'origin') };
    const write = () => o.repo.asWriter(writer, run);
    sendReply(res, reads ? await lock.read(run) : await lock.write(write));
  }

  return async (req, res) => {
    try {
      await handle(req, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy(err instanceof Error ? err : undefined);
        return;
      }
      sendError(res, toHttpError(err));
    }
  };
}
