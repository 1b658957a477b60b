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
import type { ManifestFile } from './events.ts';
import type { Transport } from './http.ts';
import { authorizedRequest, BulkError, describeFailure } from './http.ts';

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

/**
 * Streams `file.url` to `dir/name` (via `name.part`).
 * @param requiresAccessToken - the manifest's flag: send the bearer token only when it is true
 */
export async function downloadFile(
  t: Transport,
  file: ManifestFile,
  dir: string,
  name: string,
  requiresAccessToken: boolean,
): Promise<Downloaded> {
  const init: RequestInit = { headers: { Accept: 'application/fhir+ndjson' } };
  const response = requiresAccessToken
    ? await authorizedRequest(t, file.url, init, `download of ${name}`)
    : await t.fetch(file.url, { ...init, ...(t.signal ? { signal: t.signal } : {}) });
  if (!response.ok || response.body === null) {
    throw await describeFailure(response, `download of ${name}`);
  }
  const final = join(dir, name);
  const part = `${final}.part`;
  let bytes = 0;
  let lines = 0;
  let last = NEWLINE;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
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
  try {
    await pipeline(
      Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
      counter,
      createWriteStream(part),
      ...(t.signal ? [{ signal: t.signal }] : []),
    );
  } catch (err) {
    await rm(part, { force: true });
    if (t.signal?.aborted) {
      throw err;
    }
    throw new BulkError(
      `download of ${name} broke off: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  await rename(part, final);
  return { bytes, lines: last === NEWLINE ? lines : lines + 1 };
}
