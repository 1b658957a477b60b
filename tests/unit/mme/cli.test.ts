import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runClbp, type ClbpRun } from '../../support/cli.ts';

const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/mme');
const fixture = (name: string): string => path.join(FIXTURES, name);

const clbp = (...argv: string[]): Promise<ClbpRun> => runClbp(argv);

interface Printed {
  asOf: string;
  medications: {
    id: string;
    status: string;
    mmePerDay: number | null;
    reason: string | null;
    explanation: string;
  }[];
  totalMmePerDay: number;
  timeline?: { date: string; mmePerDay: number }[];
}

async function printed(...argv: string[]): Promise<Printed> {
  const run = await clbp(...argv);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Printed;
}

const byId = (out: Printed): Record<string, Printed['medications'][number]> =>
  Object.fromEntries(out.medications.map((m) => [m.id, m]));

describe('clbp mme', () => {
  it("reads a Bundle with _include'd and contained Medications and adds up every counted medication", async () => {
    const out = await printed('mme', fixture('bundle.json'));
    const meds = byId(out);
    expect(meds['oxy']).toMatchObject({
      status: 'counted',
      mmePerDay: 30,
      reason: null,
      explanation: 'oxycodone 5 mg × 1 tablet × 4/day × 1.5 = 30 MME/day',
      ingredients: [
        { name: 'oxycodone', rxcui: '7804', dailyDose: 20, unit: 'mg', factor: 1.5, mmePerDay: 30 },
      ],
    });
    expect(meds['patch']).toMatchObject({ status: 'counted', mmePerDay: 60 });
    expect(meds['old']).toMatchObject({ status: 'counted', mmePerDay: 20 });
    expect(meds['bup']).toMatchObject({
      status: 'excluded',
      reason: 'buprenorphine',
      mmePerDay: null,
    });
    expect(meds['nodose']).toMatchObject({
      status: 'unknown',
      reason: 'no-dosage',
      mmePerDay: null,
    });
    expect(meds['err']).toMatchObject({ status: 'excluded', reason: 'status' });
    expect(out.totalMmePerDay).toBe(110);
    expect(out.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('with --as-of counts only what is active that day', async () => {
    const out = await printed('mme', fixture('bundle.json'), '--as-of', '2026-11-21');
    expect(out.asOf).toBe('2026-11-21');
    expect(byId(out)['old']).toMatchObject({
      status: 'excluded',
      reason: 'not-active-on-as-of',
      mmePerDay: null,
    });
    expect(out.totalMmePerDay).toBe(90);
  });

  it('counts a renewed order and the statement based on it once on an --as-of day', async () => {
    const out = await printed(
      'mme',
      fixture('renewal-and-statement.json'),
      '--as-of',
      '2026-09-28',
    );
    expect(out.totalMmePerDay).toBe(30);
    expect(out.medications.map((m) => [m.id, m.status, m.reason])).toContainEqual([
      's1',
      'excluded',
      'duplicate-of-request',
    ]);
  });

  it('adds a daily timeline with --timeline FROM..TO', async () => {
    const out = await printed(
      'mme',
      fixture('bundle.json'),
      '--as-of',
      '2026-11-21',
      '--timeline',
      '2026-02-01..2026-02-05',
    );
    expect(out.timeline).toEqual([
      { date: '2026-02-01', mmePerDay: 20 },
      { date: '2026-02-02', mmePerDay: 20 },
      { date: '2026-02-03', mmePerDay: 20 },
      { date: '2026-02-04', mmePerDay: 0 },
      { date: '2026-02-05', mmePerDay: 0 },
    ]);
  });

  it('reads a single resource', async () => {
    const out = await printed('mme', fixture('single-request.json'));
    expect(out.medications).toHaveLength(1);
    expect(out.totalMmePerDay).toBe(30);
  });

  it('streams NDJSON, resolving Medications on other lines and skipping blank lines', async () => {
    const out = await printed('mme', fixture('medications.ndjson'));
    const meds = byId(out);
    expect(meds['codeine']).toMatchObject({ status: 'counted', mmePerDay: 36 });
    expect(meds['morphine-liquid']).toMatchObject({ status: 'counted', mmePerDay: 60 });
    expect(meds['ibuprofen']).toMatchObject({ status: 'excluded', reason: 'not-an-opioid' });
    expect(out.totalMmePerDay).toBe(96);
  });

  it.each([
    [
      'a missing file',
      ['mme', fixture('nope.json')],
      /^clbp mme: .*nope\.json: cannot read \(no such file or directory\)\n$/,
    ],
    [
      'a missing NDJSON file',
      ['mme', fixture('nope.ndjson')],
      /^clbp mme: .*nope\.ndjson: cannot read \(no such file or directory\)\n$/,
    ],
    [
      'bad JSON',
      ['mme', fixture('truncated-bundle.txt')],
      /^clbp mme: .*truncated-bundle\.txt: invalid JSON \(/,
    ],
    [
      'a bad NDJSON line, naming file and line',
      ['mme', fixture('bad-line.ndjson')],
      /^clbp mme: .*bad-line\.ndjson:3: invalid JSON \(/,
    ],
    [
      'JSON that is not FHIR',
      ['mme', fixture('not-fhir.json')],
      /^clbp mme: .*not-fhir\.json: not a FHIR resource/,
    ],
  ])('exits 2 with one line on %s', async (_name, argv, message) => {
    const run = await clbp(...argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('prints help with the factor source and the NLM attribution', async () => {
    const run = await clbp('mme', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('MMWR Recomm Rep 2022;71(RR-3)');
    expect(run.stdout).toContain('courtesy of the U.S. National Library of Medicine (NLM)');
  });

  it.each([
    ['no file', ['mme'], /missing <file>/],
    ['an invalid --as-of', ['mme', 'x.json', '--as-of', '2026-02-30'], /--as-of must be a date/],
    [
      'a reversed --timeline',
      ['mme', 'x.json', '--timeline', '2026-03-01..2026-02-01'],
      /--timeline must be FROM\.\.TO/,
    ],
    ['an unknown option', ['mme', 'x.json', '--verbose'], /Unknown option '--verbose'/],
  ])('exits 2 on %s, with the usage', async (_name, argv, message) => {
    const run = await clbp(...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/usage: clbp mme/);
  });
});
