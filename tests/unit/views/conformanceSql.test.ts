/**
 * The same SQL on FHIR v2 conformance suite through the DuckDB compiler (viewSql.ts), the runner
 * `clbp outcomes` uses at scale. Pass counts per file are printed; SQL_SKIPPED lists what the SQL
 * path does not do, with the reason (the fhirpath.js runner covers those).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { AnalyticsEngine } from '../../../src/fhir/analytics/engine.ts';
import { compileViewSql } from '../../../src/fhir/views/viewSql.ts';
import type { ConformanceCase } from '../../support/sqlOnFhirTests.ts';
import { conformanceFiles, expectCase } from '../../support/sqlOnFhirTests.ts';

const DECIMAL_BOUNDARY =
  "a decimal's lowBoundary()/highBoundary() (tagged experimental in the suite) depends on the precision it was written with, which neither runner keeps (the fhirpath.js runner skips these two as well)";

const SQL_SKIPPED: Readonly<Record<string, string>> = Object.fromEntries(
  ['lowBoundary', 'highBoundary'].map((fn) => [
    `fn_boundary.json: decimal ${fn}`,
    DECIMAL_BOUNDARY,
  ]),
);

let engine: AnalyticsEngine;
let dir: string;
const passed = new Map<string, { pass: number; total: number }>();

beforeAll(async () => {
  engine = await AnalyticsEngine.open({ threads: 1 });
  dir = await mkdtemp(join(tmpdir(), 'clbp-sof-'));
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
  const lines = [...passed].map(([file, { pass, total }]) => `  ${file}: ${pass}/${total}`);
  const pass = [...passed.values()].reduce((sum, t) => sum + t.pass, 0);
  const total = conformanceFiles().reduce((sum, f) => sum + f.tests.length, 0);
  console.log(
    `SQL on FHIR conformance (DuckDB SQL runner): ${pass}/${total} pass\n${lines.join('\n')}`,
  );
});

async function rowsOf(test: ConformanceCase, source: string): Promise<Record<string, unknown>[]> {
  const compiled = compileViewSql(test.view, source);
  const rows = await engine.all(compiled.sql);
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v ?? null)]),
    ),
  );
}

describe.each(conformanceFiles())(
  'SQL on FHIR conformance in DuckDB: $file',
  ({ file, resources, tests }) => {
    const source = `(SELECT json AS resource FROM read_json_objects('${join(tmpdir(), `clbp-sof-${file}.ndjson`)}', format = 'newline_delimited'))`;
    beforeAll(async () => {
      await writeFile(
        join(tmpdir(), `clbp-sof-${file}.ndjson`),
        resources.map((r) => JSON.stringify(r)).join('\n'),
      );
    });
    for (const test of tests) {
      const skipped = SQL_SKIPPED[`${file}: ${test.title}`] !== undefined;
      // eslint-disable-next-line vitest/valid-title, vitest/expect-expect -- titles come from the suite; expectCase asserts
      it.skipIf(skipped)(test.title, async () => {
        const tally = passed.get(file) ?? { pass: 0, total: tests.length };
        passed.set(file, tally);
        await expectCase(test, () => rowsOf(test, source));
        tally.pass += 1;
      });
    }
  },
);
