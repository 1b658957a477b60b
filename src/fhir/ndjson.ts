/**
 * Streaming readers for FHIR bulk data: NDJSON files (one resource a line, as written by
 * $export) and Bundle JSON files (entries yielded one by one by a small JSON scanner). Neither
 * ever holds a whole file: memory is bounded by the largest single resource.
 * Bad lines are yielded as `malformed` items with file and line so the caller can report them and
 * carry on. What cannot be read at all (a missing or unreadable file, a line or entry longer than
 * MAX_RECORD_BYTES, which no single resource is) throws an InputError naming the file and line:
 * commands answer it with exit 2 and that one line.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Longest line (or Bundle entry) read: no FHIR resource is this large; binary data often is. */
export const MAX_RECORD_BYTES = 32 * 1024 * 1024;

/** Input that cannot be read: one line for the user, naming the file (and line). */
export class InputError extends Error {
  override readonly name = 'InputError';
}

function systemReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** Throws an InputError unless every file can be opened for reading. */
export async function assertReadable(files: readonly string[]): Promise<void> {
  for (const file of files) {
    try {
      const handle = await open(file, 'r');
      try {
        await handle.read(Buffer.alloc(1), 0, 1, 0);
      } finally {
        await handle.close();
      }
    } catch (error) {
      throw new InputError(`${file}: cannot read (${systemReason(error)})`);
    }
  }
}

export type StreamItem =
  | { kind: 'resource'; resource: FhirLike; file: string; line: number }
  | { kind: 'malformed'; file: string; line: number; message: string };

/** A parsed JSON object that says it is a FHIR resource; everything else about it is unverified. */
export type FhirLike = { resourceType: string } & Record<string, unknown>;

export interface ReadOptions {
  /**
   * Cheap text test run before JSON.parse; lines (or Bundle entries) it rejects are skipped
   * unparsed. Used for a quick pre-pass that only wants a few resource types.
   */
  readonly prefilter?: (text: string) => boolean;
}

const NDJSON_SUFFIXES = ['.ndjson', '.jsonl'];
const BUNDLE_SUFFIX = '.json';

/**
 * The files an input names: a directory gives its *.ndjson, *.jsonl and *.json files (sorted, not
 * recursive); a file gives itself. Throws an Error with a readable message when the input does not
 * exist or a directory holds no such file.
 */
export async function listInputFiles(input: string): Promise<string[]> {
  const info = await stat(input).catch(() => undefined);
  if (info === undefined) {
    throw new InputError(`${input}: no such file or directory`);
  }
  if (!info.isDirectory()) {
    return [input];
  }
  const names = (await readdir(input))
    .filter((name) => isNdjson(name) || name.endsWith(BUNDLE_SUFFIX))
    .sort();
  if (names.length === 0) {
    throw new InputError(`${input}: no .ndjson, .jsonl or .json files in this directory`);
  }
  return names.map((name) => join(input, name));
}

/** Every resource of every file, in file order; NDJSON by suffix, anything else read as a Bundle. */
export async function* readResources(
  files: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<StreamItem> {
  for (const file of files) {
    yield* isNdjson(file) ? readNdjson(file, options) : readBundle(file, options);
  }
}

/**
 * A byte range of an NDJSON file: the lines that start in [start, end), so a file cut at any
 * byte offsets is read whole, each line once (two threads can share one large file).
 */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** Lines read from one file (or range), blank ones included: where the next range's lines start. */
export interface LineCounter {
  lines: number;
}

/** A line too long to be one resource, by the file offset where it starts. */
class LineTooLong extends Error {
  readonly lineStart: number;

  constructor(lineStart: number) {
    super('line too long');
    this.lineStart = lineStart;
  }
}

/**
 * Cuts a file's bytes, chunk by chunk, into lines of UTF-8 text without their line ends, each
 * with the file offset where it starts. Started inside the file (`skipFirst`), it drops the
 * bytes up to the first line end: that line belongs to the range before.
 */
class LineCutter {
  private readonly decoder = new TextDecoder();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** File offset of the next chunk's first byte, and of the line being read. */
  private position: number;
  lineStart: number;
  private skipping: boolean;

  constructor(from: number, skipFirst: boolean) {
    this.position = from;
    this.lineStart = from;
    this.skipping = skipFirst;
  }

  *push(bytes: Buffer): Generator<{ text: string; start: number }> {
    let start = 0;
    if (this.skipping) {
      const newline = bytes.indexOf(10);
      start = newline < 0 ? bytes.length : newline + 1;
      this.skipping = newline < 0;
      this.lineStart = this.position + start;
    }
    for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
      if (this.pendingBytes + end - start > MAX_RECORD_BYTES) {
        throw new LineTooLong(this.lineStart);
      }
      const piece = bytes.subarray(start, end);
      const text = this.decoder.decode(
        this.pendingBytes === 0 ? piece : Buffer.concat([...this.pending, piece]),
      );
      this.pending = [];
      this.pendingBytes = 0;
      yield { text: text.endsWith('\r') ? text.slice(0, -1) : text, start: this.lineStart };
      start = end + 1;
      this.lineStart = this.position + start;
    }
    if (start < bytes.length) {
      this.pending.push(bytes.subarray(start));
      this.pendingBytes += bytes.length - start;
      if (this.pendingBytes > MAX_RECORD_BYTES) {
        throw new LineTooLong(this.lineStart);
      }
    }
    this.position += bytes.length;
  }

  /** The last line, when the file does not end with a line end. */
  finish(): { text: string; start: number } | undefined {
    return this.pendingBytes === 0 || this.skipping
      ? undefined
      : { text: this.decoder.decode(Buffer.concat(this.pending)), start: this.lineStart };
  }
}

