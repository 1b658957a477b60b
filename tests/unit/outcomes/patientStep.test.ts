/**
 * The per-patient step of clbp outcomes runs in two worker threads on large inputs, the sorted
 * records cut into batches of whole patients handed out in turn: the outcome table, the counts and
 * the analysis dataset's rows must be exactly those of one thread reading the patients in order,
 * with arms by referral and by Group, however small the batches.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmMode } from '../../../src/domain/outcomes/armAssignment.ts';
import type { DatasetRow } from '../../../src/domain/outcomes/dataset.ts';
import { sumCounts } from '../../../src/domain/outcomes/patientEvidence.ts';
import { perPatientStep } from '../../../src/cli/patientStep.ts';
import { parseIsoDay } from '../../../src/domain/fhir-primitives/dates.ts';
import { AnalyticsEngine } from '../../../src/fhir/analytics/engine.ts';
import { PatientRecordStore } from '../../../src/fhir/analytics/patientRecords.ts';
import { readAllRecords } from '../../../src/fhir/analytics/recordPass.ts';
import { PEG_QUESTIONNAIRE } from '../../../src/fhir/questionnaires.ts';
import { COHORT_GROUP_ID } from '../../../src/sandbox/cohort.ts';
import { cohortLinesByType, writeByType } from '../../support/cohortNdjson.ts';

/** The cohort's own as-of day (tests/support/cohortNdjson.ts). */
const AS_OF_DAY = parseIsoDay('2026-11-21') ?? 0;
let dir: string;
let files: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-patient-step-'));
  const byType = cohortLinesByType(300, 5);
  // A PEG without a subject: its records come last, as their own group, and are counted apart.
  const orphan = byType.get('QuestionnaireResponse')?.find((line) => line.includes('peg-qr'));
  if (orphan !== undefined) {
    const resource = JSON.parse(orphan) as Record<string, unknown>;
    delete resource.subject;
    resource.id = 'orphan-peg';
    byType.get('QuestionnaireResponse')?.push(JSON.stringify(resource));
  }
  files = await writeByType(dir, byType);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function step(mode: ArmMode, workers: number, batchLines: number) {
  const outDir = join(dir, `${mode.kind}-${workers}-${batchLines}`);
  await mkdir(outDir);
  const engine = await AnalyticsEngine.open({ memoryLimit: '200MB' });
  try {
    const { parts, recordFiles } = await readAllRecords(
      files,
      [PEG_QUESTIONNAIRE as unknown as Record<string, unknown>],
      mode.kind === 'group' ? mode.groupId : undefined,
      outDir,
    );
    const store = await PatientRecordStore.load(
      engine,
      recordFiles,
      parts.flatMap((part) => part.members),
    );
    const rows: DatasetRow[] = [];
    const result = await perPatientStep(
      store,
      { mode, asOfDay: AS_OF_DAY, medicationRecords: true, dataset: true },
      { workers, batchLines },
      (more) => rows.push(...more),
    );
    const byPatient = (a: DatasetRow, b: DatasetRow): number =>
      String(a.patient).localeCompare(String(b.patient)) ||
      String(a.time_point).localeCompare(String(b.time_point));
    return {
      report: result.tally.report(),
      counts: sumCounts(result.counts),
      rows: rows.sort(byPatient),
    };
  } finally {
    await engine.close();
  }
}

describe('the per-patient step of clbp outcomes in worker threads', () => {
  for (const mode of [
    { kind: 'referral' },
    { kind: 'group', groupId: COHORT_GROUP_ID },
  ] satisfies ArmMode[]) {
    it(`gives the table, counts and dataset rows of one thread (arms by ${mode.kind})`, async () => {
      const one = await step(mode, 0, 5_000);
      const two = await step(mode, 2, 7);
      expect(one.report.rows[0]?.intervention.n).toBeGreaterThan(50);
      expect(one.counts.skipped['peg-without-subject']).toBe(1);
      // toEqual on numbers is exact: the same floating-point sums in the same order.
      expect(two.report).toEqual(one.report);
      expect(two.counts).toEqual(one.counts);
      expect(two.rows).toEqual(one.rows);
      expect(two.rows.length).toBeGreaterThan(300);
    });
  }
});
