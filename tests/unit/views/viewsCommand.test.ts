import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/clbp.ts';

async function clbp(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe('clbp views', () => {
  it('lists every view with its resource type', async () => {
    const { code, stdout } = await clbp(['views']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/clbp_peg_observation\s+Observation/);
    expect(stdout).toMatch(/clbp_referral\s+ServiceRequest/);
  });

  it('prints a ViewDefinition exactly as shipped in views/', async () => {
    const { code, stdout } = await clbp(['views', 'clbp_peg_observation']);
    const shipped = await readFile(
      resolve(import.meta.dirname, '../../../views/clbp_peg_observation.json'),
      'utf8',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(shipped));
  });

  it('prints the DuckDB SQL a view compiles to', async () => {
    const { code, stdout } = await clbp(['views', 'clbp_referral', '--sql']);
    expect(code).toBe(0);
    expect(stdout).toContain('CREATE OR REPLACE MACRO fp_arr');
    expect(stdout).toMatch(/SELECT .* AS "referral_key"/);
  });

  it('prints all views as one JSON array for another SQL on FHIR engine', async () => {
    const { stdout } = await clbp(['views', '--all']);
    const views = JSON.parse(stdout) as { resourceType: string }[];
    expect(views.length).toBeGreaterThanOrEqual(10);
    expect(new Set(views.map((v) => v.resourceType))).toEqual(new Set(['ViewDefinition']));
  });

  it('names the views when asked for one that does not exist', async () => {
    const { code, stderr } = await clbp(['views', 'clbp_nothing']);
    expect(code).toBe(2);
    expect(stderr).toContain("no view 'clbp_nothing' (one of clbp_patient,");
  });

  it.each([
    [['views', '--sql'], '--sql needs a view name'],
    [['views', '--all', '--sql'], '--all prints every ViewDefinition as JSON'],
    [['views', '--all', 'clbp_referral'], '--all prints every ViewDefinition as JSON'],
  ])(
    'refuses %j rather than ignore a flag (exit 2, one line and the usage)',
    async (argv, says) => {
      const { code, stdout, stderr } = await clbp(argv);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`clbp views: ${says}`);
      expect(stderr).toContain('usage: clbp views');
    },
  );
});