/**
 * The lines of a file (or of the lines starting in `range`) as UTF-8 text, without their line
 * ends, streamed: never more than one line (at most MAX_RECORD_BYTES) in memory.
 */
async function* linesOf(
  file: string,
  range: ByteRange | undefined,
  counter: LineCounter,
): AsyncGenerator<string> {
  // From the byte before the range: the line that byte ends (or is in) belongs to the range before.
  const cut = range !== undefined && range.start > 0;
  const from = cut ? range.start - 1 : 0;
  const cutter = new LineCutter(from, cut);
  const inRange = (line: { start: number }): boolean =>
    range === undefined || line.start < range.end;
  const where = (lineStart: number): string =>
    cut ? `${file} (the line at byte ${lineStart})` : `${file}:${counter.lines + 1}`;
  try {
    for await (const chunk of createReadStream(file, { start: from, highWaterMark: 1 << 16 })) {
      for (const line of cutter.push(chunk as Buffer)) {
        if (!inRange(line)) {
          return;
        }
        counter.lines += 1;
        yield line.text;
      }
    }
  } catch (error) {
    if (error instanceof LineTooLong) {
      throw new InputError(
        `${where(error.lineStart)}: a line longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB (is this one FHIR resource per line?)`,
      );
    }
    throw error instanceof InputError
      ? error
      : new InputError(
          `${counter.lines === 0 && !cut ? file : where(cutter.lineStart)}: cannot read (${systemReason(error)})`,
        );
  }
  const last = cutter.finish();
  if (last !== undefined && inRange(last)) {
    counter.lines += 1;
    yield last.text;
  }
}

/**
 * One resource per non-blank line, streamed (of the lines starting in `range`, when given; their
 * line numbers then count from the range's first line); throws an InputError for what cannot be
 * read. `counter` counts the lines read.
 */
export async function* readNdjson(
  file: string,
  options: ReadOptions = {},
  range?: ByteRange,
  counter: LineCounter = { lines: 0 },
): AsyncGenerator<StreamItem> {
  for await (const text of linesOf(file, range, counter)) {
    if (text.trim() === '' || (options.prefilter !== undefined && !options.prefilter(text))) {
      continue;
    }
    yield parseResource(text, file, counter.lines);
  }
}

/**
 * The resources of a Bundle's top-level `entry` array, one entry at a time. The scanner tracks
 * strings and nesting only; each entry's text is handed to JSON.parse on its own, so one bad
 * entry is reported (with the line it starts on) and the others still read.
 */
export async function* readBundle(
  file: string,
  options: ReadOptions = {},
): AsyncGenerator<StreamItem> {
  const scanner = new BundleScanner(file);
  const chunks = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  for await (const chunk of guarded(chunks, file)) {
    for (const entry of scanner.push(chunk)) {
      if (options.prefilter !== undefined && !options.prefilter(entry.text)) {
        continue;
      }
      yield fromEntry(entry.text, file, entry.line);
    }
  }
  for (const problem of scanner.finish()) {
    yield { kind: 'malformed', file, line: problem.line, message: problem.message };
  }
}

export /** A file's chunks, with a read failure as an InputError naming the file. */
async function* guarded(chunks: AsyncIterable<unknown>, file: string): AsyncGenerator<string> {
  try {
    for await (const chunk of chunks) {
      yield chunk as string;
    }
  } catch (error) {
    throw new InputError(`${file}: cannot read (${systemReason(error)})`);
  }
}

/**
 * The resources of Bundle files written as one NDJSON file `out` (0600: patient data), for readers
 * that take NDJSON only (the analytic engine); each broken entry goes to `onMalformed`.
 */
export async function bundlesAsNdjson(
  bundles: readonly string[],
  out: string,
  onMalformed: (item: Extract<StreamItem, { kind: 'malformed' }>) => void,
): Promise<string> {
  const stream = createWriteStream(out, { mode: 0o600 });
  for await (const item of readResources(bundles)) {
    if (item.kind === 'malformed') {
      onMalformed(item);
    } else if (!stream.write(`${JSON.stringify(item.resource)}\n`)) {
      await once(stream, 'drain');
    }
  }
  stream.end();
  await once(stream, 'finish');
  return out;
}

