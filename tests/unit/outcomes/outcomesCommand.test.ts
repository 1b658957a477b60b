import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runClbp } from '../../support/cli.ts';

const SMALL = fileURLToPath(new URL('../../fixtures/outcomes/small', import.meta.url));
const BUNDLE = fileURLToPath(
  new URL('../../fixtures/outcomes/bundle-with-bad-entry.json', import.meta.url),
);

async function clbp(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = await runClbp(argv);
  return { code: run.code, out: run.stdout, err: run.stderr };
}

interface JsonRow {
  timePoint: { id: string };
  intervention: JsonCell;
  comparison: JsonCell;
  difference: { kind: string; difference?: number; lower?: number; upper?: number; p?: number };
}
interface JsonCell {
  n: number;
  medianMmeChange: unknown;
  meanChange: { mean?: number };
  improvedOnePoint: { successes: number; n: number };
  improvedThirtyPercent: { successes: number; n: number };
}

async function jsonReport(...extra: string[]): Promise<{ rows: JsonRow[]; arms: unknown }> {
  const { code, out } = await clbp('outcomes', SMALL, '--format', 'json', ...extra);
  expect(code).toBe(0);
  return JSON.parse(out) as { rows: JsonRow[]; arms: unknown };
}

// The fixture (tests/fixtures/outcomes/small, described patient by patient in its README) has
// these change scores by design:
//   referred:     p1 (QR)        week 8 −2, month 6 −1, month 12 −3
//                 p2 (score Obs) week 8 −2, month 6 −1            (baseline 3 days before referral)
//                 p3 (QR + derived Obs, one administration) week 8 −1 on the window's last day,
//                    month 12 −4 on the window's first day
//                 p4 excluded: its only earlier PEG is 31 days before the referral
//   not referred: p5 0, −1, −1; p6 (item Observations) 0, 0, −1; p7 −1 (tie → earlier), –, 0;
//                 p8 (revoked referral) 0 at week 8; its in-progress response is ignored
// Welch's test of each pair computed independently of this code base, with SciPy 1.17:
//   stats.ttest_ind(referred, notReferred, equal_var=False) and its confidence_interval(0.95).
const EXPECTED = {
  week8: {
    referred: [-2, -2, -1],
    notReferred: [0, 0, -1, 0],
    welch: {
      difference: -1.4166666666666667,
      standardError: 0.4166666666666667,
      df: 4.032258064516129,
      t: -3.4,
      p: 0.026938273325274622,
      lower: -2.5698780030491086,
      upper: -0.26345533028422463,
    },
  },
  month6: {
    referred: [-1, -1],
    notReferred: [-1, 0],
    welch: {
      difference: -0.5,
      standardError: 0.5,
      df: 1,
      t: -1,
      p: 0.5,
      lower: -6.853102368087347,
      upper: 5.853102368087347,
    },
  },
  month12: {
    referred: [-3, -4],
    notReferred: [-1, -1, 0],
    welch: {
      difference: -2.8333333333333335,
      standardError: 0.6009252125773316,
      df: 1.898876404494382,
      t: -4.714951667914447,
      p: 0.04655485970994602,
      lower: -5.555443920024612,
      upper: -0.11122274664205456,
    },
  },
} as const;

