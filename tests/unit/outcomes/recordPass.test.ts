/**
 * The first pass of clbp outcomes reads large inputs in two worker threads; they must find exactly
 * what one thread finds: the same records for the same patients, the same counts, the same
 * malformed lines, the Group's members.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumCounts } from '../../../src/domain/outcomes/patientEvidence.ts';
import type { PassPart } from '../../../src/fhir/analytics/recordPass.ts';
import { readAllRecords } from '../../../src/fhir/analytics/recordPass.ts';
import { PEG_QUESTIONNAIRE } from '../../../src/fhir/questionnaires.ts';
import { COHORT_GROUP_ID } from '../../../src/sandbox/cohort.ts';
import { cohortLinesByType, writeByType } from '../../support/cohortNdjson.ts';

let dir: string;
let files: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-record-pass-'));
  const byType = cohortLinesByType(80, 3);
  // A bad line in the middle of the Observations, as a file from a broken export would have.
  byType.get('Observation')?.splice(5, 0, '{"resourceType": "Observation", "status": ');
  files = await writeByType(dir, byType);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pass(
  out: string,
  threshold: number,
): Promise<{ parts: PassPart[]; lines: string[] }> {
  const outDir = join(dir, out);
  await mkdir(outDir);
  const { parts, recordFiles } = await readAllRecords(
    files,
    [PEG_QUESTIONNAIRE as unknown as Record<string, unknown>],
    COHORT_GROUP_ID,
    outDir,
    threshold,
  );
  const lines = (await Promise.all(recordFiles.map((file) => readFile(file, 'utf8'))))
    .flatMap((text) => text.split('\n'))
    .filter((line) => line !== '')
    .sort();
  return { parts, lines };
}

describe('the first pass of clbp outcomes in two worker threads', () => {
  it('writes the same records, counts, malformed lines and Group members as one thread', async () => {
    const one = await pass('one', Number.POSITIVE_INFINITY);
    const two = await pass('two', 0);
    expect(one.parts).toHaveLength(1);
    expect(two.parts).toHaveLength(2);
    expect(two.lines).toEqual(one.lines);
    expect(one.lines.some((line) => line.includes('"kind":"peg"'))).toBe(true);
    expect(sumCounts(two.parts.map((p) => p.counts))).toEqual(
      sumCounts(one.parts.map((p) => p.counts)),
    );
    const total = (parts: PassPart[], pick: (p: PassPart) => number): number =>
      parts.reduce((n, p) => n + pick(p), 0);
    expect(total(two.parts, (p) => p.resources)).toBe(total(one.parts, (p) => p.resources));
    expect(two.parts.flatMap((p) => p.malformed)).toEqual(one.parts[0]?.malformed);
    expect(one.parts[0]?.malformed).toEqual([
      expect.objectContaining({ file: join(dir, 'Observation.ndjson'), line: 6 }),
    ]);
    expect(two.parts.flatMap((p) => p.members).sort()).toEqual(
      [...(one.parts[0]?.members ?? [])].sort(),
    );
    expect(one.parts[0]?.members.length).toBeGreaterThan(20);
  });
});
