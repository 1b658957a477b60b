/**
 * `npm run bench:outcomes`: for 100,000, 1,000,000 and 10,000,000 resources, writes synthetic
 * cohort NDJSON (one file per resource type, as a bulk $export does) to a temp dir, times
 * `clbp outcomes` on it in a child process and reads the child's peak memory (maxRSS from
 * process.resourceUsage(), plus RSS sampled every 50 ms) and CPU time, then deletes the input
 * before the next size. Targets: 1 M under 10 s, 10 M under 60 s, peak under 1 GB at every size;
 * the peaks across the three sizes show whether memory follows the input size.
 * BENCH_OUTCOMES_SIZES=1000000 measures one size. BENCH_OUTCOMES_CACHE=<dir> keeps each size's
 * generated input in <dir>/<size>/ and reuses it on the next run (the same seed writes the same
 * files; a 10 M input takes ~100 s to write and ~11 GB of disk). Results go to
 * bench/results/outcomes.json.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/clbp.ts';
import { cohortResources } from '../src/sandbox/cohort.ts';

const TARGET_RSS_MB = 1024;
const AS_OF = new Date('2026-11-21T12:00:00Z');
const SEED = 1;
const MB = 1024 * 1024;

interface ChildResult {
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly sampledPeakRssMb: number;
  readonly exitCode: number;
  readonly stderr: string;
  readonly report: {
    rows: {
      timePoint: { id: string };
      difference: unknown;
      intervention: { n: number };
      comparison: { n: number };
    }[];
  };
}

async function child(dir: string): Promise<void> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  let out = '';
  let err = '';
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const exitCode = await main(['outcomes', dir, '--format', 'json'], {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
  });
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result = {
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb: (process.resourceUsage().maxRSS * 1024) / MB,
    sampledPeakRssMb: peak / MB,
    exitCode,
    stderr: err,
    report: JSON.parse(out) as unknown,
  };
  process.stdout.write(JSON.stringify(result));
}

async function write(stream: WriteStream, line: string): Promise<void> {
  if (!stream.write(line)) {
    await once(stream, 'drain');
  }
}

/** Patients needed for ~TARGET_RESOURCES, from the resources per patient of a sample. */
function patientsFor(target: number): number {
  const sample = 2_000;
  const resources = cohortResources({ n: sample, asOf: AS_OF, seed: SEED });
  let count = 0;
  while (resources.next().done !== true) {
    count += 1;
  }
  // 1% over, so sampling variation never leaves the file short of the target.
  return Math.ceil((1.01 * target) / (count / sample));
}

async function generate(
  dir: string,
  target: number,
): Promise<{ patients: number; resources: number; bytes: number; ms: number }> {
  const started = performance.now();
  const patients = patientsFor(target);
  const streams = new Map<string, WriteStream>();
  let resources = 0;
  for (const resource of cohortResources({ n: patients, asOf: AS_OF, seed: SEED })) {
    let stream = streams.get(resource.resourceType);
    if (stream === undefined) {
      stream = createWriteStream(join(dir, `${resource.resourceType}.ndjson`));
      streams.set(resource.resourceType, stream);
    }
    await write(stream, `${JSON.stringify(resource)}\n`);
    resources += 1;
  }
  await Promise.all(
    [...streams.values()].map(async (stream) => {
      stream.end();
      await once(stream, 'finish');
    }),
  );
  let bytes = 0;
  for (const name of await readdir(dir)) {
    bytes += (await stat(join(dir, name))).size;
  }
  return { patients, resources, bytes, ms: performance.now() - started };
}

async function runChild(dir: string): Promise<ChildResult> {
  const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  const [code] = (await once(proc, 'exit')) as [number | null];
  if (code !== 0) {
    throw new Error(`the analysis child exited with ${String(code)}`);
  }
  return JSON.parse(out) as ChildResult;
}

interface SizeResult {
  readonly target: number;
  readonly input: { patients: number; resources: number; bytesMb: number; generateMs: number };
  readonly ms: number;
  readonly cpuMs: number;
  readonly maxRssMb: number;
  readonly sampledPeakRssMb: number;
  readonly resourcesPerSecond: number;
  readonly targetMs: number | undefined;
  readonly pass: boolean;
  readonly rows: unknown[];
}