describe('clbp outcomes by referral', () => {
  it.each(Object.entries(EXPECTED))(
    'at %s gives each arm its n and mean change and the Welch difference',
    async (id, expected) => {
      const { rows } = await jsonReport();
      const row = rows.find((r) => r.timePoint.id === id)!;
      const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(row.intervention.n).toBe(expected.referred.length);
      expect(row.comparison.n).toBe(expected.notReferred.length);
      expect(row.intervention.meanChange.mean).toBeCloseTo(mean(expected.referred), 10);
      expect(row.comparison.meanChange.mean).toBeCloseTo(mean(expected.notReferred), 10);
      // The app's t distribution agrees with SciPy's to about 1e-9.
      const close: Record<string, unknown> = { kind: 'estimate' };
      for (const [key, value] of Object.entries(expected.welch)) {
        close[key] = expect.closeTo(value, 6);
      }
      expect(row.difference).toMatchObject(close);
    },
  );

  it('counts ≥ 1-point and ≥ 30% improvers against baseline', async () => {
    const { rows } = await jsonReport();
    const week8 = rows.find((r) => r.timePoint.id === 'week8')!;
    // p1 6→4 (−33%), p2 7→5 (−29%: not 30%), p3 8→7
    expect(week8.intervention.improvedOnePoint).toMatchObject({ successes: 3, n: 3 });
    expect(week8.intervention.improvedThirtyPercent).toMatchObject({ successes: 1, n: 3 });
    const month12 = rows.find((r) => r.timePoint.id === 'month12')!;
    // p1 6→3 (exactly 50%), p3 8→4 (50%)
    expect(month12.intervention.improvedThirtyPercent).toMatchObject({ successes: 2, n: 2 });
  });

  it('gives the median MME/day change of patients on opioids at baseline, leaving out an unknown dose', async () => {
    const { rows } = await jsonReport();
    const median = (id: string) => {
      const row = rows.find((r) => r.timePoint.id === id)!;
      return [row.intervention.medianMmeChange, row.comparison.medianMmeChange];
    };
    // p1 oxycodone 5 mg QID → TID (30 → 22.5 MME/day), p2 tramadol 50 mg TID → BID (30 → 20, via a
    // Medication defined after the statements), p3 oxycodone without a dosage (unknown): left out.
    // Nobody in the not-referred arm takes opioids, so its median is not computed (it used to be 0).
    const noneOnOpioids = {
      kind: 'not-computed',
      reason: 'none-on-opioids-at-baseline',
      unknownDose: 0,
    };
    expect(median('week8')).toEqual([
      { kind: 'median', value: -8.75, n: 2, reduced: 2, unknownDose: 1 },
      noneOnOpioids,
    ]);
    expect(median('month12')).toEqual([
      { kind: 'median', value: -7.5, n: 1, reduced: 1, unknownDose: 1 },
      noneOnOpioids,
    ]);
  });

  it('prints the Markdown table with the method, the windows and the excluded patients', async () => {
    const { code, out } = await clbp('outcomes', SMALL);
    expect(code).toBe(0);
    expect(out).toContain(
      '| Week 8 | Referred | 3 | 0 (0.0%) | 0 | -1.67 (-3.10 to -0.23) | 100.0% (3/3) | 33.3% (1/3) |',
    );
    expect(out).toContain(
      '| Week 8 | Not referred | 4 | 0 (0.0%) | 0 | -0.25 (-1.05 to 0.55) | 25.0% (1/4) | 0.0% (0/4) |',
    );
    expect(out).toMatch(/\| Week 8 \| -1\.42 \(-2\.57 to -0\.26\) \| 0\.027 \|/);
    expect(out).toContain("Welch's unequal-variance t-test");
    expect(out).toContain('**Observational comparison, not a randomised trial');
    expect(out).toMatch(
      /\| Week 8 \| -1\.42 .*\| -?\d\.\d\d \(-?\d\.\d\d to -?\d\.\d\d\) \| [<\d.]+ \|$/m,
    );
    expect(out).toContain(
      'Week 8: due 8 weeks after baseline, window 2 weeks before to 2 weeks after',
    );
    expect(out).toContain(
      'Not referred: 4 patients with a baseline; baseline = the first PEG on a day the patient was eligible for the programme',
    );
    expect(out).toContain('1 without a PEG at referral');
    // p9 is 16: never eligible, so not a comparison patient.
    expect(out).toContain('1 never eligible on a PEG day');
    expect(out).toContain(
      '| 33.3% (1/3) | -8.75 (n 2 on opioids at baseline, 2 reduced; 1 dose unknown) |',
    );
    expect(out).toContain('| 0.0% (0/4) | – (n 0 on opioids at baseline) |');
    expect(out).toContain(
      'Median MME/day change: among patients on opioids at baseline only (total opioid MME/day > 0 on the baseline PEG day)',
    );
    expect(out).toContain('5 medication records (4 opioids with MME, 1 of unknown dose)');
  });

  it('says in the method how the input was read: one pass into records, DuckDB sorting them by patient', async () => {
    const { out } = await clbp('outcomes', SMALL);
    expect(out).toContain(
      "The input is read once, resource by resource, into each patient's small records (by the app's own readers); the embedded DuckDB engine sorts them by patient",
    );
    expect(out).not.toContain("one patient's resources at a time");
  });

  it('writes one CSV row per time point with both arms and the difference', async () => {
    const { code, out } = await clbp('outcomes', SMALL, '--format=csv');
    expect(code).toBe(0);
    const [header, ...rows] = out.trim().split('\n');
    const columns = header!.split(',');
    expect(rows).toHaveLength(3);
    const week8: Record<string, string> = {};
    rows[0]!.split(',').forEach((value, index) => {
      week8[columns[index] ?? ''] = value;
    });
    expect(week8).toMatchObject({
      time_point: 'week8',
      intervention_label: 'Referred',
      intervention_n: '3',
      comparison_n: '4',
      intervention_drop_1pt: '3',
      comparison_drop_1pt: '1',
      intervention_median_mme_change: '-8.75',
      intervention_median_mme_change_n: '2',
      intervention_mme_reduced: '2',
      intervention_mme_dose_unknown: '1',
      comparison_median_mme_change: '',
      comparison_median_mme_change_n: '0',
      comparison_mme_dose_unknown: '0',
    });
    expect(Number(week8.difference)).toBeCloseTo(-5 / 3 + 0.25, 8);
  });

  it('reports a malformed NDJSON line with its file and line and still analyses the rest', async () => {
    const { code, err, out } = await clbp('outcomes', SMALL);
    expect(code).toBe(0);
    expect(err).toMatch(/b-not-referred\.ndjson:5: invalid JSON/);
    expect(err).toContain('1 malformed line(s) skipped');
    expect(out).toContain('1 malformed line(s)');
  });
});

