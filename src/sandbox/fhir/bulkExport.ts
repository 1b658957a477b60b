/**
 * FHIR Bulk Data `$export` for the sandbox (Bulk Data Access IG 2.0.0, async request pattern):
 * kick-off at `GET /fhir/Group/<id>/$export` and `GET /fhir/Patient/$export`, a status URL that
 * answers 202 (X-Progress, Retry-After) until the job is done and then 200 with the manifest, NDJSON
 * file URLs that need the same token, and DELETE on the status URL. Jobs and their files live in
 * memory and are dropped on close().
 *
 * What a job exports, per requested type:
 * - Patient compartment types: the resources in the compartment of the exported patients (the
 *   Group's members, or every Patient for Patient-level export);
 * - Medication: the Medications referenced by the exported MedicationStatements/Requests;
 * - Group: the exported Group itself (Group-level) or every Group (Patient-level);
 * - any other type (Questionnaire, Organization…): every resource of the type.
 *
 * Kick-off parameters other than `_type`, `_since` and `_outputFormat` (`_typeFilter`, `_elements`,
 * `patient`, `includeAssociatedData`…) get 400 with an OperationOutcome, as the IG asks of a server
 * that does not support them. With `Prefer: handling=lenient` they are ignored instead and the
 * manifest's `error` array carries an OperationOutcome (severity warning) naming them; `patient`
 * is refused even then (see NEVER_IGNORED).
 *
 * @see https://hl7.org/fhir/uv/bulkdata/STU2/export.html
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { globalSchema } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { Access } from './access.ts';
import type { Job, KickOff } from './bulkExportJob.ts';
import { runJob } from './bulkExportJob.ts';
import { isCompartmentType } from './compartment.ts';
import { HttpError, sendJson } from './http.ts';
import type { SandboxRepository } from './sandboxRepository.ts';
import { grantFor } from './scopes.ts';

const NDJSON = 'application/fhir+ndjson';
const OUTPUT_FORMATS = new Set([NDJSON, 'application/ndjson', 'ndjson']);
const STATUS_PATH = '/bulk-status/';
/** Kick-off parameters this server implements; any other is refused (or ignored if lenient). */
const SUPPORTED_PARAMS = new Set(['_type', '_since', '_outputFormat']);
/**
 * Parameters refused even under `Prefer: handling=lenient`: they narrow whose data is exported,
 * so ignoring them would disclose every patient's data to a client that asked for some.
 */
const NEVER_IGNORED = new Set(['patient']);
const FILE_PATH = '/bulk-files/';

export interface BulkExportOptions {
  readonly repo: SandboxRepository;
  /** Work time per exported type, so that polling is real (SANDBOX_EXPORT_STEP_MS). */
  readonly stepMs: number;
  readonly linesPerFile?: number;
}

/** The export jobs of one sandbox: routing, the jobs' work and their files. */
export class BulkExports {
  readonly #o: BulkExportOptions;
  readonly #jobs = new Map<string, Job>();
  readonly #stop = new AbortController();

  constructor(o: BulkExportOptions) {
    this.#o = o;
  }

  /** Whether the path (relative to /fhir, without the query) is one this class answers. */
  static handles(relative: string): boolean {
    return (
      relative === '/Patient/$export' ||
      /^\/Group\/[^/]+\/\$export$/.test(relative) ||
      relative.startsWith(STATUS_PATH) ||
      relative.startsWith(FILE_PATH)
    );
  }

  /** Answers an authenticated request on one of the paths `handles` accepts. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    relative: string,
    access: Access & { readonly clientId: string },
    baseUrl: string,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (relative.startsWith(STATUS_PATH)) {
      const job = this.#ownJob(relative.slice(STATUS_PATH.length), access.clientId);
      if (method === 'DELETE') {
        this.#jobs.delete(job.id);
        res.writeHead(202).end();
        return;
      }
      assertGet(method);
      this.#sendStatus(res, job, baseUrl);
      return;
    }
    assertGet(method);
    if (relative.startsWith(FILE_PATH)) {
      await this.#sendFile(res, relative.slice(FILE_PATH.length), access.clientId);
      return;
    }
    const kickOff = await this.#parseKickOff(req, url, relative, access);
    const job: Job = {
      id: randomUUID(),
      clientId: access.clientId,
      request: `${baseUrl}${relative}${url.search}`,
      transactionTime: new Date().toISOString(),
      types: kickOff.types,
      done: 0,
      state: 'running',
      files: [],
    };
    this.#jobs.set(job.id, job);
    const settings = { ...this.#o, signal: this.#stop.signal };
    runJob(job, kickOff, settings).catch((err: unknown) => {
      job.state = 'failed';
      job.error = err instanceof Error ? err.message : String(err);
    });
    res.writeHead(202, { 'Content-Location': `${baseUrl}${STATUS_PATH}${job.id}` }).end();
  }

  /** Stops running jobs and drops every job's files. */
  close(): void {
    this.#stop.abort();
    this.#jobs.clear();
  }

