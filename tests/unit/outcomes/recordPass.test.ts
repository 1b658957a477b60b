/**
 * The first pass of clbp outcomes reads large inputs in two worker threads; they must find exactly
 * what one thread finds: the same records for the same patients, the same counts, the same
 * malformed lines, the Group's members.
 */
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sumCounts } from '../../../src/domain/outcomes/patientEvidence.ts';
import type { PassPart } from '../../../src/fhir/analytics/recordPass.ts';
import { readAllRecords, shareOut } from '../../../src/fhir/analytics/recordPass.ts';
import { PEG_QUESTIONNAIRE } from '../../../src/fhir/questionnaires.ts';
import { COHORT_GROUP_ID } from '../../../src/sandbox/cohort.ts';
import { cohortLinesByType, writeByType } from '../../support/cohortNdjson.ts';

let dir: string;
let files: string[] = [];
/** The line number of a bad line near the end of the QuestionnaireResponses. */
let lateBadLine = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clbp-record-pass-'));
  const byType = cohortLinesByType(80, 3);
  // A bad line in the middle of the Observations, as a file from a broken export would have.
  byType.get('Observation')?.splice(5, 0, '{"resourceType": "Observation", "status": ');
  // And one late in the largest file, which the two threads share (cut by bytes).
  const responses = byType.get('QuestionnaireResponse') ?? [];
  lateBadLine = responses.length - 2;
  responses.splice(lateBadLine - 1, 0, '{"resourceType": "QuestionnaireResponse", ');
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
      expect.objectContaining({
        file: join(dir, 'QuestionnaireResponse.ndjson'),
        line: lateBadLine,
      }),
    ]);
    expect(two.parts.flatMap((p) => p.members).sort()).toEqual(
      [...(one.parts[0]?.members ?? [])].sort(),
    );
    expect(one.parts[0]?.members.length).toBeGreaterThan(20);
  });
});

describe('sharing the input out between the two threads', () => {
  it('gives each about half the bytes, in the input order, cutting an NDJSON file where needed', async () => {
    const [first = [], second = []] = await shareOut(files, 2);
    const bytes = async (pieces: typeof first): Promise<number> => {
      let n = 0;
      for (const piece of pieces) {
        n +=
          piece.range === undefined
            ? (await stat(piece.file)).size
            : piece.range.end - piece.range.start;
      }
      return n;
    };
    const [a, b] = [await bytes(first), await bytes(second)];
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
    const cut = first.at(-1);
    expect(cut?.range).toBeDefined();
    expect(second[0]).toEqual({
      file: cut?.file,
      range: { start: cut?.range?.end, end: (await stat(cut?.file ?? '')).size },
    });
    expect([...first, ...second].map((piece) => piece.file)).toEqual(
      files.flatMap((file) => (file === cut?.file ? [file, file] : [file])),
    );
  });
});
