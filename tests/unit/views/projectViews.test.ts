/**
 * The project's ViewDefinitions give the same rows through both runners (fhirpath.js resource by
 * resource, and the DuckDB SQL that `clbp outcomes` runs) on the sandbox's patients and on a
 * generated research cohort; and their constants are the domain's codes, not copies that drift.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINDFULNESS_GMV_CODE, PATHWAY_CODE_SYSTEM } from '../../../src/domain/codes/canonical.ts';
import { LOINC_SYSTEM } from '../../../src/domain/fhir-primitives/codings.ts';
import { PEG_ITEMS, PEG_SCORE_LOINC } from '../../../src/domain/peg/peg.ts';
import { AnalyticsEngine } from '../../../src/fhir/analytics/engine.ts';
import { PROJECT_VIEWS, projectView } from '../../../src/fhir/views/projectViews.ts';
import { runView } from '../../../src/fhir/views/runView.ts';
import { compileViewSql } from '../../../src/fhir/views/viewSql.ts';
import { generateCohort } from '../../../src/sandbox/cohort.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';
import { canonicalRows } from '../../support/sqlOnFhirTests.ts';

const AS_OF = new Date('2026-11-21T12:00:00-07:00');
const resources: unknown[] = [
  ...generateSeed({ asOf: AS_OF }).resources,
  ...generateCohort({ n: 150, asOf: AS_OF }).resources,
];

let engine: AnalyticsEngine;
let dir: string;
let source: string;

beforeAll(async () => {
  engine = await AnalyticsEngine.open({ threads: 1 });
  dir = await mkdtemp(join(tmpdir(), 'clbp-views-'));
  const file = join(dir, 'all.ndjson');
  await writeFile(file, resources.map((r) => JSON.stringify(r)).join('\n'));
  source = AnalyticsEngine.ndjsonSource([file]);
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

function plain(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : (v ?? null)]),
    ),
  );
}

describe('the project views', () => {
  it.each(PROJECT_VIEWS.map((view) => [view.name, view] as const))(
    '%s gives the same rows in DuckDB SQL as in fhirpath.js',
    async (_name, view) => {
      const expected = runView(view, resources);
      const actual = plain(await engine.all(compileViewSql(view, source).sql));
      expect(expected.length).toBeGreaterThan(0);
      expect(canonicalRows(actual)).toEqual(canonicalRows(expected));
    },
  );

  it('use the PEG and programme codes of the domain tables', () => {
    const constants = (name: string): Record<string, unknown> =>
      Object.fromEntries(
        (projectView(name)?.constant ?? []).map((c) => [c.name, c.valueUri ?? c.valueCode]),
      );
    const peg = {
      loinc: LOINC_SYSTEM,
      score: PEG_SCORE_LOINC,
      pain: PEG_ITEMS[0]?.loinc,
      enjoyment: PEG_ITEMS[1]?.loinc,
      activity: PEG_ITEMS[2]?.loinc,
    };
    expect(constants('clbp_peg_observation')).toEqual(peg);
    expect(constants('clbp_peg_questionnaire_item')).toEqual(peg);
    expect(constants('clbp_referral')).toEqual({
      pathway: PATHWAY_CODE_SYSTEM,
      service: MINDFULNESS_GMV_CODE,
    });
  });
});
