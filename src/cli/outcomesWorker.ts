/**
 * Worker thread of `clbp outcomes`'s per-patient step: runs `patientStep` (patientStep.ts) on each
 * batch of sorted record lines it is sent and answers with the batch's tally and dataset rows; at
 * the end, with the counts of what the step skipped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { emptyCounts } from '../domain/outcomes/patientEvidence.ts';
import type { StepSetup } from './patientStep.ts';
import { patientStep } from './patientStep.ts';

export type StepMessage =
  | { readonly kind: 'batch'; readonly index: number; readonly lines: readonly string[] }
  | { readonly kind: 'end' };

const setup = workerData as StepSetup;
const counts = emptyCounts();

parentPort?.on('message', (message: StepMessage) => {
  if (message.kind === 'end') {
    parentPort?.postMessage({ kind: 'done', counts });
    return;
  }
  parentPort?.postMessage({
    kind: 'batch',
    index: message.index,
    ...patientStep(message.lines, setup, counts),
  });
});