describe('clbp outcomes by Group membership', () => {
  it('compares active Group members with every other patient, each from their first PEG', async () => {
    const { rows, arms } = await jsonReport('--arm-by', 'group:cohort-a');
    // members p5 and p6 (p8's membership is inactive); p3's first PEG (9) is 20 days before its
    // referral PEG; p9 (16, never eligible) is still a non-member: Group arms are the Group's.
    expect(arms).toMatchObject({
      intervention: { label: 'Group cohort-a', withBaseline: 2 },
      comparison: { label: 'Not in group', withBaseline: 7 },
    });
    const week8 = rows.find((r) => r.timePoint.id === 'week8')!;
    expect(week8.intervention.n).toBe(2);
    expect(week8.intervention.meanChange.mean).toBe(0);
  });

  it('fails clearly, with the usage exit code 2 and one line, when the Group is not in the input', async () => {
    const { code, err } = await clbp('outcomes', SMALL, '--arm-by', 'group:nope');
    expect(code).toBe(2);
    const lines = err.trim().split('\n');
    expect(lines.at(-1)).toBe(
      'clbp outcomes: Group/nope is not in the input; --arm-by group:<id> needs a Group in it',
    );
    expect(lines.filter((line) => line.includes('Group/nope'))).toHaveLength(1);
  });
});

