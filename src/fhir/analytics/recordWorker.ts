/**
 * Worker thread of the outcome analysis's first pass: reads its share of the files
 * (recordPass.ts `readPart`) and answers with what it found, or with the error that stopped it
 * (`input`: the input could not be read, the command's exit 2).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../ndjson.ts';
import type { PartTask } from './recordPass.ts';
import { readPart } from './recordPass.ts';

try {
  parentPort?.postMessage({ kind: 'done', part: await readPart(workerData as PartTask) });
} catch (error) {
  parentPort?.postMessage({
    kind: 'error',
    input: error instanceof InputError,
    message: error instanceof Error ? error.message : String(error),
  });
}
