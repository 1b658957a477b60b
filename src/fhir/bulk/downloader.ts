/**
 * Downloads one NDJSON file of a bulk export straight to disk: streamed (never held in memory),
 * written to `<name>.part` and renamed only when complete, so a file with its final name is always
 * whole and an interrupted download leaves nothing that looks finished.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { FhirError } from '../errors.ts';
import type { FhirTransport } from '../transport.ts';
import type { ManifestFile } from './events.ts';

export interface Downloaded {
  readonly bytes: number;
  readonly lines: number;
}

const NEWLINE = 0x0a;

/** Local names for the manifest's files: `<Type>.<nnn>.ndjson`, numbered per type. */
export function fileNames(files: readonly ManifestFile[]): string[] {
  const perType = new Map<string, number>();
  return files.map((f) => {
    const n = (perType.get(f.type) ?? 0) + 1;
    perType.set(f.type, n);
    const type = /^[A-Za-z]+$/.test(f.type) ? f.type : 'Resource';
    return `${type}.${String(n).padStart(3, '0')}.ndjson`;
  });
}

interface DownloadOptions {
  /** The manifest's flag: the token is sent (to the FHIR server only) when it is true. */
  readonly requiresAccessToken: boolean;
  /** Longest wait for the answer to start, and between two chunks of it; default 60 s. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_IDLE_MS = 60_000;

/** Streams `file.url` to `dir/name` (via `name.part`). */
export async function downloadFile(
  http: FhirTransport,
  file: ManifestFile,
  dir: string,
  name: string,
  o: DownloadOptions,
): Promise<Downloaded> {
  const label = `download of ${name}`;
  const idleMs = o.timeoutMs ?? DEFAULT_IDLE_MS;
  const stalled = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stalled.signal]) : stalled.signal;
  const response = await http.request(file.url, {
    label,
    destination: o.requiresAccessToken ? 'fhir-origin' : 'anywhere',
    headers: { Accept: 'application/fhir+ndjson' },
    timeoutMs: idleMs,
    signal,
  });
  if (response.body === null) {
    throw new FhirError({
      kind: 'malformed',
      request: label,
      message: `${label}: the answer has no body`,
    });
  }
  const final = join(dir, name);
  const part = `${final}.part`;
  const counter = countingWatchdog(idleMs, () => {
    stalled.abort();
  });
  try {
    await pipeline(
      Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
      counter.stream,
      createWriteStream(part, { mode: 0o600 }),
      { signal },
    );
  } catch (err) {
    await rm(part, { force: true });
    if (o.signal?.aborted) {
      throw err;
    }
    throw stalled.signal.aborted
      ? new FhirError({
          kind: 'timeout',
          request: label,
          message: `${label} stalled: no data for ${Math.round(idleMs / 1000)} s`,
        })
      : new FhirError({
          kind: 'network',
          request: label,
          message: `${label} broke off: ${err instanceof Error ? err.message : String(err)}`,
          cause: err,
        });
  } finally {
    counter.stop();
  }
  await rename(part, final);
  return counter.counted();
}

/**
 * Passes the bytes on, counting them and their NDJSON lines (a last line without its newline
 * counts), and calls `stall` when no chunk came for `idleMs`.
 */
function countingWatchdog(idleMs: number, stall: () => void) {
  let bytes = 0;
  let lines = 0;
  let last = NEWLINE;
  let idle = setTimeout(stall, idleMs);
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      clearTimeout(idle);
      idle = setTimeout(stall, idleMs);
      bytes += chunk.length;
      for (const byte of chunk) {
        if (byte === NEWLINE) {
          lines += 1;
        }
      }
      last = chunk.at(-1) ?? last;
      done(null, chunk);
    },
  });
  return {
    stream,
    stop: () => {
      clearTimeout(idle);
    },
    counted: (): Downloaded => ({ bytes, lines: last === NEWLINE ? lines : lines + 1 }),
  };
}
