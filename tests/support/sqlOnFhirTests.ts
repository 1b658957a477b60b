/**
 * The official SQL on FHIR v2 conformance tests (HL7, FHIR/sql-on-fhir-v2 `tests/`, MIT), as
 * copied into `tests/fixtures/sql-on-fhir-tests/` from the project's shared data. Tests only.
 */
import { expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ConformanceCase {
  readonly title: string;
  readonly view: unknown;
  readonly expect?: readonly Record<string, unknown>[];
  readonly expectCount?: number;
  readonly expectError?: boolean;
  readonly expectColumns?: readonly string[];
  readonly tags?: readonly string[];
}

export interface ConformanceFile {
  readonly file: string;
  readonly title: string;
  readonly resources: readonly unknown[];
  readonly tests: readonly ConformanceCase[];
}

/** The suite's files, copied into the repository (tests/fixtures/sql-on-fhir-tests/README.md). */
function testsDir(): string {
  return resolve(import.meta.dirname, '../fixtures/sql-on-fhir-tests');
}

export function conformanceFiles(): ConformanceFile[] {
  const dir = testsDir();
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== 'tests.schema.json')
    .sort()
    .map((file) => ({
      file,
      ...(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Omit<ConformanceFile, 'file'>),
    }));
}

/** Rows as sorted JSON lines: row order is not part of a view's result. */
export function canonicalRows(rows: readonly Record<string, unknown>[]): string[] {
  return rows
    .map((row) =>
      JSON.stringify(
        Object.keys(row)
          .sort()
          .map((k) => [k, row[k]]),
      ),
    )
    .sort();
}

/** Asserts one case: the error it expects, its row count, or its rows (in any order). */
export async function expectCase(
  test: ConformanceCase,
  run: () => Promise<readonly Record<string, unknown>[]>,
): Promise<void> {
  if (test.expectError === true) {
    await expect(run()).rejects.toThrow();
    return;
  }
  const rows = await run();
  if (test.expectCount !== undefined) {
    expect(rows).toHaveLength(test.expectCount);
    return;
  }
  expect(canonicalRows(rows)).toEqual(canonicalRows(test.expect ?? []));
}
