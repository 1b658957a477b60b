/**
 * The portable outcome-table SQL over the analysis dataset gives the table `clbp outcomes`
 * prints: n, mean change, responders, lost to follow-up, not yet due, and (through the ANCOVA
 * sums) the adjusted difference, on the sandbox's patients and a generated cohort, as of the day
 * the cohort was generated (its latest patients' windows still open).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/clbp.ts';
import { OUTCOME_TABLE_SQL } from '../../../src/domain/outcomes/outcomeTableSql.ts';
import { ancova } from '../../../src/domain/stats/ancova.ts';
import { AnalyticsEngine } from '../../../src/fhir/analytics/engine.ts';
import { generateCohort } from '../../../src/sandbox/cohort.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

interface Cell {
  n: number;
  missing: number;
  notYetDue: number;
  meanChange: { mean: number; sd: number };
  improvedOnePoint: { successes: number };
  improvedThirtyPercent: { successes: number; n: number };
}
interface Row {
  timePoint: { id: string };
  intervention: Cell;
  comparison: Cell;
  adjusted: { difference: number; standardError: number };
}

let dir: string;
let engine: AnalyticsEngine;
let rows: Row[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-table-sql-'));
  const asOf = new Date('2026-11-21T12:00:00-07:00');
  // The sandbox's own patients (never eligible: not screened) beside a generated cohort.
  const resources = [
    ...generateSeed({ asOf }).resources,
    ...generateCohort({ n: 300, asOf }).resources,
  ];
  await writeFile(join(dir, 'cohort.ndjson'), resources.map((r) => JSON.stringify(r)).join('\n'));
  let out = '';
  const code = await main(
    [
      'outcomes',
      join(dir, 'cohort.ndjson'),
      '--format',
      'json',
      '--as-of',
      '2026-11-21',
      '--dataset',
      join(dir, 'ds'),
    ],
    {
      stdout: (text) => (out += text),
      stderr: () => undefined,
    },
  );
  if (code !== 0) {
    throw new Error(`clbp outcomes exited ${code}`);
  }
  rows = (JSON.parse(out) as { rows: Row[] }).rows;
  engine = await AnalyticsEngine.open({ threads: 1 });
  await engine.run(
    `CREATE TABLE clbp_analysis AS SELECT * FROM '${join(dir, 'ds', 'clbp_analysis.parquet')}'`,
  );
}, 60_000);
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the outcome table in SQL over the analysis dataset', () => {
  it('gives the n, mean, SD, responders, lost to follow-up and not yet due of the printed table', async () => {
    const sql = await engine.all(OUTCOME_TABLE_SQL);
    // The cut this test guards: some windows still open on the as-of day, some closed.
    const cellsOf = rows.flatMap((row) => [row.intervention, row.comparison]);
    expect(cellsOf.some((cell) => cell.notYetDue > 0)).toBe(true);
    expect(cellsOf.some((cell) => cell.missing > 0)).toBe(true);
    for (const row of rows) {
      for (const arm of ['intervention', 'comparison'] as const) {
        const cell = row[arm];
        const fromSql = sql.find((r) => r.time_point === row.timePoint.id && r.arm === arm);
        expect(Number(fromSql?.n)).toBe(cell.n);
        expect(Number(fromSql?.lost_to_follow_up)).toBe(cell.missing);
        expect(Number(fromSql?.not_yet_due)).toBe(cell.notYetDue);
        expect(fromSql?.mean_change as number).toBeCloseTo(cell.meanChange.mean, 10);
        expect(fromSql?.sd_change as number).toBeCloseTo(cell.meanChange.sd, 10);
        expect(Number(fromSql?.drop_1pt)).toBe(cell.improvedOnePoint.successes);
        expect(Number(fromSql?.drop_30pct)).toBe(cell.improvedThirtyPercent.successes);
        expect(Number(fromSql?.drop_30pct_denominator)).toBe(cell.improvedThirtyPercent.n);
      }
    }
  });

  it('gives, through its sums, the ANCOVA estimate of the printed table', async () => {
    const sql = await engine.all(OUTCOME_TABLE_SQL);
    const sums = (timePoint: string, arm: string) => {
      const r = sql.find((x) => x.time_point === timePoint && x.arm === arm);
      return {
        n: Number(r?.n),
        sumX: Number(r?.sum_x),
        sumY: Number(r?.sum_y),
        sumXX: Number(r?.sum_xx),
        sumXY: Number(r?.sum_xy),
        sumYY: Number(r?.sum_yy),
      };
    };
    for (const row of rows) {
      const adjusted = ancova(
        sums(row.timePoint.id, 'intervention'),
        sums(row.timePoint.id, 'comparison'),
      );
      expect(adjusted.kind === 'estimate' && adjusted.difference).toBeCloseTo(
        row.adjusted.difference,
        9,
      );
      expect(adjusted.kind === 'estimate' && adjusted.standardError).toBeCloseTo(
        row.adjusted.standardError,
        9,
      );
    }
  });
});