export function isNdjson(name: string): boolean {
  return NDJSON_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

function parseResource(text: string, file: string, line: number): StreamItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'malformed',
      file,
      line,
      message: `invalid JSON (${error instanceof Error ? error.message : 'parse error'})`,
    };
  }
  return isFhirLike(value)
    ? { kind: 'resource', resource: value, file, line }
    : { kind: 'malformed', file, line, message: 'not a FHIR resource (no resourceType)' };
}

function fromEntry(text: string, file: string, line: number): StreamItem {
  let entry: unknown;
  try {
    entry = JSON.parse(text);
  } catch (error) {
    return {
      kind: 'malformed',
      file,
      line,
      message: `invalid Bundle entry (${error instanceof Error ? error.message : 'parse error'})`,
    };
  }
  const resource =
    typeof entry === 'object' && entry !== null
      ? (entry as Record<string, unknown>).resource
      : undefined;
  return isFhirLike(resource)
    ? { kind: 'resource', resource, file, line }
    : { kind: 'malformed', file, line, message: 'Bundle entry without a resource' };
}

function isFhirLike(value: unknown): value is FhirLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as Record<string, unknown>).resourceType === 'string'
  );
}

interface ScannedEntry {
  readonly text: string;
  readonly line: number;
}

/** Incremental scanner that cuts the elements of a top-level `"entry": [ … ]` out of a JSON text. */
class BundleScanner {
  private readonly file: string;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private line = 1;
  private stringStart = -1;
  private stringBuffer = '';
  private lastString: string | undefined;
  private key: string | undefined;
  private inEntryArray = false;
  private capture: { buffer: string; line: number } | undefined;
  private expectValue = false;
  private topLevelType: string | undefined;

  constructor(file: string) {
    this.file = file;
  }

  *push(chunk: string): Generator<ScannedEntry> {
    let captureFrom = 0;
    for (let i = 0; i < chunk.length; i += 1) {
      const ch = chunk.charCodeAt(i);
      if (ch === 10) {
        this.line += 1;
      }
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
        } else if (ch === 92 /* \ */) {
          this.escaped = true;
        } else if (ch === 34 /* " */) {
          this.inString = false;
          if (this.depth === 1) {
            this.endTopLevelString(this.stringBuffer + chunk.slice(this.stringStart, i));
          }
        }
        continue;
      }
      switch (ch) {
        case 34:
          this.inString = true;
          this.stringStart = i + 1;
          this.stringBuffer = '';
          break;
        case 58 /* : */:
          if (this.depth === 1) {
            this.key = this.lastString;
            this.expectValue = true;
          }
          break;
        case 123 /* { */:
        case 91 /* [ */:
          this.expectValue = false;
          if (this.depth === 1 && ch === 91 && this.key === 'entry') {
            this.inEntryArray = true;
          } else if (this.depth === 2 && this.inEntryArray && ch === 123) {
            this.capture = { buffer: '', line: this.line };
            captureFrom = i;
          }
          this.depth += 1;
          break;
        case 125 /* } */:
        case 93 /* ] */:
          this.depth -= 1;
          if (this.depth === 2 && this.capture !== undefined && ch === 125) {
            const text = this.capture.buffer + chunk.slice(captureFrom, i + 1);
            const line = this.capture.line;
            this.capture = undefined;
            yield { text, line };
          } else if (this.depth === 1) {
            this.inEntryArray = false;
          }
          break;
        default:
          break;
      }
    }
    if (this.inString && this.depth === 1) {
      this.stringBuffer += chunk.slice(this.stringStart);
      this.stringStart = 0;
    }
    if (this.capture !== undefined) {
      this.capture.buffer += chunk.slice(captureFrom);
      if (this.capture.buffer.length > MAX_RECORD_BYTES) {
        throw new InputError(
          `${this.file}:${this.capture.line}: a Bundle entry longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB`,
        );
      }
    }
  }

  finish(): { line: number; message: string }[] {
    if (this.depth !== 0 || this.inString) {
      return [{ line: this.line, message: 'truncated JSON: the Bundle does not close' }];
    }
    return this.topLevelType === 'Bundle'
      ? []
      : [
          {
            line: 1,
            message: `not a Bundle (resourceType ${this.topLevelType ?? 'missing'}); a .json input must be a Bundle`,
          },
        ];
  }

  private endTopLevelString(text: string): void {
    if (this.expectValue) {
      this.expectValue = false;
      if (this.key === 'resourceType') {
        this.topLevelType = text;
      }
    } else {
      this.lastString = text;
    }
  }
}
