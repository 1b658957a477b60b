import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientEvidence } from '../../../src/domain/outcomes/armAssignment.ts';
import { fullDayIndex } from '../../../src/domain/fhir-primitives/dates.ts';
import { OutcomeTally } from '../../../src/domain/outcomes/outcomeTable.ts';
import type { CompactRecord } from '../../../src/domain/outcomes/recordCodec.ts';
import {
  decodeLine,
  encodeMember,
  encodeRecord,
  mergeRecord,
} from '../../../src/domain/outcomes/recordCodec.ts';
import { PartitionStore, partitionsFor } from '../../../src/fhir/partitionStore.ts';
import { COHORT_GROUP_ID, generateCohort } from '../../../src/sandbox/cohort.ts';
import { runClbp } from '../../support/cli.ts';

const SMALL = fileURLToPath(new URL('../../fixtures/outcomes/small', import.meta.url));
const AS_OF = new Date('2026-11-21T17:00:00Z');

async function spillDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('clbp-spill-')).sort();
}

describe('clbp outcomes spilled to disk partitions', () => {
  let cohortDir = '';

  beforeAll(async () => {
    // A generated cohort with opioid histories and a Group: float sums over hundreds of
    // patients, which would differ in the last digits if the spilled order leaked into them.
    cohortDir = await mkdtemp(join(tmpdir(), 'clbp-spill-test-'));
    const { resources } = generateCohort({ n: 400, asOf: AS_OF, seed: 11 });
    const byType = new Map<string, string[]>();
    for (const resource of resources) {
      const lines = byType.get(resource.resourceType) ?? [];
      lines.push(JSON.stringify(resource));
      byType.set(resource.resourceType, lines);
    }
    for (const [type, lines] of byType) {
      await writeFile(join(cohortDir, `${type}.ndjson`), `${lines.join('\n')}\n`);
    }
  });

  afterAll(async () => {
    await rm(cohortDir, { recursive: true, force: true });
  });

  it.each([
    ['the small fixture', 'referral', '0', 'small'],
    ['the small fixture', 'referral', '3', 'small'],
    ['the small fixture', 'group:cohort-a', '0', 'small'],
    ['a 400-patient cohort', 'referral', '0', 'cohort'],
    ['a 400-patient cohort', 'referral', '37', 'cohort'],
    ['a 400-patient cohort', `group:${COHORT_GROUP_ID}`, '25', 'cohort'],
  ])(
    'gives %s with arms by %s, spilled after %s patients, the same JSON report as in memory',
    async (_label, armBy, spillAfter, input) => {
      const dir = input === 'small' ? SMALL : cohortDir;
      const before = await spillDirs();
      const inMemory = await runClbp(['outcomes', dir, '--format', 'json', '--arm-by', armBy]);
      const spilled = await runClbp([
        'outcomes',
        dir,
        '--format',
        'json',
        '--arm-by',
        armBy,
        '--spill-after',
        spillAfter,
      ]);
      expect(inMemory.code).toBe(0);
      expect(spilled.code).toBe(0);
      expect(spilled.stdout).toBe(inMemory.stdout);
      expect(inMemory.stderr).not.toContain('spilled');
      expect(spilled.stderr).toBe(
        `${inMemory.stderr}clbp outcomes: more than ${spillAfter} patients; their records were spilled to 16 disk partitions and tallied one partition at a time\n`,
      );
      expect(await spillDirs()).toEqual(before);
    },
  );

  it('gives the same Markdown table when spilling', async () => {
    const inMemory = await runClbp(['outcomes', cohortDir]);
    const spilled = await runClbp(['outcomes', cohortDir, '--spill-after=10']);
    expect(spilled.stdout).toBe(inMemory.stdout);
    expect(spilled.stdout).toContain('| Week 8 |');
  });

  it('removes its spill directory when it stops with an error after spilling', async () => {
    const before = await spillDirs();
    const run = await runClbp([
      'outcomes',
      cohortDir,
      '--arm-by',
      'group:not-there',
      '--spill-after',
      '0',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Group/not-there is not in the input');
    expect(await spillDirs()).toEqual(before);
  });

  it.each(['-1', '1.5', 'many', ''])('rejects --spill-after %j', async (value) => {
    const run = await runClbp(['outcomes', SMALL, '--spill-after', value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--spill-after needs a whole number of patients');
  });
});

describe('spilled record lines', () => {
  const record: CompactRecord = {
    order: 12,
    peg: [1_700_000_000_000, 123_456_789, 9_007_199_254_740_991],
    items: [],
    referralDays: undefined,
    undatedReferral: true,
    mme: [-Infinity, Infinity, Number.NaN, 20_000, 20_030, 0.1 + 0.2, -0, 5, 1e-300],
  };

  it('give back exactly the record written, NaN, infinities, -0 and absent fields included', () => {
    const key = 'Patient/odd\t"key"\nwith breaks';
    const line = encodeRecord(key, record);
    expect(line).not.toContain('\n');
    const decoded = decodeLine(line);
    expect(decoded).toEqual({ kind: 'record', key, record });
    expect(decoded.kind === 'record' && Object.is(decoded.record.mme?.[6], -0)).toBe(true);
    expect(decodeLine(encodeMember(key))).toEqual({ kind: 'member', key });
  });

  it('merge a later spill of the same patient after the earlier one', () => {
    const earlier: CompactRecord = { ...record, order: 3, peg: [1, 2], mme: undefined };
    mergeRecord(earlier, { ...record, order: 40, peg: [3], referralDays: [7] });
    expect(earlier.order).toBe(3);
    expect(earlier.peg).toEqual([1, 2, 3]);
    expect(earlier.referralDays).toEqual([7]);
    expect(earlier.mme).toEqual(record.mme);
  });

  it('reject a line that is not a spilled record', () => {
    expect(() => decodeLine('{"resourceType":"Patient"}')).toThrow(/not a spilled outcome record/);
  });
});

describe('disk partitions', () => {
  it.each([
    [0, 16],
    [8 * 1024 * 1024 * 16, 16],
    [8 * 1024 * 1024 * 16 + 1, 32],
    [950_000_000, 128],
    [1e13, 1024],
  ])('use %d bytes of input to choose %d partitions', (bytes, partitions) => {
    expect(partitionsFor(bytes)).toBe(partitions);
  });

  it('give back every line of a key from its one partition, in the order written', async () => {
    const store = await PartitionStore.create(4, 'clbp-spill-unit-');
    try {
      const written = new Map<string, string[]>();
      for (let i = 0; i < 2_000; i += 1) {
        const key = `Patient/${String(i % 97)}`;
        await store.write(key, `${key} line ${String(i)}`);
        written.set(key, [...(written.get(key) ?? []), `${key} line ${String(i)}`]);
      }
      await store.flush();
      const read = new Map<string, string[]>();
      for (let partition = 0; partition < store.partitions; partition += 1) {
        for await (const line of store.read(partition)) {
          const key = line.split(' ')[0] ?? '';
          expect(store.partitionOf(key)).toBe(partition);
          read.set(key, [...(read.get(key) ?? []), line]);
        }
      }
      expect(read).toEqual(written);
    } finally {
      await store.remove();
    }
    expect(await readdir(tmpdir())).not.toContain(store.directory.split('/').pop());
  });
});

describe('the outcome table from patients arriving out of stream order', () => {
  const base = fullDayIndex('2025-01-06') ?? 0;
  /** Change scores chosen so that their float sum depends on the order of addition. */
  const patients: PatientEvidence[] = [0.1, 0.7, 0.2, 1e-3, 9.9, 0.3, 3.3, 0.6, 7.1, 0.05].map(
    (drop, i) => ({
      pegs: [
        { day: base, score: 10 - (i % 3) / 3 },
        { day: base + 56, score: 10 - (i % 3) / 3 - drop },
      ],
      referralDays: [],
      undatedReferral: false,
      inGroup: i % 2 === 0,
      mmeOnDay: (day: number) => (day === base ? 30 + i / 7 : 10 + i / 3),
    }),
  );

  it('is the table of the patients added in stream order, to the last digit', () => {
    const mode = { kind: 'group', groupId: 'g' } as const;
    const inOrder = new OutcomeTally(mode);
    patients.forEach((p) => {
      inOrder.add(p);
    });
    const shuffled = new OutcomeTally(mode);
    for (const i of [7, 2, 9, 0, 4, 1, 8, 3, 6, 5]) {
      const patient = patients[i];
      if (patient !== undefined) {
        shuffled.add(patient, i);
      }
    }
    expect(JSON.stringify(shuffled.report())).toBe(JSON.stringify(inOrder.report()));
  });
});