/** Inputs measured, smallest first (BENCH_OUTCOMES_SIZES=1000000 runs one); targets per size. */
const SIZES: readonly { resources: number; targetMs?: number }[] = (
  process.env.BENCH_OUTCOMES_SIZES?.split(',').map(Number) ?? [100_000, 1_000_000, 10_000_000]
).map((resources) => ({
  resources,
  ...(resources === 1_000_000 ? { targetMs: 10_000 } : {}),
  ...(resources === 10_000_000 ? { targetMs: 60_000 } : {}),
}));

type Input = Awaited<ReturnType<typeof generate>>;

/** The input of a size: generated in a temp dir, or kept in (and reused from) the cache. */
async function input(size: number): Promise<{ dir: string; data: Input; temporary: boolean }> {
  const cache = process.env.BENCH_OUTCOMES_CACHE;
  const dir =
    cache === undefined
      ? await mkdtemp(join(tmpdir(), 'clbp-bench-outcomes-'))
      : join(cache, String(size));
  const marker = join(dir, 'input.txt'); // not an input file (.ndjson/.json) of clbp outcomes
  if (cache !== undefined) {
    const kept = await readFile(marker, 'utf8').catch(() => undefined);
    if (kept !== undefined) {
      console.log(`bench:outcomes: ~${size.toLocaleString('en-US')} resources from ${dir}`);
      return { dir, data: JSON.parse(kept) as Input, temporary: false };
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }
  console.log(`bench:outcomes: writing ~${size.toLocaleString('en-US')} resources …`);
  const data = await generate(dir, size);
  console.log(
    `  wrote ${data.resources.toLocaleString('en-US')} resources (${data.patients.toLocaleString('en-US')} patients, ${(data.bytes / MB).toFixed(0)} MB) in ${(data.ms / 1000).toFixed(1)} s`,
  );
  if (cache !== undefined) {
    await writeFile(marker, JSON.stringify(data));
  }
  return { dir, data, temporary: cache === undefined };
}

async function measure(size: { resources: number; targetMs?: number }): Promise<SizeResult> {
  const { dir, data, temporary } = await input(size.resources);
  try {
    const analysis = await runChild(dir);
    const pass =
      analysis.exitCode === 0 &&
      analysis.maxRssMb < TARGET_RSS_MB &&
      (size.targetMs === undefined || analysis.ms < size.targetMs);
    console.log(
      `  clbp outcomes: ${(analysis.ms / 1000).toFixed(1)} s${size.targetMs === undefined ? '' : ` (target < ${size.targetMs / 1000} s)`}, CPU ${(analysis.cpuMs / 1000).toFixed(1)} s, peak RSS ${analysis.maxRssMb.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB): ${pass ? 'PASS' : 'FAIL'}`,
    );
    return {
      target: size.resources,
      input: {
        patients: data.patients,
        resources: data.resources,
        bytesMb: Math.round(data.bytes / MB),
        generateMs: Math.round(data.ms),
      },
      ms: Math.round(analysis.ms),
      cpuMs: Math.round(analysis.cpuMs),
      maxRssMb: Math.round(analysis.maxRssMb),
      sampledPeakRssMb: Math.round(analysis.sampledPeakRssMb),
      resourcesPerSecond: Math.round(data.resources / (analysis.ms / 1000)),
      targetMs: size.targetMs,
      pass,
      rows: analysis.report.rows.map((row) => ({
        timePoint: row.timePoint.id,
        nIntervention: row.intervention.n,
        nComparison: row.comparison.n,
        difference: row.difference,
      })),
    };
  } finally {
    // A 10 M input is ~11 GB: gone before the next size is written, unless cached.
    if (temporary) {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

async function parent(): Promise<number> {
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    results.push(await measure(size));
  }
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      totalMemMb: Math.round(totalmem() / MB),
      node: process.version,
      // Others' work on the machine when the run ended (1, 5 and 15 minutes).
      loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
    },
    engine:
      'one pass in Node (2 worker threads, half the bytes each) into per-patient records; DuckDB (@duckdb/node-api, 1 thread, memory_limit 250 MB) sorts them by patient; per-patient domain step in 2 worker threads',
    targets: { '1M ms': 10_000, '10M ms': 60_000, rssMb: TARGET_RSS_MB },
    sizes: results,
    pass: results.every((r) => r.pass),
  };
  const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'outcomes.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  ${result.pass ? 'PASS' : 'FAIL'}; written to bench/results/outcomes.json`);
  return result.pass ? 0 : 1;
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '');
} else {
  process.exitCode = await parent();
}
