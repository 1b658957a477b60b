/**
 * `clbp export` through main(argv) against the real sandbox (port 0) and its seeded test patients.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bundle, FhirResource, MedicationStatement, Patient, Task } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runClbp } from '../../support/cli.ts';
import { dateShiftDays } from '../../../src/cli/exportCommand.ts';
import { shiftDate } from '../../../src/domain/deidentify/deidentify.ts';
import { computeMmeForResources } from '../../../src/domain/mme/mme.ts';
import { createBackendAuth } from '../../../src/fhir/bulk/backendAuth.ts';
import type { Sandbox } from '../../../src/sandbox/server.ts';
import { CLIENT_ID, KEY_FILE, PRIVATE_KEY, startBulkSandbox } from '../bulk/support.ts';

let sandbox: Sandbox;
let dir: string;
let token: string;

beforeAll(async () => {
  sandbox = await startBulkSandbox({}, 3);
  dir = await mkdtemp(join(tmpdir(), 'clbp-export-'));
  token = await createBackendAuth({
    fhirBase: sandbox.fhirBase,
    clientId: CLIENT_ID,
    privateKey: PRIVATE_KEY,
    scope: 'system/*.rs',
  }).token();
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

const clbp = runClbp;
let extracts = 0;

async function exported(
  patient: string,
  extra: string[] = [],
): Promise<{ bundle: Bundle; resources: FhirResource[] }> {
  extracts += 1;
  const out = join(dir, `${patient}-${extracts}.json`);
  const r = await clbp([
    'export',
    '--fhir',
    sandbox.fhirBase,
    '--patient',
    patient,
    '--out',
    out,
    ...extra,
  ]);
  expect(r.stderr).toMatch(/^clbp export: 1 Patient/);
  expect(r.code).toBe(0);
  const bundle = JSON.parse(await readFile(out, 'utf8')) as Bundle;
  return {
    bundle,
    resources: (bundle.entry ?? []).flatMap((e) =>
      e.resource ? [e.resource as FhirResource] : [],
    ),
  };
}

function types(resources: readonly FhirResource[]): string[] {
  return resources.map((r) => `${r.resourceType}/${r.id ?? ''}`);
}

describe('clbp export', () => {
  it('exports a patient with hypertension only as the Patient alone', async () => {
    const { bundle, resources } = await exported('no-back-pain', ['--token', token]);
    expect(bundle.type).toBe('collection');
    expect(types(resources)).toEqual(['Patient/no-back-pain']);
  });

  it('keeps the opioid statements and the Medications they reference for a tapering patient', async () => {
    const { resources } = await exported('opioid-taper', ['--token', token]);
    const statements = resources.filter(
      (r): r is MedicationStatement => r.resourceType === 'MedicationStatement',
    );
    expect(statements).toHaveLength(6);
    // Statements with a contained (#) Medication carry it with them; the others need it exported.
    const referenced = new Set(
      statements.flatMap((s) => {
        const ref = s.medicationReference?.reference ?? '';
        return ref.startsWith('Medication/') ? [ref] : [];
      }),
    );
    expect(referenced.size).toBeGreaterThan(0);
    const medications = resources.filter((r) => r.resourceType === 'Medication');
    expect(medications.map((m) => `Medication/${m.id ?? ''}`).sort()).toEqual(
      [...referenced].sort(),
    );
    expect(resources.some((r) => r.resourceType === 'Condition')).toBe(true);
  });

  it('exports the programme referral with its Task, using backend client credentials', async () => {
    const { resources } = await exported('referred-followup', [
      '--client-id',
      CLIENT_ID,
      '--key',
      KEY_FILE,
    ]);
    const kinds = new Set(resources.map((r) => r.resourceType));
    expect([...kinds].sort()).toEqual([
      'Condition',
      'Observation',
      'Patient',
      'QuestionnaireResponse',
      'ServiceRequest',
      'Task',
    ]);
  });

  it('de-identifies with a stable per-patient date shift and consistent references', async () => {
    const secret = ['--deidentify', '--deid-secret', 'study-42', '--token', token];
    const plain = await exported('referred-followup', ['--token', token]);
    const first = await exported('referred-followup', secret);
    const again = await exported('referred-followup', secret);
    const text = JSON.stringify(first.bundle);
    const original = plain.resources[0] as Patient;
    for (const secretText of [
      original.name?.[0]?.family ?? 'x',
      original.identifier?.[0]?.value ?? 'x',
      'referred-followup',
    ]) {
      expect(text).not.toContain(secretText);
    }
    const shift = dateShiftDays('study-42', 'referred-followup');
    expect(Math.abs(shift)).toBeGreaterThanOrEqual(1);
    expect((first.resources[0] as Patient).birthDate).toBe(
      shiftDate(original.birthDate ?? '', shift),
    );
    const ids = new Set(first.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`));
    const task = first.resources.find((r): r is Task => r.resourceType === 'Task');
    expect(ids).toContain(task?.focus?.reference);
    expect(ids).toContain(task?.for?.reference);
    expect(types(again.resources)).toEqual(types(first.resources));
  });

  it('de-identifies the tapering patient without breaking contained (#med) references: same MME per statement', async () => {
    const plain = await exported('opioid-taper', ['--token', token]);
    const deid = await exported('opioid-taper', [
      '--token',
      token,
      '--deidentify',
      '--deid-secret',
      'study-42',
    ]);
    const mme = (resources: readonly FhirResource[]): [string, number | null][] =>
      computeMmeForResources(resources).map((r) => [r.kind, r.mmePerDay]);
    expect(mme(plain.resources)).toHaveLength(6);
    expect(mme(plain.resources).filter(([kind]) => kind === 'unknown')).toEqual([]);
    expect(mme(deid.resources)).toEqual(mme(plain.resources));
    expect(JSON.stringify(deid.bundle)).not.toContain(sandbox.fhirBase);
    expect(deid.bundle).not.toHaveProperty('timestamp');
  });

  it('includes wearable step and sleep Observations but not other vitals or non-opioid medicines', async () => {
    const observation = (id: string, code: string, value: number, unit: string) => ({
      resourceType: 'Observation' as const,
      id,
      status: 'final' as const,
      code: { coding: [{ system: 'http://loinc.org', code }] },
      subject: { reference: 'Patient/wearable-user' },
      effectiveDateTime: '2026-03-10',
      valueQuantity: { value, unit },
    });
    await sandbox.repo.createResource({
      resourceType: 'Patient',
      id: 'wearable-user',
      gender: 'other',
    });
    await sandbox.repo.createResource(observation('nbp-steps', '55423-8', 8432, 'steps'));
    await sandbox.repo.createResource(observation('nbp-sleep', '93832-4', 6.5, 'h'));
    await sandbox.repo.createResource(observation('nbp-weight', '29463-7', 80, 'kg'));
    await sandbox.repo.createResource({
      resourceType: 'MedicationStatement',
      id: 'nbp-lisinopril',
      status: 'active',
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '314076' }],
        text: 'lisinopril 10 MG Oral Tablet',
      },
      subject: { reference: 'Patient/wearable-user' },
    });
    const { resources } = await exported('wearable-user', ['--token', token]);
    expect(types(resources)).toEqual([
      'Patient/wearable-user',
      'Observation/nbp-steps',
      'Observation/nbp-sleep',
    ]);
  });

  it('fails with one line when the patient does not exist', async () => {
    const r = await clbp([
      'export',
      '--fhir',
      sandbox.fhirBase,
      '--patient',
      'nobody',
      '--token',
      token,
      '--out',
      join(dir, 'x.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^clbp export: Patient\/nobody read failed: HTTP 404.*\n$/);
  });

  it('fails with one line naming the refusal when the token cannot read the data', async () => {
    const narrow = await createBackendAuth({
      fhirBase: sandbox.fhirBase,
      clientId: CLIENT_ID,
      privateKey: PRIVATE_KEY,
      scope: 'system/Patient.rs',
    }).token();
    const r = await clbp([
      'export',
      '--fhir',
      sandbox.fhirBase,
      '--patient',
      'clbp-eligible',
      '--token',
      narrow,
      '--out',
      join(dir, 'y.json'),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^clbp export: \w+ search failed: HTTP 403 \(The granted scopes do not allow/,
    );
  });

  it.each([
    [['--patient', 'a b', '--token', 't', '--out', 'x'], "--patient must be a FHIR id, got 'a b'"],
    [
      ['--patient', 'p', '--out', 'x'],
      'give a token (CLBP_TOKEN, --token-file or --token) or --client-id with --key',
    ],
    [
      ['--patient', 'p', '--token', 't', '--client-id', 'c', '--key', 'k', '--out', 'x'],
      'give one of --token, --token-file and --client-id with --key',
    ],
    [['--patient', 'p', '--client-id', 'c', '--out', 'x'], '--client-id and --key go together'],
    [
      ['--patient', 'p', '--token', 't', '--out', 'x', '--deid-secret', 's'],
      'only makes sense with --deidentify',
    ],
    [
      ['--patient', 'p', '--token', 't', '--out', 'x', '--deidentify', '--deid-secret', ''],
      "--deid-secret is empty: give the study's secret",
    ],
    [
      ['--patient', 'p', '--token', 't', '--out', 'x', '--deidentify', '--deid-secret='],
      "--deid-secret is empty: give the study's secret",
    ],
  ])('refuses %j with exit 2', async (args, message) => {
    const r = await clbp(['export', '--fhir', sandbox.fhirBase, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('clbp export --out and the token', () => {
  const base = (out: string): string[] => [
    'export',
    '--fhir',
    sandbox.fhirBase,
    '--patient',
    'opioid-taper',
    '--out',
    out,
  ];
  const leftovers = async (folder: string): Promise<string[]> =>
    (await readdir(folder)).filter((n) => n.endsWith('.part'));

  it('writes the extract 0600 (patient data) and refuses to overwrite it without --force', async () => {
    const folder = await mkdtemp(join(dir, 'out-'));
    const out = join(folder, 'extract.json');
    expect((await clbp([...base(out), '--token', token])).code).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    await writeFile(out, 'an earlier extract');
    const refused = await clbp([...base(out), '--token', token]);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      `clbp export: ${out} exists; use --force to replace it, or another --out\n`,
    ]);
    expect(await readFile(out, 'utf8')).toBe('an earlier extract');
    expect((await clbp([...base(out), '--token', token, '--force'])).code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ resourceType: 'Bundle' });
    expect(await leftovers(folder)).toEqual([]);
  });

  it('leaves nothing behind when the export fails', async () => {
    const folder = await mkdtemp(join(dir, 'failed-'));
    const args = ['export', '--fhir', sandbox.fhirBase, '--patient', 'nobody'];
    const r = await clbp([...args, '--out', join(folder, 'x.json'), '--token', token]);
    expect(r.code).toBe(1);
    expect(await readdir(folder)).toEqual([]);
  });

  it('takes the token from CLBP_TOKEN or from --token-file instead of the command line', async () => {
    const folder = await mkdtemp(join(dir, 'token-'));
    vi.stubEnv('CLBP_TOKEN', token);
    try {
      expect((await clbp(base(join(folder, 'env.json')))).code).toBe(0);
    } finally {
      vi.unstubAllEnvs();
    }
    const file = join(folder, 'token.txt');
    await writeFile(file, `${token}\n`, { mode: 0o600 });
    expect((await clbp([...base(join(folder, 'file.json')), '--token-file', file])).code).toBe(0);
    const missing = await clbp([
      ...base(join(folder, 'no.json')),
      '--token-file',
      join(folder, 'nope'),
    ]);
    expect([missing.code, missing.stderr]).toEqual([
      2,
      `clbp export: cannot read the token file ${join(folder, 'nope')}\n`,
    ]);
  });
});
