/**
 * `clbp outcomes --dataset`: the analysis dataset agrees with the printed table (it is the same
 * assignment and the same verdicts), reads back from Parquet and CSV, and has its dictionary.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/clbp.ts';
import { DATASET_COLUMNS } from '../../../src/domain/outcomes/dataset.ts';
import { AnalyticsEngine } from '../../../src/fhir/analytics/engine.ts';

const SMALL = resolve(import.meta.dirname, '../../fixtures/outcomes/small');
let dir: string;
let report: {
  rows: {
    timePoint: { id: string };
    intervention: {
      n: number;
      meanChange: { mean: number };
      missing: number;
      notYetDue: number;
    };
  }[];
};
let engine: AnalyticsEngine;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-dataset-'));
  let out = '';
  const code = await main(['outcomes', SMALL, '--format', 'json', '--dataset', dir], {
    stdout: (text) => (out += text),
    stderr: () => undefined,
  });
  if (code !== 0) {
    throw new Error(`clbp outcomes exited ${code}`);
  }
  report = JSON.parse(out) as typeof report;
  engine = await AnalyticsEngine.open({ threads: 1 });
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the analysis dataset', () => {
  it('holds, per arm and time point, the n, mean change and missing follow-ups of the table', async () => {
    const rows = await engine.all(
      `SELECT time_point, count(change)::INT AS n, avg(change) AS mean, count(*) FILTER (WHERE followup_status = 'lost-to-follow-up')::INT AS missing, count(*) FILTER (WHERE followup_status = 'not-yet-due')::INT AS not_yet_due FROM '${join(dir, 'clbp_analysis.parquet')}' WHERE analysed AND arm = 'intervention' GROUP BY time_point`,
    );
    for (const row of report.rows) {
      const fromData = rows.find((r) => r.time_point === row.timePoint.id);
      expect(fromData?.n).toBe(row.intervention.n);
      expect(fromData?.missing).toBe(row.intervention.missing);
      expect(fromData?.not_yet_due).toBe(row.intervention.notYetDue);
      expect(fromData?.mean as number).toBeCloseTo(row.intervention.meanChange.mean, 12);
    }
  });

  it("gives p1's week 8 row in full", async () => {
    const [p1] = await engine.all(
      `SELECT * FROM read_csv('${join(dir, 'clbp_analysis.csv')}') WHERE patient = 'Patient/p1' AND time_point = 'week8'`,
    );
    expect(p1).toMatchObject({
      arm: 'intervention',
      baseline_peg: 6,
      followup_peg: 4,
      change: -2,
      days_from_baseline: 56n,
      reaches_mcid: true,
      reaches_30pct: true,
      mme_baseline: 30,
      mme_followup: 22.5,
    });
  });

  it('lists excluded patients with the reason, once each', async () => {
    const rows = await engine.all(
      `SELECT patient, exclusion FROM '${join(dir, 'clbp_analysis.parquet')}' WHERE NOT analysed ORDER BY patient`,
    );
    expect(rows).toEqual([
      { patient: 'Patient/p4', exclusion: 'referred-without-baseline-peg' },
      { patient: 'Patient/p9', exclusion: 'never-eligible' },
    ]);
  });

  it('is written for the researcher only, as clbp bulk writes patient data: files 0600, a new folder 0700', async () => {
    for (const name of ['clbp_analysis.parquet', 'clbp_analysis.csv', 'data_dictionary.md']) {
      expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    }
    const fresh = join(dir, 'new', 'analysis');
    const code = await main(['outcomes', SMALL, '--dataset', fresh], {
      stdout: () => undefined,
      stderr: () => undefined,
    });
    expect(code).toBe(0);
    expect((await stat(fresh)).mode & 0o777).toBe(0o700);
    expect((await readdir(fresh)).sort()).toEqual([
      'clbp_analysis.csv',
      'clbp_analysis.parquet',
      'data_dictionary.md',
    ]);
    expect((await stat(join(fresh, 'clbp_analysis.parquet'))).mode & 0o777).toBe(0o600);
  });

  it('comes with a data dictionary naming every column', async () => {
    const dictionary = await readFile(join(dir, 'data_dictionary.md'), 'utf8');
    for (const column of DATASET_COLUMNS) {
      expect(dictionary).toContain(`| \`${column.name}\` | ${column.type} |`);
    }
  });
});
