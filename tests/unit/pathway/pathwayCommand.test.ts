import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClbp } from '../../support/cli.ts';
import { CLBP, PATIENT, peg, referral, screening, session } from './chartBuilders.ts';

let dir: string;
const resources: Resource[] = [
  PATIENT,
  CLBP,
  peg('baseline', '2026-01-05', [7, 7, 6]),
  peg('week8', '2026-03-06', [5, 5, 4]),
  screening('2026-01-04'),
  ...referral('2026-01-05', 'in-progress', { start: '2026-01-11' }),
  session('2026-01-05', '2026-01-11', 0),
  session('2026-01-05', '2026-01-18', 1),
  // A second patient, not screened, and data the pathway does not read.
  { resourceType: 'Patient', id: 'q', birthDate: '1980-01-01' } as Resource,
  {
    resourceType: 'Observation',
    id: 'bp',
    status: 'final',
    subject: { reference: 'Patient/q' },
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  } as Resource,
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-pathway-test-'));
  await writeFile(
    join(dir, 'chart.json'),
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: resources.map((resource) => ({ resource })),
    }),
  );
  await mkdir(join(dir, 'export'));
  const byType = new Map<string, string[]>();
  for (const r of resources) {
    byType.set(r.resourceType, [...(byType.get(r.resourceType) ?? []), JSON.stringify(r)]);
  }
  for (const [type, lines] of byType) {
    await writeFile(join(dir, 'export', `${type}.ndjson`), `${lines.join('\n')}\n`);
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('clbp pathway', () => {
  it('prints each patient of a Bundle with state, baseline, change, follow-ups and next action', async () => {
    const run = await runClbp(['pathway', join(dir, 'chart.json'), '--as-of', '2026-03-10']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const panel = JSON.parse(run.stdout) as { asOf: string; patients: { id: string }[] };
    expect(panel.asOf).toBe('2026-03-10');
    const p = panel.patients.find((x) => x.id === 'p');
    expect(p).toMatchObject({
      state: 'in-programme',
      status: 'In the mindfulness programme — session 2 of 8',
      eligibility: { verdict: 'not-eligible' },
      redFlags: [],
      peg: {
        latest: 4.67,
        baseline: 6.67,
        change: -2,
        reachesMcid: true,
        reaches30Percent: true,
      },
      mme: { current: 0, trajectory: 'none' },
      referral: { stage: 'in-programme', programmeStart: '2026-01-11', sessionsAttended: 2 },
      followUps: [
        { timePoint: 'week8', due: '2026-03-08', status: 'done', provisional: false },
        { timePoint: 'month6', due: '2026-07-11', status: 'upcoming', provisional: false },
        { timePoint: 'month12', due: '2027-01-11', status: 'upcoming', provisional: false },
      ],
      nextAction: 'Nothing due now: the programme contacts the patient',
    });
    expect(panel.patients.find((x) => x.id === 'q')).toMatchObject({ state: 'not-screened' });
  });

  it('gives the same answer for the same data as NDJSON files', async () => {
    const bundle = await runClbp(['pathway', join(dir, 'chart.json'), '--as-of', '2026-03-10']);
    const ndjson = await runClbp(['pathway', join(dir, 'export'), '--as-of', '2026-03-10']);
    const sorted = (text: string) =>
      (JSON.parse(text) as { patients: { id: string }[] }).patients.sort((a, b) =>
        a.id.localeCompare(b.id),
      );
    expect(sorted(ndjson.stdout)).toEqual(sorted(bundle.stdout));
  });

  it('prints a sortable CSV panel list with one row per patient', async () => {
    const run = await runClbp([
      'pathway',
      join(dir, 'export'),
      '--as-of',
      '2026-03-10',
      '--format',
      'csv',
    ]);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toBe(
      'id,state,status,eligibility,red_flags,peg_latest,peg_latest_date,peg_latest_reported_by,peg_baseline,peg_change,mme_current,mme_trajectory,referral_stage,programme_start,follow_up,follow_up_due,follow_up_status,next_action',
    );
    expect(rows).toContain(
      'p,in-programme,In the mindfulness programme — session 2 of 8,not-eligible,,4.67,2026-03-06,,6.67,-2,0,none,in-programme,2026-01-11,month6,2026-07-11,upcoming,Nothing due now: the programme contacts the patient',
    );
    expect(rows).toHaveLength(2);
  });

  it.each([
    [['pathway', '/nonexistent/chart.json'], '/nonexistent/chart.json: no such file or directory'],
    [
      ['pathway', 'x.json', '--as-of', '2026-02-30'],
      "--as-of must be a date YYYY-MM-DD, got '2026-02-30'",
    ],
    [['pathway', 'x.json', '--format', 'xml'], "--format must be json or csv, got 'xml'"],
    [['pathway'], 'give exactly one input (a Bundle file or an NDJSON directory)'],
  ])('exits 2 with one line for %j', async (argv, message) => {
    const run = await runClbp(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe(`clbp pathway: ${message}`);
  });

  it('exits 2 naming the file and line of an unreadable NDJSON line, printing nothing', async () => {
    const bad = join(dir, 'bad');
    await mkdir(bad);
    await writeFile(
      join(bad, 'Patient.ndjson'),
      '{"resourceType":"Patient","id":"a"}\n{not json\n',
    );
    const run = await runClbp(['pathway', bad]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^clbp pathway: .*Patient\.ndjson:2: invalid JSON/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