  async #parseKickOff(
    req: IncomingMessage,
    url: URL,
    relative: string,
    access: Access,
  ): Promise<KickOff> {
    const prefer = req.headers.prefer?.toString() ?? '';
    if (!/respond-async/.test(prefer)) {
      throw new HttpError(400, 'invalid', '$export needs the header "Prefer: respond-async"');
    }
    const ignored = unsupportedParams(url, /handling\s*=\s*lenient/.test(prefer));
    const format = url.searchParams.get('_outputFormat');
    if (format !== null && !OUTPUT_FORMATS.has(format)) {
      throw new HttpError(
        400,
        'not-supported',
        `_outputFormat ${format} is not supported; use ${NDJSON}`,
      );
    }
    const since = url.searchParams.get('_since') ?? undefined;
    if (since !== undefined && Number.isNaN(Date.parse(since))) {
      throw new HttpError(400, 'invalid', `_since must be a FHIR instant, got "${since}"`);
    }
    const types = await this.#types(url.searchParams.get('_type'));
    const notSystem = access.scopes.every((s) => s.context !== 'system');
    const refused = types.filter(
      (type) => grantFor(access.scopes, { resourceType: type, interaction: 'read' }) === 'denied',
    );
    if (notSystem || refused.length > 0) {
      throw new HttpError(
        403,
        'forbidden',
        notSystem
          ? '$export needs a backend token with system/ scopes'
          : `The granted scopes do not allow reading ${refused.join(', ')}`,
      );
    }
    const group = /^\/Group\/([^/]+)\/\$export$/.exec(relative)?.[1];
    if (group === undefined) {
      return { scope: { kind: 'patients' }, types, since, ignored };
    }
    const groupId = decodeURIComponent(group);
    await this.#o.repo.readResource('Group', groupId).catch(() => {
      throw new HttpError(404, 'not-found', `Group/${groupId} does not exist on this server`);
    });
    return { scope: { kind: 'group', groupId }, types, since, ignored };
  }

  /** `_type`, or every compartment type the server holds, plus the Medications they reference. */
  async #types(raw: string | null): Promise<string[]> {
    if (raw === null || raw.trim() === '') {
      const held: string[] = [];
      for (const type of Object.keys(globalSchema.types)) {
        if ((isCompartmentType(type) || type === 'Medication') && (await this.#count(type)) > 0) {
          held.push(type);
        }
      }
      return held;
    }
    const types = [...new Set(raw.split(',').map((t) => t.trim()))];
    const unknown = types.filter((t) => !/^[A-Z][A-Za-z]+$/.test(t) || !globalSchema.types[t]);
    if (unknown.length > 0) {
      throw new HttpError(
        400,
        'invalid',
        `_type names unknown resource types: ${unknown.join(', ')}`,
      );
    }
    return types;
  }

  #ownJob(id: string, clientId: string): Job {
    const job = this.#jobs.get(id);
    if (job?.clientId !== clientId) {
      throw new HttpError(404, 'not-found', `No export job ${id} (finished jobs are deleted)`);
    }
    return job;
  }

  #sendStatus(res: ServerResponse, job: Job, baseUrl: string): void {
    switch (job.state) {
      case 'running': {
        const percent = Math.round((100 * job.done) / Math.max(1, job.types.length));
        res
          .writeHead(202, {
            'X-Progress': `${percent}% (${job.done} of ${job.types.length} types)`,
            'Retry-After': String(Math.max(1, Math.ceil(this.#o.stepMs / 1000))),
            'Cache-Control': 'no-store',
          })
          .end();
        return;
      }
      case 'failed':
        throw new HttpError(
          500,
          'exception',
          `The export job failed: ${job.error ?? 'unknown error'}`,
        );
      case 'complete':
        sendJson(
          res,
          200,
          {
            transactionTime: job.transactionTime,
            request: job.request,
            requiresAccessToken: true,
            output: manifestFiles(job, baseUrl, false),
            error: manifestFiles(job, baseUrl, true),
          },
          { 'Content-Type': 'application/json' },
        );
    }
  }

  async #sendFile(res: ServerResponse, rest: string, clientId: string): Promise<void> {
    const match = /^([^/]+)\/(\d+)\.ndjson$/.exec(rest);
    const job = match?.[1] === undefined ? undefined : this.#jobs.get(match[1]);
    const file = job?.state === 'complete' ? job.files[Number(match?.[2]) - 1] : undefined;
    if (job?.clientId !== clientId || file === undefined) {
      throw new HttpError(404, 'not-found', `No export file ${rest}`);
    }
    const bytes = file.chunks.reduce((n, c) => n + c.length, 0);
    res.writeHead(200, { 'Content-Type': NDJSON, 'Content-Length': String(bytes) });
    await pipeline(Readable.from(file.chunks), res);
  }

  async #count(type: string): Promise<number> {
    const bundle = await this.#o.repo.search({
      resourceType: type as Resource['resourceType'],
      count: 0,
    });
    return bundle.total ?? 0;
  }
}

/**
 * The kick-off's parameters this server does not implement, which it may ignore (lenient);
 * throws 400 for them otherwise, and for a NEVER_IGNORED one always.
 */
function unsupportedParams(url: URL, lenient: boolean): string[] {
  const names = [...new Set(url.searchParams.keys())].filter((n) => !SUPPORTED_PARAMS.has(n));
  const refused = lenient ? names.filter((n) => NEVER_IGNORED.has(n)) : names;
  if (refused.length > 0) {
    throw new HttpError(
      400,
      'not-supported',
      `$export does not support the parameter${refused.length > 1 ? 's' : ''} ${refused.join(', ')}` +
        (lenient ? '' : ' (send "Prefer: handling=lenient" to have unsupported ones ignored)') +
        `; supported: ${[...SUPPORTED_PARAMS].join(', ')}`,
    );
  }
  return names;
}

function manifestFiles(
  job: Job,
  baseUrl: string,
  errors: boolean,
): { type: string; url: string; count: number }[] {
  return job.files.flatMap((f, i) =>
    (f.error === true) === errors
      ? [{ type: f.type, url: `${baseUrl}${FILE_PATH}${job.id}/${i + 1}.ndjson`, count: f.count }]
      : [],
  );
}

function assertGet(method: string): void {
  if (method !== 'GET') {
    throw new HttpError(405, 'not-supported', `${method} is not supported here`);
  }
}
