/**
 * Text lines spilled to disk in hash partitions, so a streaming analysis can put a cohort too large
 * for memory aside and read it back one partition at a time: every line of one key goes to the
 * same partition, in the order written. Files live in a fresh directory under os.tmpdir();
 * {@link PartitionStore.remove} deletes it (call it in a `finally`).
 */
import { createReadStream } from 'node:fs';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { hash53 } from '../domain/outcomes/compactPeg.ts';

/** Input bytes per partition when the count is derived from the input's size. */
const INPUT_BYTES_PER_PARTITION = 8 * 1024 * 1024;
const MIN_PARTITIONS = 16;
const MAX_PARTITIONS = 1024;
/** Text buffered in memory across all partitions before it is appended to their files. */
const TOTAL_BUFFER_CHARS = 16 * 1024 * 1024;

/**
 * Partitions for an input of `inputBytes`: a power of two from 16 to 1024, about one per 8 MB of
 * input, so a partition holds a roughly constant share of patients whatever the input size (up
 * to 8 GB of input; beyond that partitions grow again, slowly).
 */
export function partitionsFor(inputBytes: number): number {
  let partitions = MIN_PARTITIONS;
  while (partitions < MAX_PARTITIONS && partitions * INPUT_BYTES_PER_PARTITION < inputBytes) {
    partitions *= 2;
  }
  return partitions;
}

export class PartitionStore {
  readonly partitions: number;
  private readonly dir: string;
  private readonly buffers: string[][];
  private readonly bufferedChars: number[];
  private readonly written: boolean[];
  private readonly flushAt: number;

  private constructor(dir: string, partitions: number) {
    this.dir = dir;
    this.partitions = partitions;
    this.buffers = Array.from({ length: partitions }, () => []);
    this.bufferedChars = new Array<number>(partitions).fill(0);
    this.written = new Array<boolean>(partitions).fill(false);
    this.flushAt = Math.max(4096, Math.floor(TOTAL_BUFFER_CHARS / partitions));
  }

  /** A new, empty store in its own temp directory. */
  static async create(partitions: number, prefix = 'clbp-spill-'): Promise<PartitionStore> {
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw new Error(`partitions must be a positive integer, not ${String(partitions)}`);
    }
    return new PartitionStore(await mkdtemp(join(tmpdir(), prefix)), partitions);
  }

  /** The directory holding the partition files. */
  get directory(): string {
    return this.dir;
  }

  partitionOf(key: string): number {
    return hash53(key) % this.partitions;
  }

  /** Adds a line (without a newline) for `key`; buffered, appended once its partition's buffer fills. */
  async write(key: string, line: string): Promise<void> {
    const partition = this.partitionOf(key);
    const buffer = this.buffers[partition];
    if (buffer === undefined) {
      return;
    }
    buffer.push(line);
    const chars = (this.bufferedChars[partition] ?? 0) + line.length + 1;
    this.bufferedChars[partition] = chars;
    if (chars >= this.flushAt) {
      await this.flushPartition(partition);
    }
  }

  /** Appends every buffered line to its file. */
  async flush(): Promise<void> {
    for (let partition = 0; partition < this.partitions; partition += 1) {
      await this.flushPartition(partition);
    }
  }

  /** The lines of one partition in the order written (flush first). */
  async *read(partition: number): AsyncGenerator<string> {
    if (this.written[partition] !== true) {
      return;
    }
    const lines = createInterface({
      input: createReadStream(this.fileOf(partition), { encoding: 'utf8' }),
      crlfDelay: Infinity,
    });
    for await (const line of lines) {
      if (line !== '') {
        yield line;
      }
    }
  }

  /** Deletes the directory and everything in it. */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  private async flushPartition(partition: number): Promise<void> {
    const buffer = this.buffers[partition];
    if (buffer === undefined || buffer.length === 0) {
      return;
    }
    const text = `${buffer.join('\n')}\n`;
    this.buffers[partition] = [];
    this.bufferedChars[partition] = 0;
    await appendFile(this.fileOf(partition), text, 'utf8');
    this.written[partition] = true;
  }

  private fileOf(partition: number): string {
    return join(this.dir, `part-${String(partition).padStart(4, '0')}.txt`);
  }
}
