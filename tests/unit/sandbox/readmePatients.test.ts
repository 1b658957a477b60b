import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TABLE_HEADER, patientTableRows } from '../../../src/sandbox/seed/patientTable.ts';

const README = readFileSync(resolve(import.meta.dirname, '../../../README.md'), 'utf8');

/** The cells of the README table whose header row starts with `| id `. */
function readmeTable(): string[][] {
  const lines = README.split('\n');
  const start = lines.findIndex((l) => /^\|\s*id\s*\|\s*scenario\s*\|/.test(l));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith('|')) {
      break;
    }
    rows.push(
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
  }
  return rows.filter((_, i) => i !== 1);
}

describe("the README's sandbox patient table", () => {
  it.each([new Date('2026-03-16T21:00:00Z'), new Date('2027-07-01T15:00:00Z')])(
    'says what the pathway function says for every sandbox patient (seed of %s)',
    (asOf) => {
      expect(readmeTable()).toEqual([[...TABLE_HEADER], ...patientTableRows(asOf)]);
    },
  );
});
