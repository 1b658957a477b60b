/**
 * `clbp bulk` through main(argv), and the sandbox's $export rules a client must meet, against the
 * real sandbox on port 0.
 */
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runClbp } from '../../support/cli.ts';
import { createBackendAuth } from '../../../src/fhir/bulk/backendAuth.ts';
import type { Sandbox } from '../../../src/sandbox/server.ts';
import { CLIENT_ID, KEY_FILE, PRIVATE_KEY, startBulkSandbox } from './support.ts';

let sandbox: Sandbox;
let out: string;

beforeAll(async () => {
  sandbox = await startBulkSandbox({}, 5);
  out = await mkdtemp(join(tmpdir(), 'clbp-bulk-cli-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(out, { recursive: true, force: true });
});

const clbp = runClbp;

describe('clbp bulk', () => {
  it('exports the chosen types into NDJSON files and reports each file on stderr', async () => {
    const dir = join(out, 'run');
    const r = await clbp([
      'bulk',
      '--fhir',
      sandbox.fhirBase,
      '--patient-level',
      '--client-id',
      CLIENT_ID,
      '--key',
      KEY_FILE,
      '--out',
      dir,
      '--type',
      'Patient,Condition',
    ]);
    expect(r.code).toBe(0);
    expect((await readdir(dir)).sort()).toEqual([
      'Condition.001.ndjson',
      'Patient.001.ndjson',
      'bulk-export.manifest',
    ]);
    expect(r.stderr).toMatch(/Patient\.001\.ndjson {2}\d+ resources/);
    expect(r.stderr).toContain('export job deleted on the server');
    // Patient data: readable by the researcher only.
    expect((await stat(join(dir, 'Patient.001.ndjson'))).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace a finished export unless --force, asking the server nothing', async () => {
    const dir = join(out, 'twice');
    const args = [
      'bulk',
      '--fhir',
      sandbox.fhirBase,
      '--patient-level',
      '--client-id',
      CLIENT_ID,
      '--key',
      KEY_FILE,
      '--out',
      dir,
      '--type',
      'Patient',
    ];
    expect((await clbp(args)).code).toBe(0);
    const first = await readFile(join(dir, 'Patient.001.ndjson'), 'utf8');
    const again = await clbp(args);
    expect([again.code, again.stderr]).toEqual([
      2,
      `clbp bulk: ${dir} already holds an export (1 file(s)); use another --out, or --force to replace it\n`,
    ]);
    expect(await readFile(join(dir, 'Patient.001.ndjson'), 'utf8')).toBe(first);
    const forced = await clbp([...args, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain('export started');
  });

  it.each([
    [['--patient-level', '--group', 'g'], 'give exactly one of --group <id> and --patient-level'],
    [['--patient-level', '--type', 'patient'], "--type: 'patient' is not a resource type name"],
    [['--patient-level', '--since', 'yesterday'], '--since must be an instant'],
  ])('refuses %j with exit 2', async (extra, message) => {
    const r = await clbp([
      'bulk',
      '--fhir',
      sandbox.fhirBase,
      '--client-id',
      CLIENT_ID,
      '--key',
      KEY_FILE,
      '--out',
      out,
      ...extra,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('fails with one line when the client is not registered', async () => {
    const r = await clbp([
      'bulk',
      '--fhir',
      sandbox.fhirBase,
      '--patient-level',
      '--client-id',
      'someone-else',
      '--key',
      KEY_FILE,
      '--out',
      join(out, 'refused'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^clbp bulk: the token endpoint \(client someone-else\) failed: HTTP 401 \(invalid_client/,
      ),
    ]);
  });
});

describe('the sandbox $export endpoint', () => {
  async function token(): Promise<string> {
    return createBackendAuth({
      fhirBase: sandbox.fhirBase,
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY,
      scope: 'system/Patient.rs',
    }).token();
  }

  it('requires Prefer: respond-async', async () => {
    const r = await fetch(`${sandbox.fhirBase}/Patient/$export?_type=Patient`, {
      headers: { Authorization: `Bearer ${await token()}` },
    });
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('Prefer: respond-async');
  });

  it('refuses types the token cannot read', async () => {
    const r = await fetch(`${sandbox.fhirBase}/Patient/$export?_type=Patient,Observation`, {
      headers: { Authorization: `Bearer ${await token()}`, Prefer: 'respond-async' },
    });
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('do not allow reading Observation');
  });

  it('advertises the Patient and Group $export operations in its CapabilityStatement', async () => {
    const statement = (await (await fetch(`${sandbox.fhirBase}/metadata`)).json()) as {
      rest: { resource: { type: string; operation?: { definition: string }[] }[] }[];
    };
    const operations = (statement.rest[0]?.resource ?? []).flatMap((r) =>
      (r.operation ?? []).map((o) => `${r.type} ${o.definition}`),
    );
    expect(operations).toEqual([
      'Group http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export',
      'Patient http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
    ]);
  });

  it('exports nothing changed after _since', async () => {
    const auth = `Bearer ${await token()}`;
    const kickOff = await fetch(
      `${sandbox.fhirBase}/Patient/$export?_type=Patient&_since=2100-01-01T00:00:00Z`,
      { headers: { Authorization: auth, Prefer: 'respond-async' } },
    );
    const status = kickOff.headers.get('content-location') ?? '';
    let r = await fetch(status, { headers: { Authorization: auth } });
    while (r.status === 202) {
      await new Promise((done) => setTimeout(done, 100));
      r = await fetch(status, { headers: { Authorization: auth } });
    }
    expect(((await r.json()) as { output: unknown[] }).output).toEqual([]);
  });

  it('serves files only with a token', async () => {
    const auth = `Bearer ${await token()}`;
    const kickOff = await fetch(`${sandbox.fhirBase}/Patient/$export?_type=Patient`, {
      headers: { Authorization: auth, Prefer: 'respond-async' },
    });
    expect(kickOff.status).toBe(202);
    const status = kickOff.headers.get('content-location') ?? '';
    const progress: (string | null)[] = [];
    let r = await fetch(status, { headers: { Authorization: auth } });
    while (r.status === 202) {
      progress.push(r.headers.get('x-progress'));
      await new Promise((done) => setTimeout(done, 100));
      r = await fetch(status, { headers: { Authorization: auth } });
    }
    expect(progress[0]).toMatch(/^\d+% \(\d+ of 1 types\)$/);
    const manifest = (await r.json()) as {
      output: { url: string }[];
      requiresAccessToken: boolean;
    };
    expect(manifest.requiresAccessToken).toBe(true);
    const url = manifest.output[0]?.url ?? '';
    expect((await fetch(url)).status).toBe(401);
    const file = await fetch(url, { headers: { Authorization: auth } });
    expect(file.headers.get('content-type')).toBe('application/fhir+ndjson');
    expect((await file.text()).split('\n')[0]).toContain('"resourceType":"Patient"');
  });
});
