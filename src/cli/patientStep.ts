/**
 * The per-patient step of `clbp outcomes` on one batch of sorted record lines
 * (fhir/analytics/patientRecords.ts `sortedLines`): each patient's records become the patient's
 * evidence (domain/outcomes/patientEvidence.ts), tallied into the batch's own outcome tally (the
 * caller appends the batches' tallies in batch order, so the table is the one a single pass in
 * patient order gives) and, when asked, the analysis dataset's rows. Run in worker threads
 * (outcomesWorker.ts) on large inputs, in the main thread on small ones.
 */
import type { ArmMode } from '../domain/outcomes/armAssignment.ts';
import type { DatasetRow } from '../domain/outcomes/dataset.ts';
import { datasetRows } from '../domain/outcomes/dataset.ts';
import type { TallyState } from '../domain/outcomes/outcomeTable.ts';
import { OutcomeTally } from '../domain/outcomes/outcomeTable.ts';
import type { EvidenceCounts } from '../domain/outcomes/patientEvidence.ts';
import { emptyCounts, evidenceFromRecords } from '../domain/outcomes/patientEvidence.ts';
import { DEFAULT_ELIGIBILITY_CONFIG } from '../domain/screening/eligibilityConfig.ts';
import type { PatientRecordStore } from '../fhir/analytics/patientRecords.ts';
import { patientsOfLines } from '../fhir/analytics/patientRecords.ts';
import { Worker } from 'node:worker_threads';
import type { StepMessage } from './outcomesWorker.ts';

export interface StepSetup {
  readonly mode: ArmMode;
  /** The calendar day number the follow-ups are counted on (OutcomeTally). */
  readonly asOfDay: number;
  /** Whether the input holds any medication record (else doses are not computed at all). */
  readonly medicationRecords: boolean;
  readonly dataset: boolean;
}

export interface BatchResult {
  readonly tally: TallyState;
  readonly rows: DatasetRow[];
}

/** One batch of whole patients; what the evidence step skips is counted in `counts`. */
export function patientStep(
  lines: readonly string[],
  setup: StepSetup,
  counts: EvidenceCounts,
): BatchResult {
  const tally = new OutcomeTally(setup.mode, setup.asOfDay);
  const rows: DatasetRow[] = [];
  for (const group of patientsOfLines(lines)) {
    const evidence = evidenceFromRecords(group.records, counts, {
      inGroup: group.inGroup,
      medicationRecords: setup.medicationRecords,
      eligibility: DEFAULT_ELIGIBILITY_CONFIG,
    });
    if (group.patient === undefined) {
      withoutSubject(counts, evidence.pegs.length);
      continue;
    }
    tally.add(evidence);
    if (setup.dataset) {
      for (const row of datasetRows(group.patient, evidence, setup.mode, setup.asOfDay)) {
        rows.push(row);
      }
    }
  }
  return { tally: tally.state, rows };
}

/** Worker threads of the per-patient step; record files smaller than this stay in one thread. */
export const STEP_WORKERS = 2;
export const STEP_WORKER_THRESHOLD_BYTES = 16 * 1024 * 1024;
/**
 * A worker's heap: a batch's patients are garbage once tallied, so a small heap (collected more
 * often) keeps the run's memory within the 1 GB target beside DuckDB's share. The young
 * generation at 8 MB rather than 16: ~50 MB less peak at 10 M in the same time (2026-12-04).
 */
const STEP_WORKER_HEAP = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 };
/** Sorted record lines per batch, and batches handed out but not answered yet per worker. */
const BATCH_LINES = 5_000;
const BATCHES_IN_FLIGHT_PER_WORKER = 2;

type StepAnswer =
  ({ kind: 'batch'; index: number } & BatchResult) | { kind: 'done'; counts: EvidenceCounts };

/**
 * The per-patient step over every patient's sorted records: batches of whole patients go to
 * `workers` worker threads in turn (none: this thread) while DuckDB hands over the next ones, at
 * most BATCHES_IN_FLIGHT_PER_WORKER per worker ahead; the batches' tallies are appended in batch order, so the table is
 * the same however the batches were shared out, and their dataset rows go to `onRows`.
 */
export async function perPatientStep(
  store: PatientRecordStore,
  setup: StepSetup,
  { workers, batchLines = BATCH_LINES }: { workers: number; batchLines?: number },
  onRows: (rows: DatasetRow[]) => void,
): Promise<{ tally: OutcomeTally; counts: EvidenceCounts[] }> {
  const tally = new OutcomeTally(setup.mode, setup.asOfDay);
  if (workers === 0) {
    const counts = emptyCounts();
    for await (const lines of store.sortedLines(batchLines)) {
      const result = patientStep(lines, setup, counts);
      tally.append(result.tally);
      onRows(result.rows);
    }
    return { tally, counts: [counts] };
  }
  const threads = Array.from(
    { length: workers },
    () =>
      new Worker(new URL('./outcomesWorker.ts', import.meta.url), {
        workerData: setup,
        resourceLimits: STEP_WORKER_HEAP,
      }),
  );
  /** Answered batches waiting for an earlier one, by index. */
  const waiting = new Map<number, TallyState>();
  let next = 0;
  let sent = 0;
  let failed: Error | undefined;
  let wake: (() => void) | undefined;
  const counts: EvidenceCounts[] = [];
  const finished = threads.map(
    (thread) =>
      new Promise<void>((resolve, reject) => {
        thread.on('message', (answer: StepAnswer) => {
          if (answer.kind === 'done') {
            counts.push(answer.counts);
            resolve();
            return;
          }
          onRows(answer.rows);
          waiting.set(answer.index, answer.tally);
          for (let state = waiting.get(next); state !== undefined; state = waiting.get(next)) {
            waiting.delete(next);
            tally.append(state);
            next += 1;
          }
          wake?.();
        });
        thread.once('error', (error: unknown) => {
          failed = error instanceof Error ? error : new Error(String(error));
          wake?.();
          reject(failed);
        });
      }),
  );
  // A failure is thrown where it is awaited below; until then it must not be unhandled.
  for (const promise of finished) {
    promise.catch(() => undefined);
  }
  try {
    for await (const lines of store.sortedLines(batchLines)) {
      while (sent - next >= BATCHES_IN_FLIGHT_PER_WORKER * workers && failed === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (failed !== undefined) {
        throw failed;
      }
      const message: StepMessage = { kind: 'batch', index: sent, lines };
      threads[sent % workers]?.postMessage(message);
      sent += 1;
    }
    for (const thread of threads) {
      thread.postMessage({ kind: 'end' } satisfies StepMessage);
    }
    await Promise.all(finished);
    return { tally, counts };
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}

/** PEG administrations of resources without a subject cannot be placed in an arm. */
function withoutSubject(counts: EvidenceCounts, administrations: number): void {
  counts.pegAdministrations -= administrations;
  if (administrations > 0) {
    counts.skipped['peg-without-subject'] =
      (counts.skipped['peg-without-subject'] ?? 0) + administrations;
  }
}
