/**
 * One pathway, told the same way everywhere: every sandbox patient and a generated cohort go
 * through the app's domain path (its summary searches over HTTP → chartFromSummary →
 * evaluatePathway) and the CLI's (`clbp bulk` → NDJSON → `clbp pathway`), and both must give the
 * same state, baseline, scores, verdicts, follow-ups and next action for every patient.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluatePathway } from '../../src/domain/pathway/pathway.ts';
import { pathwayRecord, type PathwayRecord } from '../../src/domain/pathway/record.ts';
import { createBackendAuth, parsePrivateJwk } from '../../src/fhir/bulk/backendAuth.ts';
import { ANALYSIS_TYPES, systemScopes } from '../../src/fhir/bulk/bulkClient.ts';
import { chartFromSummary } from '../../src/fhir/pathwayChart.ts';
import { SUMMARY_KEYS, SUMMARY_REQUESTS } from '../../src/fhir/summary.ts';
import { createTransport } from '../../src/fhir/transport.ts';
import { startSandbox } from '../../src/sandbox/server.ts';
import { bulkExportAll, RESEARCH_KEY_FILE, runClbp } from '../support/cli.ts';
import type { Sandbox } from './harness/sandbox.ts';
import { E2E_AS_OF } from './harness/sandbox.ts';

const COHORT = 120;
/** The clinic's day both paths evaluate on: the sandbox's seed day, at local noon. */
const AS_OF = new Date(E2E_AS_OF.getFullYear(), E2E_AS_OF.getMonth(), E2E_AS_OF.getDate(), 12);
const AS_OF_DAY = `${String(AS_OF.getFullYear())}-${String(AS_OF.getMonth() + 1).padStart(2, '0')}-${String(AS_OF.getDate()).padStart(2, '0')}`;

let sandbox: Sandbox;
let out: string;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, appPort: 0, asOf: E2E_AS_OF, cohort: COHORT });
  out = await mkdtemp(join(tmpdir(), 'clbp-crosscheck-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(out, { recursive: true, force: true });
});

/** The app's path: its own summary searches for one patient, then the domain pathway. */
async function appRecord(
  patientId: string,
  transport: ReturnType<typeof createTransport>,
): Promise<PathwayRecord> {
  const read: Record<string, unknown> = {};
  await Promise.all(
    SUMMARY_KEYS.map(async (key) => {
      read[key] = await SUMMARY_REQUESTS[key].run(transport, patientId);
    }),
  );
  return pathwayRecord(patientId, evaluatePathway(chartFromSummary(read, true), AS_OF));
}

describe('the pathway is the same in the app and in clbp pathway', () => {
  it('gives every sandbox and cohort patient the same state, baseline, scores and verdicts', async () => {
    const data = join(out, 'export');
    const bulk = await bulkExportAll(sandbox.fhirBase, data);
    expect(bulk.code).toBe(0);
    const cli = await runClbp(['pathway', data, '--as-of', AS_OF_DAY]);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const panel = JSON.parse(cli.stdout) as { asOf: string; patients: PathwayRecord[] };
    expect(panel.asOf).toBe(AS_OF_DAY);
    const byId = new Map(panel.patients.map((p) => [p.id, p]));
    expect(byId.size).toBe(sandbox.patients.length + COHORT);

    const auth = createBackendAuth({
      fhirBase: sandbox.fhirBase,
      clientId: 'clbp-research',
      privateKey: parsePrivateJwk(await readFile(RESEARCH_KEY_FILE, 'utf8'), RESEARCH_KEY_FILE),
      scope: systemScopes(ANALYSIS_TYPES),
    });
    const transport = createTransport({ baseUrl: sandbox.fhirBase, auth });
    const states = new Set<string>();
    for (const id of [...byId.keys()].sort()) {
      const app = await appRecord(id, transport);
      expect(app).toEqual(byId.get(id));
      states.add(app.state);
    }
    // The comparison covers the pathway, not one corner of it.
    expect([...states].sort()).toEqual(
      expect.arrayContaining([
        'completed',
        'follow-up-due',
        'in-programme',
        'needs-evaluation',
        'not-eligible',
        'not-screened',
      ]),
    );
  }, 120_000);
});
