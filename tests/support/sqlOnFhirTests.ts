/**
 * The official SQL on FHIR v2 conformance tests (HL7, FHIR/sql-on-fhir-v2 `tests/`), read from
 * the shared data folder beside the repository (`../shared/data/sql-on-fhir-tests/`, as CI lays
 * it out; a worktree one level deeper finds it one folder further up). Tests only.
 */
import { expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

function testsDir(): string {
  let dir = resolve(import.meta.dirname, '../..');
  for (let up = 0; up < 4; up += 1) {
    const candidate = join(dir, '..', 'shared', 'data', 'sql-on-fhir-tests');
    if (existsSync(candidate)) {
      return candidate;
    }
    dir = dirname(dir);
  }
  throw new Error('shared/data/sql-on-fhir-tests not found beside the repository');
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
