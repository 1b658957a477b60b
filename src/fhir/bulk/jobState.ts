/**
 * The small state file a bulk export keeps in its output directory, so that an interrupted run
 * resumes the same server job and skips files already on disk. Written atomically (temp file,
 * then rename). The name does not end in .json/.ndjson, so readers of the directory's data
 * (`clbp outcomes <dir>`) never take it for data.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestFile } from './events.ts';

export const STATE_FILE = 'bulk-job.state';

export interface JobState {
  readonly version: 1;
  /** The kick-off URL; a re-run with another request starts a new job. */
  readonly request: string;
  readonly statusUrl: string;
  readonly startedAt: string;
  /** Set once the server has answered with the manifest. */
  manifest?: { readonly transactionTime: string; readonly output: readonly ManifestFile[] };
  /** File URL → local file name, for every file fully written. */
  completed: Record<string, string>;
}

function isJobState(value: unknown): value is JobState {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const v = value as Record<string, unknown>;
  return (
    v['version'] === 1 &&
    typeof v['request'] === 'string' &&
    typeof v['statusUrl'] === 'string' &&
    typeof v['completed'] === 'object' &&
    v['completed'] !== null
  );
}

/**
 * The JSON value of a file of the output directory: `absent` when there is no such file,
 * undefined when it is not JSON (the caller names the file in its error).
 */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return ABSENT;
    }
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const ABSENT = Symbol('absent');

/** Writes JSON whole or not at all (a temporary file, then a rename), 0600: it names the export's files. */
async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`, {
    encoding: 'utf8',
    mode: 0o600,
  });
  await rename(`${path}.tmp`, path);
}

/** The state in `dir`, or undefined when there is none; throws on an unreadable one. */
export async function readJobState(dir: string): Promise<JobState | undefined> {
  const path = join(dir, STATE_FILE);
  const value = await readJson(path);
  if (value === ABSENT) {
    return undefined;
  }
  if (!isJobState(value)) {
    throw new Error(`${path} is not a bulk job state file; delete it to start a new export`);
  }
  return value;
}

export async function writeJobState(dir: string, state: JobState): Promise<void> {
  await writeJson(join(dir, STATE_FILE), state);
}

export async function removeJobState(dir: string): Promise<void> {
  await rm(join(dir, STATE_FILE), { force: true });
}

/**
 * What a finished export leaves beside its files (0600, JSON; the name does not end in .json, so
 * readers of the data skip it): the request and the manifest's transactionTime, the time the
 * server says the data stand for, which `clbp outcomes` takes as its as-of day.
 */
export const EXPORT_RECORD_FILE = 'bulk-export.manifest';

export interface ExportRecord {
  readonly version: 1;
  readonly request: string;
  readonly transactionTime: string;
}

export async function writeExportRecord(dir: string, record: ExportRecord): Promise<void> {
  await writeJson(join(dir, EXPORT_RECORD_FILE), record);
}

export async function removeExportRecord(dir: string): Promise<void> {
  await rm(join(dir, EXPORT_RECORD_FILE), { force: true });
}

/**
 * The finished export's transactionTime recorded in `dir`; undefined when `dir` holds no record
 * (or is a file). Throws an Error naming the file when the record is not one.
 */
export async function readExportTransactionTime(dir: string): Promise<string | undefined> {
  const path = join(dir, EXPORT_RECORD_FILE);
  const value = await readJson(path);
  if (value === ABSENT) {
    return undefined;
  }
  const time =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)['transactionTime']
      : undefined;
  if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) {
    throw new Error(`${path} has no transactionTime instant; give --as-of, or delete the file`);
  }
  return time;
}
