/**
 * The outcome analysis's one pass over the input: every resource is parsed once, by the streaming
 * NDJSON/Bundle reader, and turned into its patient's records by the domain
 * (domain/outcomes/patientRecord.ts) straight away, so nothing larger than a record waits for
 * the patient's other resources. The records go to a tab-separated file per part (patient key as
 * a JSON string, the record as JSON), which DuckDB reads in parallel.
 *
 * Questionnaires and Medications, which the readers of responses and medication records need, are
 * read first: from the files a bulk export names after them, and from any file not named after
 * one resource type (a Bundle, a mixed NDJSON), in a quick pre-pass that parses only the lines
 * that may hold one. Large inputs are read in two worker threads (recordWorker.ts), each given
 * half the input's bytes in the input's order (an NDJSON file across the middle is cut there, at a
 * byte; each thread reads the lines that start in its range), so parsing, the dominant cost, uses
 * both cores even when one file holds most of the export.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EvidenceCounts } from '../../domain/outcomes/patientEvidence.ts';
import { Definitions, emptyCounts } from '../../domain/outcomes/patientEvidence.ts';
import type { PatientRecord } from '../../domain/outcomes/patientRecord.ts';
import { patientRecords } from '../../domain/outcomes/patientRecord.ts';
import { activeGroupMembers } from '../../domain/outcomes/programmeReferral.ts';
import type { Json } from '../../domain/outcomes/resourceShape.ts';
import { patientKey } from '../../domain/outcomes/resourceShape.ts';
import type { ByteRange, LineCounter, StreamItem } from '../ndjson.ts';
import { InputError, isNdjson, readNdjson, readResources } from '../ndjson.ts';

/**
 * Resource types the per-patient analysis reads: their `subject` (a Task's `for`) is the
 * patient; a Patient is its own.
 */
const PATIENT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'Condition',
  'QuestionnaireResponse',
  'Observation',
  'ServiceRequest',
  'MedicationStatement',
  'MedicationRequest',
  'Task',
]);

const DEFINITION_TYPES: ReadonlySet<string> = new Set(['Questionnaire', 'Medication']);

/** Malformed lines kept per part to print (the CLI prints at most this many in all). */
export const KEPT_MALFORMED = 50;

/** The resource type a bulk export's file name says it holds ('Observation.001.ndjson'). */
function typeOfFile(file: string): string | undefined {
  return /^([A-Z][A-Za-z]+)[.\-_]/.exec(basename(file))?.[1];
}

export interface Malformed {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A file, or the lines of an NDJSON file that start in a byte range (a large file shared out). */
export interface InputPiece {
  readonly file: string;
  readonly range?: ByteRange;
}

/** A malformed line of a part's piece, its line number counted from the piece's first line. */
interface PieceMalformed extends Malformed {
  readonly piece: number;
}

/** What reading some of the files gave, besides the records written to `recordFile`. */
export interface PassPart {
  readonly resources: number;
  readonly medicationRecords: boolean;
  readonly groupFound: boolean;
  readonly members: readonly string[];
  readonly counts: EvidenceCounts;
  /** The first KEPT_MALFORMED malformed lines, and how many there were. */
  readonly malformed: readonly Malformed[];
  readonly malformedCount: number;
  /** Lines read of each of the part's pieces (how the next piece of the file numbers its lines). */
  readonly pieceLines: readonly number[];
}

export interface PartTask {
  readonly pieces: readonly InputPiece[];
  /** The Questionnaires and Medications, as read by the pre-pass. */
  readonly definitions: readonly Json[];
  readonly groupId: string | undefined;
  readonly recordFile: string;
}

/** The definitions the readers need, before any record is read. */
export async function readDefinitions(files: readonly string[]): Promise<Json[]> {
  const found: Json[] = [];
  const definitionFiles = files.filter((f) => DEFINITION_TYPES.has(typeOfFile(f) ?? ''));
  const mixed = files.filter((f) => typeOfFile(f) === undefined);
  const mayDefine = (text: string): boolean =>
    text.includes('"Questionnaire"') || text.includes('"Medication"');
  for await (const item of readResources([...definitionFiles, ...mixed], {
    prefilter: mayDefine,
  })) {
    if (item.kind === 'resource' && DEFINITION_TYPES.has(item.resource.resourceType)) {
      found.push(item.resource);
    }
  }
  return found;
}

/**
 * The input shared out into `parts` consecutive parts of about equal size, in the input's order:
 * an NDJSON file across a part's end is cut there (by bytes; each part reads the lines that start
 * in its range), a Bundle goes whole to the part where it starts.
 */
export async function shareOut(files: readonly string[], parts: number): Promise<InputPiece[][]> {
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const lists: InputPiece[][] = Array.from({ length: parts }, () => []);
  let part = 0;
  let filled = 0;
  files.forEach((file, index) => {
    const size = sizes[index] ?? 0;
    let start = 0;
    while (start < size || size === 0) {
      const room = Math.ceil(((part + 1) * total) / parts) - filled;
      const cut = isNdjson(file) && part < parts - 1 ? Math.min(size, start + room) : size;
      lists[part]?.push(cut - start === size ? { file } : { file, range: { start, end: cut } });
      filled += cut - start;
      start = cut;
      if (filled >= Math.ceil(((part + 1) * total) / parts) && part < parts - 1) {
        part += 1;
      }
      if (size === 0) {
        break;
      }
    }
  });
  return lists.filter((list) => list.length > 0);
}

/** The items of one piece of the input; `counter` counts an NDJSON piece's lines. */
function readPiece(piece: InputPiece, counter: LineCounter): AsyncGenerator<StreamItem> {
  return isNdjson(piece.file)
    ? readNdjson(piece.file, {}, piece.range, counter)
    : readResources([piece.file]);
}

/**
 * A part's record file (0600: patient data): a line per record, the patient key as a JSON string,
 * a tab and the record as JSON; a resource without records still says its patient exists.
 */
class RecordFile {
  private readonly out: WriteStream;
  private buffer = '';
  private lastEmpty: string | undefined;

