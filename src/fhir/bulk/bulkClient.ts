/**
 * A FHIR Bulk Data export client (Bulk Data Access IG 2.0.0): kick-off with
 * `Prefer: respond-async`, status polling that honours Retry-After and reports X-Progress, NDJSON
 * files streamed to disk, resumable through a state file in the output directory, and the job
 * deleted on the server at the end. It reports through events and never prints.
 *
 * @see https://hl7.org/fhir/uv/bulkdata/STU2/export.html
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FhirError } from '../errors.ts';
import type { FhirTransport, TokenSource } from '../transport.ts';
import { COMMAND_LINE_RETRIES, createTransport, retryAfterMs, wait } from '../transport.ts';
import type { Downloaded } from './downloader.ts';
import { downloadFile, fileNames } from './downloader.ts';
import type { BulkEventListener } from './events.ts';
export { ANALYSIS_TYPES, systemScopes } from './manifest.ts';
import type { JobState } from './jobState.ts';
import type { Manifest } from './manifest.ts';
import { parseManifest } from './manifest.ts';
import {
  readJobState,
  removeExportRecord,
  removeJobState,
  writeExportRecord,
  writeJobState,
} from './jobState.ts';

export type ExportLevel =
  { readonly kind: 'group'; readonly groupId: string } | { readonly kind: 'patient' };

export interface BulkExportOptions {
  readonly fhirBase: string;
  readonly level: ExportLevel;
  /** `_type`: the resource types to export. */
  readonly types: readonly string[];
  /** `_since` (a FHIR instant). */
  readonly since?: string;
  readonly outDir: string;
  readonly auth: TokenSource;
  readonly fetch?: typeof fetch;
  readonly onEvent?: BulkEventListener;
  readonly signal?: AbortSignal;
  /** Files downloaded at once (default 3). */
  readonly concurrency?: number;
  readonly maxRetries?: number;
  readonly backoffMs?: number;
  /** Wait between polls when the server sends no Retry-After (default 1000 ms). */
  readonly defaultPollMs?: number;
  /** Per request, until its answer starts (and between two chunks of a file); default 60 s. */
  readonly timeoutMs?: number;
  /** Delete an earlier export's files and state in `outDir` first, instead of resuming. */
  readonly replace?: boolean;
}

/** The transport and what the steps of one export share. */
interface Job {
  readonly http: FhirTransport;
  readonly onEvent: BulkEventListener;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number | undefined;
}

function bulkProblem(message: string): FhirError {
  return new FhirError({ kind: 'malformed', message });
}

interface ExportedFile {
  readonly name: string;
  readonly type: string;
  /** Lines written by this run; undefined when the file was already complete from an earlier run. */
  readonly downloaded?: Downloaded;
}

interface BulkExportResult {
  readonly files: readonly ExportedFile[];
  readonly transactionTime: string;
}

/** The kick-off URL for a level, types and since. */
function kickOffUrl(o: Pick<BulkExportOptions, 'fhirBase' | 'level' | 'types' | 'since'>): string {
  const base = o.fhirBase.replace(/\/$/, '');
  const path =
    o.level.kind === 'group'
      ? `Group/${encodeURIComponent(o.level.groupId)}/$export`
      : 'Patient/$export';
  const params = new URLSearchParams();
  if (o.types.length > 0) {
    params.set('_type', o.types.join(','));
  }
  if (o.since !== undefined) {
    params.set('_since', o.since);
  }
  const query = params.toString();
  return `${base}/${path}${query === '' ? '' : `?${query}`}`;
}

/** The command line's FHIR client for an export: its retries, its events as the export's. */
function exportTransport(o: BulkExportOptions, onEvent: BulkEventListener): FhirTransport {
  return createTransport({
    baseUrl: o.fhirBase,
    auth: o.auth,
    retry: {
      ...COMMAND_LINE_RETRIES,
      ...(o.maxRetries === undefined ? {} : { retries: o.maxRetries }),
      ...(o.backoffMs === undefined ? {} : { backoffMs: o.backoffMs }),
    },
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
    onEvent: (e) => {
      onEvent(
        e.type === 'retry'
          ? {
              type: 'retry',
              what: e.request,
              status: e.status,
              attempt: e.attempt,
              waitMs: e.waitMs,
            }
          : { type: 'token-renewed', reason: 'rejected' },
      );
    },
  });
}

/**
 * The export job and its manifest once it is done: the job an interrupted run left in `outDir`
 * (the same request only), or, when there is none or the server forgot it, a new kick-off.
 */
