/**
 * The work of one sandbox `$export` job (see bulkExport.ts for what is exported): collects the
 * resources type by type, pausing `stepMs` per type so a client really polls, and keeps each
 * output file as NDJSON chunks in memory.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Group, Resource } from '@medplum/fhirtypes';
import { compartmentPatientIds, isCompartmentType } from './compartment.ts';
import type { SandboxRepository } from './sandboxRepository.ts';

/** Resources per NDJSON file: big types are split, as real servers do. */
const DEFAULT_LINES_PER_FILE = 5000;
/** Lines per buffered chunk when a file is streamed out. */
const LINES_PER_CHUNK = 500;

export interface OutputFile {
  readonly type: string;
  readonly count: number;
  readonly chunks: readonly Buffer[];
  /** A file of the manifest's `error` array (OperationOutcomes), not of its `output`. */
  readonly error?: boolean;
}

export interface Job {
  readonly id: string;
  readonly clientId: string;
  readonly request: string;
  readonly transactionTime: string;
  readonly types: readonly string[];
  done: number;
  state: 'running' | 'complete' | 'failed';
  error?: string;
  readonly files: OutputFile[];
}

export interface KickOff {
  readonly scope: { kind: 'group'; groupId: string } | { kind: 'patients' };
  readonly types: readonly string[];
  readonly since: string | undefined;
  /** Kick-off parameters ignored under `Prefer: handling=lenient`. */
  readonly ignored: readonly string[];
}

interface JobSettings {
  readonly repo: SandboxRepository;
  readonly stepMs: number;
  readonly linesPerFile?: number;
  /** Aborted when the sandbox closes. */
  readonly signal: AbortSignal;
}

/** Every stored resource of a type. */
async function allOfType(repo: SandboxRepository, type: string): Promise<Resource[]> {
  const bundle = await repo.search({ resourceType: type as Resource['resourceType'] });
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
}

/** Runs the job to completion (the caller marks it failed if this throws). */
export async function runJob(job: Job, k: KickOff, o: JobSettings): Promise<void> {
  const patients = await exportedPatients(o.repo, k);
  const exported = new Map<string, Resource[]>();
  for (const type of k.types) {
    await sleep(o.stepMs, undefined, { signal: o.signal });
    exported.set(type, await resourcesOf(o.repo, type, k, patients, exported));
    job.done += 1;
  }
  const since = k.since === undefined ? undefined : Date.parse(k.since);
  for (const type of k.types) {
    const resources = (exported.get(type) ?? []).filter(
      (r) => since === undefined || Date.parse(r.meta?.lastUpdated ?? '') >= since,
    );
    job.files.push(...toFiles(type, resources, o.linesPerFile ?? DEFAULT_LINES_PER_FILE));
  }
  if (k.ignored.length > 0) {
    const [file] = toFiles('OperationOutcome', [ignoredOutcome(k.ignored)], 1);
    job.files.push({ ...(file as OutputFile), error: true });
  }
  job.state = 'complete';
}

/** The Group's active Patient members; undefined (= everyone) for Patient-level export. */
async function exportedPatients(
  repo: SandboxRepository,
  k: KickOff,
): Promise<Set<string> | undefined> {
  if (k.scope.kind === 'patients') {
    return undefined;
  }
  const group = await repo.readResource<Group>('Group', k.scope.groupId);
  return new Set(
    (group.member ?? []).flatMap((m) => {
      const id = /^Patient\/([^/]+)$/.exec(m.entity.reference ?? '')?.[1];
      return id === undefined || m.inactive === true ? [] : [id];
    }),
  );
}

async function resourcesOf(
  repo: SandboxRepository,
  type: string,
  k: KickOff,
  patients: Set<string> | undefined,
  exported: ReadonlyMap<string, readonly Resource[]>,
): Promise<Resource[]> {
  const all = await allOfType(repo, type);
  if (type === 'Group') {
    const scope = k.scope;
    return scope.kind === 'group' ? all.filter((g) => g.id === scope.groupId) : all;
  }
  if (type === 'Medication') {
    const wanted = new Set<string>();
    for (const source of ['MedicationStatement', 'MedicationRequest']) {
      const users =
        exported.get(source) ?? (await resourcesOf(repo, source, k, patients, exported));
      for (const r of users) {
        const ref = (r as { medicationReference?: { reference?: string } }).medicationReference;
        wanted.add(ref?.reference ?? '');
      }
    }
    return all.filter((m) => wanted.has(`Medication/${m.id ?? ''}`));
  }
  if (!isCompartmentType(type) || patients === undefined) {
    return all;
  }
  return all.filter((r) => compartmentPatientIds(r).some((id) => patients.has(id)));
}

/** The warning a lenient kick-off earns: which parameters were not applied. */
function ignoredOutcome(ignored: readonly string[]): Resource {
  const diagnostics =
    `The server ignored the kick-off parameter${ignored.length > 1 ? 's' : ''} ` +
    `${ignored.join(', ')} (not supported; "Prefer: handling=lenient"): the export was not ` +
    'filtered by them.';
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'warning', code: 'not-supported', diagnostics }],
  };
}

function toFiles(type: string, resources: readonly Resource[], linesPerFile: number): OutputFile[] {
  const files: OutputFile[] = [];
  for (let start = 0; start < resources.length; start += linesPerFile) {
    const part = resources.slice(start, start + linesPerFile);
    const chunks: Buffer[] = [];
    for (let i = 0; i < part.length; i += LINES_PER_CHUNK) {
      const lines = part.slice(i, i + LINES_PER_CHUNK).map((r) => `${JSON.stringify(r)}\n`);
      chunks.push(Buffer.from(lines.join(''), 'utf8'));
    }
    files.push({ type, count: part.length, chunks });
  }
  return files;
}
