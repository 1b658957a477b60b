/**
 * The bulk client against the real sandbox (in-process, port 0): a full export, an interrupted
 * and resumed one, a failing status poll, an expiring backend token, and the job's deletion.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackendAuth } from '../../../src/fhir/bulk/backendAuth.ts';
import type { BulkExportOptions } from '../../../src/fhir/bulk/bulkClient.ts';
import { ANALYSIS_TYPES, runBulkExport, systemScopes } from '../../../src/fhir/bulk/bulkClient.ts';
import type { BulkEvent } from '../../../src/fhir/bulk/events.ts';
import {
  EXPORT_RECORD_FILE,
  readExportTransactionTime,
  readJobState,
  STATE_FILE,
} from '../../../src/fhir/bulk/jobState.ts';
import type { Sandbox } from '../../../src/sandbox/server.ts';
import type { CountingFetch } from './support.ts';
import { CLIENT_ID, countingFetch, PRIVATE_KEY, startBulkSandbox } from './support.ts';

const FILE_URL = /^GET .*\/bulk-files\//;
const KICK_OFF = /^GET .*\$export/;

let sandbox: Sandbox;
let out: string;

beforeAll(async () => {
  sandbox = await startBulkSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(async () => {
  sandbox.faults.reset();
  await rm(out, { recursive: true, force: true });
});

async function options(
  counter: CountingFetch,
  events: BulkEvent[],
  extra: Partial<BulkExportOptions> = {},
): Promise<BulkExportOptions> {
  out = await mkdtemp(join(tmpdir(), 'clbp-bulk-'));
  const onEvent = (e: BulkEvent): void => {
    events.push(e);
  };
  return {
    fhirBase: sandbox.fhirBase,
    level: { kind: 'patient' },
    types: ANALYSIS_TYPES,
    outDir: out,
    fetch: counter.fetch,
    auth: createBackendAuth({
      fhirBase: sandbox.fhirBase,
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY,
      scope: systemScopes(ANALYSIS_TYPES),
      fetch: counter.fetch,
      onEvent,
    }),
    onEvent,
    backoffMs: 20,
    ...extra,
  };
}

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
}

describe('a Patient-level export of the research cohort', () => {
  it('downloads every manifest file with as many resources as the manifest counts, then deletes the job', async () => {
    const counter = countingFetch();
    const events: BulkEvent[] = [];
    const result = await runBulkExport(await options(counter, events));

    const manifest = events.find((e) => e.type === 'manifest');
    expect(manifest?.type === 'manifest' && manifest.files.map((f) => f.type)).toEqual(
      ANALYSIS_TYPES,
    );
    for (const file of manifest?.type === 'manifest' ? manifest.files : []) {
      const name = result.files.find((f) => f.type === file.type)?.name ?? '';
      expect(await lines(join(out, name))).toHaveLength(file.count ?? -1);
    }
    const patients = (await lines(join(out, 'Patient.001.ndjson'))).map(
      (l) => (JSON.parse(l) as { id: string }).id,
    );
    expect(patients).toContain('cohort-0000020');
    expect(patients).toContain('clbp-eligible');
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    expect(await readdir(out)).not.toContain(STATE_FILE);
    // What the data stand for stays beside them, for clbp outcomes' as-of day.
    expect(await readExportTransactionTime(out)).toBe(result.transactionTime);
    expect((await stat(join(out, EXPORT_RECORD_FILE))).mode & 0o777).toBe(0o600);

    const deleted = events.find((e) => e.type === 'deleted');
    expect(deleted).toBeDefined();
    const statusUrl = deleted?.type === 'deleted' ? deleted.statusUrl : '';
    const token = await createBackendAuth({
      fhirBase: sandbox.fhirBase,
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY,
      scope: 'system/Patient.rs',
    }).token();
    const after = await fetch(statusUrl, { headers: { Authorization: `Bearer ${token}` } });
    expect(after.status).toBe(404);
  });

  it('resumes an interrupted export without a new kick-off or fetching a completed file again', async () => {
    const counter = countingFetch();
    const events: BulkEvent[] = [];
    const controller = new AbortController();
    const first = await options(counter, events, {
      concurrency: 1,
      signal: controller.signal,
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'download-complete') {
          controller.abort(new Error('test interruption'));
        }
      },
    });
    await expect(runBulkExport(first)).rejects.toThrow('test interruption');
    const state = await readJobState(out);
    expect(Object.values(state?.completed ?? {})).toEqual(['Patient.001.ndjson']);
    const patientUrl = Object.keys(state?.completed ?? {})[0] ?? '';
    expect((await readdir(out)).filter((n) => n.endsWith('.part'))).toEqual([]);

    const result = await runBulkExport({
      ...first,
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
    });

    expect(counter.count(KICK_OFF)).toBe(1);
    expect(counter.calls.filter((c) => c === `GET ${patientUrl}`)).toHaveLength(1);
    expect(counter.count(FILE_URL)).toBe(result.files.length);
    expect(events).toContainEqual({ type: 'download-skipped', file: 'Patient.001.ndjson' });
    expect(events.some((e) => e.type === 'resumed' && e.completedFiles === 1)).toBe(true);
    expect(events.some((e) => e.type === 'deleted')).toBe(true);
  });

  it('starts a new job when the one in the state file no longer exists on the server', async () => {
    const counter = countingFetch();
    const events: BulkEvent[] = [];
    const controller = new AbortController();
    const o = await options(counter, events, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'kick-off') {
          controller.abort(new Error('stop after kick-off'));
        }
      },
    });
    await expect(runBulkExport(o)).rejects.toThrow('stop after kick-off');
    const gone = (await readJobState(out))?.statusUrl ?? '';
    const token = await o.auth.token();
    expect(
      (await fetch(gone, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(202);

    await runBulkExport({
      ...o,
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
    });

    expect(events).toContainEqual({ type: 'job-gone', statusUrl: gone, removedFiles: 0 });
    expect(counter.count(KICK_OFF)).toBe(2);
  });

  it('deletes the dropped job’s files before the new job, so the folder never mixes two exports', async () => {
    const counter = countingFetch();
    const events: BulkEvent[] = [];
    const controller = new AbortController();
    const first = await options(counter, events, {
      concurrency: 1,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'download-complete') {
          controller.abort(new Error('test interruption'));
        }
      },
    });
    await expect(runBulkExport(first)).rejects.toThrow('test interruption');
    const old = await readJobState(out);
    expect(Object.values(old?.completed ?? {})).toEqual(['Patient.001.ndjson']);
    // What an older, larger job would also have left: a finished file the new job will not
    // produce, an interrupted one, and an error file.
    await writeFile(join(out, 'Observation.009.ndjson'), '{"resourceType":"Observation"}\n');
    await writeFile(join(out, 'Condition.002.ndjson.part'), '{"resourceType":"Cond');
    await mkdir(join(out, 'errors'), { recursive: true });
    await writeFile(join(out, 'errors', 'OperationOutcome.001.ndjson'), '{}\n');
    await writeFile(join(out, 'README.txt'), 'the researcher’s own notes\n');
    const token = await first.auth.token();
    await fetch(old?.statusUrl ?? '', {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${token}` },
    });

    const result = await runBulkExport({
      ...first,
      signal: new AbortController().signal,
      onEvent: (e) => events.push(e),
    });

    expect(events).toContainEqual({
      type: 'job-gone',
      statusUrl: old?.statusUrl ?? '',
      removedFiles: 4,
    });
    const left = (await readdir(out)).filter((n) => n !== 'errors').sort();
    expect(left).toEqual(
      [...result.files.map((f) => f.name), 'README.txt', EXPORT_RECORD_FILE].sort(),
    );
    expect(await readdir(join(out, 'errors'))).toEqual([]);
    // Every file, the Patient one included, is the new job's: fetched again from its URLs.
    expect(result.files.every((f) => f.downloaded !== undefined)).toBe(true);
    expect(events.some((e) => e.type === 'download-skipped')).toBe(false);
  });

  it('retries status polls that fail with 503 and still completes', async () => {
    sandbox.faults.failNext({ status: 503, method: 'GET', match: /bulk-status/, times: 2 });
    const events: BulkEvent[] = [];
    const result = await runBulkExport(await options(countingFetch(), events));
    const retries = events.flatMap((e) =>
      e.type === 'retry' ? [[e.what, e.status, e.attempt]] : [],
    );
    expect(retries).toEqual([
      ['status poll', 503, 1],
      ['status poll', 503, 2],
    ]);
    expect(result.files.length).toBeGreaterThan(5);
  });

  it('gets a new token when the server refuses the current one with 401, and carries on', async () => {
    const events: BulkEvent[] = [];
    const o = await options(countingFetch(), events, { types: ['Patient'] });
    let handedOut = 0;
    const auth = {
      token: async () =>
        handedOut++ === 0 ? 'a-token-the-server-no-longer-accepts' : o.auth.token(),
      renew: async (rejected: string | undefined) => o.auth.renew?.(rejected),
    };
    const result = await runBulkExport({ ...o, auth });
    expect(events.filter((e) => e.type === 'token-renewed')).toEqual([
      { type: 'token-renewed', reason: 'rejected' },
    ]);
    expect(result.files.map((f) => f.name)).toEqual(['Patient.001.ndjson']);
  });

  it('gives up with one line naming the status and the server message when the kick-off is refused', async () => {
    const o = await options(countingFetch(), [], {
      level: { kind: 'group', groupId: 'no-such-group' },
    });
    await expect(runBulkExport(o)).rejects.toThrow(
      'export kick-off failed: HTTP 404 (Group/no-such-group does not exist on this server',
    );
  });

  it('exports only the Group members’ data at Group level', async () => {
    const o = await options(countingFetch(), [], {
      level: { kind: 'group', groupId: 'clbp-cohort-referred' },
      types: ['Patient', 'ServiceRequest', 'Group'],
    });
    await runBulkExport(o);
    const group = JSON.parse((await lines(join(out, 'Group.001.ndjson')))[0] ?? '{}') as {
      member: { entity: { reference: string } }[];
    };
    const members = group.member.map((m) => m.entity.reference.replace('Patient/', '')).sort();
    const patients = (await lines(join(out, 'Patient.001.ndjson')))
      .map((l) => (JSON.parse(l) as { id: string }).id)
      .sort();
    expect(patients).toEqual(members);
    const subjects = (await lines(join(out, 'ServiceRequest.001.ndjson'))).map(
      (l) => (JSON.parse(l) as { subject: { reference: string } }).subject.reference,
    );
    expect(subjects.every((s) => members.includes(s.replace('Patient/', '')))).toBe(true);
  });
});

describe('a slow export with one-second backend tokens', () => {
  let slow: Sandbox;
  beforeAll(async () => {
    slow = await startBulkSandbox({ SANDBOX_TOKEN_TTL_S: '1', SANDBOX_EXPORT_STEP_MS: '400' }, 5);
  });
  afterAll(async () => {
    await slow.close();
  });

  it('gets a new token when the old one expires and finishes the export', async () => {
    const counter = countingFetch();
    const events: BulkEvent[] = [];
    const o = await options(counter, events);
    const auth = createBackendAuth({
      fhirBase: slow.fhirBase,
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY,
      scope: systemScopes(ANALYSIS_TYPES),
      fetch: counter.fetch,
    });
    const result = await runBulkExport({ ...o, fhirBase: slow.fhirBase, auth });
    expect(counter.count(/^POST .*\/auth\/token$/)).toBeGreaterThanOrEqual(3);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    expect(result.files.map((f) => f.type)).toContain('Observation');
  }, 30_000);
});