async function resumeOrKickOff(
  t: Job,
  o: BulkExportOptions,
  request: string,
): Promise<{ state: JobState; manifest: Manifest | undefined }> {
  const found = await readJobState(o.outDir);
  if (found !== undefined && found.request !== request) {
    throw bulkProblem(
      `${o.outDir} holds the state of another export (${found.request}); use another --out or delete its bulk-job.state`,
    );
  }
  if (found !== undefined) {
    t.onEvent({
      type: 'resumed',
      statusUrl: found.statusUrl,
      completedFiles: Object.keys(found.completed).length,
    });
    const manifest = await poll(t, found.statusUrl, o.defaultPollMs);
    if (manifest !== undefined) {
      return { state: found, manifest };
    }
    const removedFiles = await removeExportFiles(o.outDir, found);
    t.onEvent({ type: 'job-gone', statusUrl: found.statusUrl, removedFiles });
  }
  const state = await kickOff(t, request);
  await writeJobState(o.outDir, state);
  return { state, manifest: await poll(t, state.statusUrl, o.defaultPollMs) };
}

/** Runs (or resumes) an export into `outDir`. Throws a FhirError with one readable line. */
export async function runBulkExport(o: BulkExportOptions): Promise<BulkExportResult> {
  const onEvent: BulkEventListener = o.onEvent ?? (() => undefined);
  const started = Date.now();
  const http = exportTransport(o, onEvent);
  const t: Job = { http, onEvent, signal: o.signal, timeoutMs: o.timeoutMs };
  await mkdir(o.outDir, { recursive: true, mode: 0o700 });
  // The record of a finished export is written again when this one finishes.
  await removeExportRecord(o.outDir);
  if (o.replace === true) {
    await removeExportFiles(o.outDir, undefined);
    await removeJobState(o.outDir);
  }
  const request = kickOffUrl(o);
  const { state, manifest } = await resumeOrKickOff(t, o, request);
  if (manifest === undefined) {
    throw bulkProblem(`the export job at ${state.statusUrl} disappeared before it finished`);
  }
  state.manifest = { transactionTime: manifest.transactionTime, output: manifest.output };
  await writeJobState(o.outDir, state);
  onEvent({ type: 'manifest', files: manifest.output, errors: manifest.error.length });

  const files = await downloadAll(t, o, state, manifest);
  await deleteJob(t, state.statusUrl);
  if (!Number.isNaN(Date.parse(manifest.transactionTime))) {
    await writeExportRecord(o.outDir, {
      version: 1,
      request: state.request,
      transactionTime: manifest.transactionTime,
    });
  }
  await removeJobState(o.outDir);
  onEvent({
    type: 'complete',
    outDir: o.outDir,
    files: files.length,
    resources: manifest.output.reduce((n, f) => n + (f.count ?? 0), 0),
    ms: Date.now() - started,
  });
  return { files, transactionTime: manifest.transactionTime };
}

const signalOf = (t: Job): { signal?: AbortSignal } => (t.signal ? { signal: t.signal } : {});

async function kickOff(t: Job, request: string): Promise<JobState> {
  const label = 'export kick-off';
  const response = await t.http.request(request, {
    label,
    headers: { Accept: 'application/fhir+json', Prefer: 'respond-async' },
    ...signalOf(t),
  });
  await response.body?.cancel();
  if (response.status !== 202) {
    throw bulkProblem(`${label} answered HTTP ${response.status}, not 202 Accepted`);
  }
  const location = response.headers.get('content-location');
  if (location === null) {
    throw bulkProblem(`${label} answered 202 without a Content-Location status URL`);
  }
  // The status URL is polled with the token: it must be on the FHIR server.
  const statusUrl = t.http.resolve(
    new URL(location, request).href,
    'fhir-origin',
    'the export status URL',
  );
  t.onEvent({ type: 'kick-off', statusUrl, request });
  return { version: 1, request, statusUrl, startedAt: new Date().toISOString(), completed: {} };
}

