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
 * that may hold one. Large inputs are read in two worker threads (recordWorker.ts), their files
 * shared out by size, so parsing, the dominant cost, uses both cores.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EvidenceCounts } from '../../domain/outcomes/patientEvidence.ts';
import { Definitions, emptyCounts } from '../../domain/outcomes/patientEvidence.ts';
import { patientRecords } from '../../domain/outcomes/patientRecord.ts';
import { activeGroupMembers } from '../../domain/outcomes/programmeReferral.ts';
import type { Json } from '../../domain/outcomes/resourceShape.ts';
import { patientKey } from '../../domain/outcomes/resourceShape.ts';
import { InputError, readResources } from '../ndjson.ts';

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
}

export interface PartTask {
  readonly files: readonly string[];
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
 * Files shared out into `parts` lists of about equal size (largest first to the lightest part),
 * each list in the input's order.
 */
export async function shareOut(files: readonly string[], parts: number): Promise<string[][]> {
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const lists: string[][] = Array.from({ length: parts }, () => []);
  const load = new Array<number>(parts).fill(0);
  const order = files.map((_, i) => i).sort((a, b) => (sizes[b] ?? 0) - (sizes[a] ?? 0));
  for (const index of order) {
    const lightest = load.indexOf(Math.min(...load));
    lists[lightest]?.push(files[index] ?? '');
    load[lightest] = (load[lightest] ?? 0) + (sizes[index] ?? 0);
  }
  return lists
    .map((list) => files.filter((file) => list.includes(file)))
    .filter((list) => list.length > 0);
}

/** Reads a part's files into its record file (in this thread). */
export async function readPart(task: PartTask): Promise<PassPart> {
  const definitions = new Definitions();
  for (const resource of task.definitions) {
    definitions.add(resource);
  }
  const counts = emptyCounts();
  const malformed: Malformed[] = [];
  let malformedCount = 0;
  let resources = 0;
  let medicationRecords = false;
  let groupFound = false;
  const members: string[] = [];
  const out = createWriteStream(task.recordFile, { mode: 0o600 }); // patient data
  let buffer = '';
  let lastEmpty: string | undefined;
  const flush = async (): Promise<void> => {
    if (!out.write(buffer)) {
      await once(out, 'drain');
    }
    buffer = '';
  };
  for await (const item of readResources(task.files)) {
    if (item.kind === 'malformed') {
      malformedCount += 1;
      if (malformed.length < KEPT_MALFORMED) {
        malformed.push({ file: item.file, line: item.line, message: item.message });
      }
      continue;
    }
    resources += 1;
    const resource: Json = item.resource;
    const type = item.resource.resourceType;
    if (PATIENT_RESOURCE_TYPES.has(type)) {
      medicationRecords ||= type === 'MedicationStatement' || type === 'MedicationRequest';
      const patient = patientKey(resource);
      const key = JSON.stringify(patient ?? null);
      const records = patientRecords(resource, definitions, counts);
      if (records.length === 0 && patient !== lastEmpty) {
        // The patient still exists for the analysis (e.g. as having no PEG): a line without a
        // record, once per run of such resources.
        lastEmpty = patient;
        buffer += `${key}\t\n`;
      }
      for (const record of records) {
        buffer += `${key}\t${JSON.stringify(record)}\n`;
      }
      if (buffer.length > 1 << 16) {
        await flush();
      }
    } else if (type === 'Group' && task.groupId !== undefined && resource.id === task.groupId) {
      groupFound = true;
      for (const member of activeGroupMembers(resource) ?? []) {
        members.push(member);
      }
    }
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return {
    resources,
    medicationRecords,
    groupFound,
    members,
    counts,
    malformed,
    malformedCount,
  };
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
  const lists = bytes < workerThresholdBytes ? [[...files]] : await shareOut(files, 2);
  const tasks = lists.map((list, i) => ({
    files: list,
    definitions,
    groupId,
    recordFile: join(dir, `records-${i}.tsv`),
  }));
  const parts = await Promise.all(
    tasks.map((task) => (tasks.length === 1 ? readPart(task) : inWorker(task))),
  );
  return { parts, recordFiles: tasks.map((task) => task.recordFile) };
}
