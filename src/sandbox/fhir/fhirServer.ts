/**
 * The sandbox's FHIR R4 server: medplum's FhirRouter over an in-memory repository, behind a small
 * node:http layer that adds CORS; SMART scope enforcement, paging links and fault injection are
 * the service's (fhirService.ts), which in-process tests call without HTTP. The composition
 * (src/sandbox/server.ts) mounts `createFhirHandler` on `/fhir`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import type { Resource as R4Resource } from 'fhir/r4';
import { indexPatientCompartment } from './compartment.ts';
import type { FhirReply, FhirServiceOptions } from './fhirService.ts';
import { createFhirService, errorReply, isFhirPath } from './fhirService.ts';
import { applyCors, HttpError, readBody, sendJson, sendPreflight } from './http.ts';
import { SandboxRepository } from './sandboxRepository.ts';
import { ensureDefinitionsIndexed } from './searchParameters.ts';

export { BulkExports } from './bulkExport.ts';
export { FhirFaults, faultsFromEnv } from './faults.ts';
export type { FailureRule } from './faults.ts';
export { SandboxRepository } from './sandboxRepository.ts';

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

export interface FhirHandlerOptions extends FhirServiceOptions {
  /** App origin(s) allowed by CORS. */
  allowedOrigins: () => readonly string[];
}

function sendReply(res: ServerResponse, reply: FhirReply): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers).end();
  } else {
    sendJson(res, reply.status, reply.body, reply.headers);
  }
}

/** The FHIR service over node:http: CORS, the request's body and headers, dropped connections. */
export function createFhirHandler(
  o: FhirHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const service = createFhirService(o);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (!isFhirPath(url.pathname)) {
      throw new HttpError(404, 'not-found', `Not a FHIR path: ${url.pathname}`);
    }
    const originAllowed = applyCors(req, res, o.allowedOrigins());
    if (method === 'OPTIONS') {
      sendPreflight(req, res, originAllowed);
      return;
    }
    const answer = await service({
      method,
      url: req.url ?? '/',
      header: (name) => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : undefined;
      },
      body: () => readBody(req),
    });
    switch (answer.kind) {
      case 'dropped':
        req.socket.destroy();
        return;
      case 'bulk':
        await o.bulkExports?.handle(
          req,
          res,
          answer.url,
          answer.relative,
          answer.access,
          answer.baseUrl,
        );
        return;
      case 'reply':
        sendReply(res, answer.reply);
    }
  }

  return async (req, res) => {
    try {
      await handle(req, res);
    } catch (err) {
      if (res.headersSent) {
        res.destroy(err instanceof Error ? err : undefined);
        return;
      }
      sendReply(res, errorReply(err));
    }
  };
}