/** Polls until the manifest; undefined when the job no longer exists (404 / 410). */
async function poll(
  t: Job,
  statusUrl: string,
  defaultPollMs = 1000,
): Promise<Manifest | undefined> {
  for (;;) {
    const response = await t.http.request(statusUrl, {
      label: 'status poll',
      destination: 'fhir-origin',
      headers: { Accept: 'application/json' },
      accept: [202, 404, 410],
      ...signalOf(t),
    });
    if (response.status === 202) {
      await response.body?.cancel();
      const waitMs =
        retryAfterMs(
          response.headers.get('retry-after'),
          Date.now(),
          COMMAND_LINE_RETRIES.maxWaitMs,
        ) ?? defaultPollMs;
      t.onEvent({
        type: 'progress',
        progress: response.headers.get('x-progress') ?? undefined,
        waitMs,
      });
      await wait(waitMs, t.signal);
      continue;
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    const manifest = parseManifest(await response.json().catch(() => undefined));
    checkFileOrigins(t.http, manifest);
    return manifest;
  }
}

/**
 * The manifest's files are fetched with the token only from the FHIR server (when it says they
 * require the token); one elsewhere that requires it is refused before anything is downloaded.
 */
function checkFileOrigins(http: FhirTransport, manifest: Manifest): void {
  for (const file of [...manifest.output, ...manifest.error]) {
    http.resolve(
      file.url,
      manifest.requiresAccessToken ? 'fhir-origin' : 'anywhere',
      manifest.requiresAccessToken
        ? 'the export manifest (requiresAccessToken: the token goes only to the FHIR server)'
        : 'the export manifest',
    );
  }
}

/** What this client names its data files (downloader.ts fileNames), finished or not. */
const EXPORT_FILE = /^[A-Za-z]+\.\d{3}\.ndjson(\.part)?$/;

/**
 * Deletes a dropped job's files before a new job starts in the same directory, so that it never
 * mixes two exports (the new manifest may have fewer files per type, or other types): the files
 * the state records as complete and every data or error file this client names, with
 * interrupted `.part` ones. Other files are left alone. Returns how many were deleted.
 */
async function removeExportFiles(outDir: string, state: JobState | undefined): Promise<number> {
  const names = new Set([
    ...Object.values(state?.completed ?? {}),
    ...(await exportFilesIn(outDir)),
  ]);
  let removed = 0;
  for (const name of names) {
    if (await exists(join(outDir, name))) {
      await rm(join(outDir, name), { force: true });
      removed += 1;
    }
  }
  return removed;
}

/** The data and error files this client names (finished or `.part`) in `outDir`. */
export async function exportFilesIn(outDir: string): Promise<string[]> {
  const names: string[] = [];
  for (const dir of ['', 'errors']) {
    const listed = await readdir(join(outDir, dir)).catch(() => [] as string[]);
    for (const name of listed.filter((n) => EXPORT_FILE.test(n))) {
      names.push(dir === '' ? name : join(dir, name));
    }
  }
  return names;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function downloadAll(
  t: Job,
  o: BulkExportOptions,
  state: JobState,
  manifest: Manifest,
): Promise<ExportedFile[]> {
  // Error files (OperationOutcomes) go to a subdirectory so that readers of the data skip them.
  const names = [
    ...fileNames(manifest.output),
    ...fileNames(manifest.error).map((n) => join('errors', n)),
  ];
  const all = [...manifest.output, ...manifest.error];
  if (manifest.error.length > 0) {
    await mkdir(join(o.outDir, 'errors'), { recursive: true, mode: 0o700 });
  }
  const results: ExportedFile[] = new Array<ExportedFile>(all.length);
  let saving = Promise.resolve();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < all.length; i = next++) {
      const file = all[i];
      const name = names[i];
      if (file === undefined || name === undefined) {
        continue;
      }
      if (state.completed[file.url] === name && (await exists(join(o.outDir, name)))) {
        t.onEvent({ type: 'download-skipped', file: name });
        results[i] = { name, type: file.type };
        continue;
      }
      t.onEvent({ type: 'download-start', file: name, url: file.url });
      const downloaded = await downloadFile(t.http, file, o.outDir, name, {
        requiresAccessToken: manifest.requiresAccessToken,
        ...(t.timeoutMs === undefined ? {} : { timeoutMs: t.timeoutMs }),
        ...signalOf(t),
      });
      state.completed[file.url] = name;
      saving = saving.then(() => writeJobState(o.outDir, state));
      await saving;
      t.onEvent({ type: 'download-complete', file: name, ...downloaded });
      results[i] = { name, type: file.type, downloaded };
    }
  };
  const concurrency = Math.max(1, Math.min(o.concurrency ?? 3, all.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

async function deleteJob(t: Job, statusUrl: string): Promise<void> {
  try {
    const response = await t.http.request(statusUrl, {
      label: 'job deletion',
      method: 'DELETE',
      destination: 'fhir-origin',
      ...signalOf(t),
    });
    await response.body?.cancel();
    t.onEvent({ type: 'deleted', statusUrl });
  } catch (err) {
    if (t.signal?.aborted) {
      throw err;
    }
    t.onEvent({
      type: 'delete-failed',
      statusUrl,
      message: err instanceof Error ? err.message : String(err),
    });
  }
}