  constructor(path: string) {
    this.out = createWriteStream(path, { mode: 0o600 });
  }

  async add(patient: string | undefined, records: readonly PatientRecord[]): Promise<void> {
    const key = JSON.stringify(patient ?? null);
    if (records.length === 0 && patient !== this.lastEmpty) {
      // The patient still exists for the analysis (e.g. as having no PEG): a line without a
      // record, once per run of such resources.
      this.lastEmpty = patient;
      this.buffer += `${key}\t\n`;
    }
    for (const record of records) {
      this.buffer += `${key}\t${JSON.stringify(record)}\n`;
    }
    if (this.buffer.length > 1 << 16) {
      await this.flush();
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  private async flush(): Promise<void> {
    if (!this.out.write(this.buffer)) {
      await once(this.out, 'drain');
    }
    this.buffer = '';
  }
}

/** Reads a part's pieces into its record file (in this thread). */
export async function readPart(task: PartTask): Promise<PassPart> {
  const definitions = new Definitions();
  for (const resource of task.definitions) {
    definitions.add(resource);
  }
  const part = {
    resources: 0,
    medicationRecords: false,
    groupFound: false,
    members: [] as string[],
    counts: emptyCounts(),
    malformed: [] as PieceMalformed[],
    malformedCount: 0,
    pieceLines: [] as number[],
  };
  const out = new RecordFile(task.recordFile);
  for (const [piece, input] of task.pieces.entries()) {
    const counter: LineCounter = { lines: 0 };
    for await (const item of readPiece(input, counter)) {
      if (item.kind === 'malformed') {
        part.malformedCount += 1;
        if (part.malformed.length < KEPT_MALFORMED) {
          part.malformed.push({ file: item.file, line: item.line, message: item.message, piece });
        }
        continue;
      }
      part.resources += 1;
      const resource: Json = item.resource;
      const type = item.resource.resourceType;
      if (PATIENT_RESOURCE_TYPES.has(type)) {
        part.medicationRecords ||= type === 'MedicationStatement' || type === 'MedicationRequest';
        await out.add(patientKey(resource), patientRecords(resource, definitions, part.counts));
      } else if (type === 'Group' && task.groupId !== undefined && resource.id === task.groupId) {
        part.groupFound = true;
        part.members.push(...(activeGroupMembers(resource) ?? []));
      }
    }
    part.pieceLines.push(counter.lines);
  }
  await out.close();
  return part;
}

/** Inputs smaller than this are read in this thread (a worker's start costs more than it saves). */
export const WORKER_THRESHOLD_BYTES = 32 * 1024 * 1024;

function inWorker(task: PartTask): Promise<PassPart> {
  const worker = new Worker(new URL('./recordWorker.ts', import.meta.url), { workerData: task });
  return new Promise<PassPart>((resolve, reject) => {
    worker.once('message', (message: WorkerAnswer) => {
      void worker.terminate();
      if (message.kind === 'done') {
        resolve(message.part);
      } else {
        reject(message.input ? new InputError(message.message) : new Error(message.message));
      }
    });
    worker.once('error', reject);
  });
}

type WorkerAnswer =
  { kind: 'done'; part: PassPart } | { kind: 'error'; input: boolean; message: string };

/**
 * Reads every file into record files in `dir` (one per part), in two worker threads when the
 * input is large; returns the parts' findings in the parts' order and the record files.
 */
export async function readAllRecords(
  files: readonly string[],
  extraDefinitions: readonly Json[],
  groupId: string | undefined,
  dir: string,
  workerThresholdBytes = WORKER_THRESHOLD_BYTES,
): Promise<{ parts: PassPart[]; recordFiles: string[] }> {
  const definitions = [...extraDefinitions, ...(await readDefinitions(files))];
  const bytes = (await Promise.all(files.map(async (file) => (await stat(file)).size))).reduce(
    (a, b) => a + b,
    0,
  );
  const lists =
    bytes < workerThresholdBytes ? [files.map((file) => ({ file }))] : await shareOut(files, 2);
  const tasks = lists.map((pieces, i) => ({
    pieces,
    definitions,
    groupId,
    recordFile: join(dir, `records-${i}.tsv`),
  }));
  const parts = await Promise.all(
    tasks.map((task) => (tasks.length === 1 ? readPart(task) : inWorker(task))),
  );
  return { parts: withFileLineNumbers(parts, tasks), recordFiles: tasks.map((t) => t.recordFile) };
}

/**
 * The parts with their malformed lines numbered in their files: a piece that starts inside a file
 * counted its lines from its own first line, after the lines of the file's earlier pieces (the
 * parts hold consecutive pieces of the input, in order).
 */
function withFileLineNumbers(parts: readonly PassPart[], tasks: readonly PartTask[]): PassPart[] {
  const linesBefore = new Map<string, number>();
  return parts.map((part, p) => {
    const pieces = tasks[p]?.pieces ?? [];
    const offsets = pieces.map((piece, i) => {
      const before = linesBefore.get(piece.file) ?? 0;
      linesBefore.set(piece.file, before + (part.pieceLines[i] ?? 0));
      return before;
    });
    return {
      ...part,
      malformed: part.malformed.map((line) => {
        const { piece, ...rest } = line as PieceMalformed;
        return { ...rest, line: rest.line + (offsets[piece] ?? 0) };
      }),
    };
  });
}