describe('clbp outcomes input and arguments', () => {
  it('reads a Bundle entry by entry and reports a broken entry by line', async () => {
    const { code, out, err } = await clbp('outcomes', BUNDLE, '--format', 'csv');
    expect(code).toBe(0);
    expect(err).toMatch(/bundle-with-bad-entry\.json:75: invalid Bundle entry/);
    expect(out.split('\n')[1]).toMatch(/^week8,8 weeks,2 weeks,2 weeks,Referred,1,-2,/);
  });

  it.each([
    [['outcomes'], 'an NDJSON directory or a Bundle file is required'],
    [['outcomes', SMALL, '--format', 'xlsx'], "unknown format 'xlsx'"],
    [['outcomes', SMALL, '--arm-by', 'cohort'], "--arm-by must be 'referral' or 'group:<id>'"],
    [['outcomes', SMALL, '--verbose'], "unknown option '--verbose'"],
    [
      ['outcomes', SMALL, '--as-of', '2026-02-30'],
      "--as-of must be a date YYYY-MM-DD, got '2026-02-30'",
    ],
    [['outcomes', SMALL, '--as-of'], "--as-of must be a date YYYY-MM-DD, got ''"],
  ])('rejects %j with a usage message', async (argv, message) => {
    const { code, err } = await clbp(...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('usage: clbp outcomes');
  });

  it('counts follow-ups as of --as-of, and says so in the method', async () => {
    // The analysis as it stood on 2025-03-22: the fixture's later PEGs are left out, and no
    // month-6 or month-12 window (baselines in January 2025) had closed, so the three referred
    // patients are not yet due there, not lost; at week 8 one had its PEG and two windows were open.
    const { code, out } = await clbp(
      'outcomes',
      SMALL,
      '--format',
      'json',
      '--as-of',
      '2025-03-22',
    );
    expect(code).toBe(0);
    const report = JSON.parse(out) as {
      method: string;
      rows: {
        timePoint: { id: string };
        intervention: { n: number; missing: number; notYetDue: number };
      }[];
    };
    expect(report.method).toContain('Follow-ups as of 2025-03-22 (--as-of)');
    const intervention = (id: string) =>
      report.rows.find((r) => r.timePoint.id === id)?.intervention;
    expect(intervention('week8')).toMatchObject({ n: 1, missing: 0, notYetDue: 2 });
    expect(intervention('month12')).toMatchObject({ n: 0, missing: 0, notYetDue: 3 });
    const { out: today } = await clbp('outcomes', SMALL);
    expect(today).toContain('| Month 12 | Referred | 2 | 1 (33.3%) | 0 |');
    expect(today).toMatch(/Follow-ups as of \d{4}-\d{2}-\d{2} \(the day of the run; give --as-of/);
  });

  it("counts follow-ups as of a bulk export's transactionTime by default", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clbp-outcomes-as-of-'));
    try {
      await cp(SMALL, dir, { recursive: true });
      // The day written in the instant, whatever the analyst's zone: 03:00 UTC on 2025-03-22 is
      // still 2025-03-21 in the tests' zone (America/Denver), and the table is as of 2025-03-22.
      await writeFile(
        join(dir, 'bulk-export.manifest'),
        JSON.stringify({ version: 1, request: 'x', transactionTime: '2025-03-22T03:00:00Z' }),
      );
      const { code, out } = await clbp('outcomes', dir, '--format', 'json');
      expect(code).toBe(0);
      const report = JSON.parse(out) as {
        method: string;
        rows: { timePoint: { id: string }; intervention: { notYetDue: number } }[];
      };
      expect(report.method).toContain(
        "Follow-ups as of 2025-03-22 (the bulk export's transactionTime, 2025-03-22T03:00:00Z)",
      );
      expect(report.rows.find((r) => r.timePoint.id === 'month12')?.intervention.notYetDue).toBe(3);
      // --as-of wins over the export's day, but not after it (those follow-ups cannot be in it).
      const given = await clbp('outcomes', dir, '--as-of', '2025-03-01');
      expect(given.out).toContain('Follow-ups as of 2025-03-01 (--as-of)');
      const later = await clbp('outcomes', dir, '--as-of', '2025-03-23');
      expect(later.code).toBe(2);
      expect(later.err).toContain(
        "--as-of 2025-03-23 is after the export's data (transactionTime 2025-03-22T03:00:00Z)",
      );

      await writeFile(join(dir, 'bulk-export.manifest'), '{"transactionTime": "soon"}');
      const broken = await clbp('outcomes', dir);
      expect(broken.code).toBe(2);
      expect(broken.err).toContain('bulk-export.manifest has no transactionTime instant');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says when the input does not exist, with the bad-input exit code 2', async () => {
    const { code, err } = await clbp('outcomes', '/nonexistent/dir');
    expect(code).toBe(2);
    expect(err).toContain('/nonexistent/dir: no such file or directory');
  });
});
