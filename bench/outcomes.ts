/**
 * `npm run bench:outcomes`: writes ~1,000,000 resources of synthetic cohort NDJSON (one file per
 * resource type, as a bulk $export does) to a temp dir with streamed writes, then times
 * `clbp outcomes` on it in a child process and reads the child's peak memory (maxRSS from
 * process.resourceUsage(), plus RSS sampled every 50 ms). Targets: < 60 s and < 500 MB.
 * The same command on a 1% input gives the fixed cost (Node, module loading) the peak includes,
 * so the growth from 1% to 100% of the input shows whether memory follows the input size.
 * Results go to bench/results/outcomes.json.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/clbp.ts';
import { cohortResources } from '../src/sandbox/cohort.ts';

const TARGET_RESOURCES = 1_000_000;
const SMALL_RESOURCES = TARGET_RESOURCES / 100;
const TARGET_MS = 60_000;
const TARGET_RSS_MB = 500;
const AS_OF = new Date('2026-11-21T12:00:00Z');
const SEED = 1;
const MB = 1024 * 1024;

interface ChildResult {
  readonly ms: number;
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
  const exitCode = await main(['outcomes', dir, '--format', 'json'], {
    stdout: (text) => {
      out += text;
    },
    stderr: (text) => {
      err += text;
    },
  });
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result = {
    ms,
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

async function parent(): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'clbp-bench-outcomes-'));
  const smallDir = await mkdtemp(join(tmpdir(), 'clbp-bench-outcomes-small-'));
  try {
    console.log(
      `bench:outcomes: writing ~${TARGET_RESOURCES.toLocaleString('en-US')} resources to ${dir} …`,
    );
    const data = await generate(dir, TARGET_RESOURCES);
    console.log(
      `  wrote ${data.resources.toLocaleString('en-US')} resources (${data.patients.toLocaleString('en-US')} patients, ${(data.bytes / MB).toFixed(0)} MB) in ${(data.ms / 1000).toFixed(1)} s`,
    );
    const analysis = await runChild(dir);
    const small = await generate(smallDir, SMALL_RESOURCES);
    const baseline = await runChild(smallDir);
    const pass =
      analysis.exitCode === 0 && analysis.ms < TARGET_MS && analysis.maxRssMb < TARGET_RSS_MB;
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        totalMemMb: Math.round(totalmem() / MB),
        node: process.version,
      },
      input: { ...data, bytesMb: data.bytes / MB, files: (await readdir(dir)).sort() },
      analysis: {
        ms: Math.round(analysis.ms),
        maxRssMb: Math.round(analysis.maxRssMb),
        sampledPeakRssMb: Math.round(analysis.sampledPeakRssMb),
        resourcesPerSecond: Math.round(data.resources / (analysis.ms / 1000)),
        stderr: analysis.stderr.trim(),
      },
      smallInput: {
        resources: small.resources,
        patients: small.patients,
        ms: Math.round(baseline.ms),
        maxRssMb: Math.round(baseline.maxRssMb),
        growthMb: Math.round(analysis.maxRssMb - baseline.maxRssMb),
      },
      targets: { ms: TARGET_MS, rssMb: TARGET_RSS_MB },
      pass,
      rows: analysis.report.rows.map((row) => ({
        timePoint: row.timePoint.id,
        nIntervention: row.intervention.n,
        nComparison: row.comparison.n,
        difference: row.difference,
      })),
    };
    const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(resultsDir, { recursive: true });
    await writeFile(join(resultsDir, 'outcomes.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `  clbp outcomes: ${(analysis.ms / 1000).toFixed(1)} s (target < ${TARGET_MS / 1000} s), peak RSS ${analysis.maxRssMb.toFixed(0)} MB (maxRSS; sampled ${analysis.sampledPeakRssMb.toFixed(0)} MB; target < ${TARGET_RSS_MB} MB), ${result.analysis.resourcesPerSecond.toLocaleString('en-US')} resources/s`,
    );
    console.log(
      `  same command on ${small.resources.toLocaleString('en-US')} resources: peak RSS ${baseline.maxRssMb.toFixed(0)} MB (the 100× input adds ${(analysis.maxRssMb - baseline.maxRssMb).toFixed(0)} MB)`,
    );
    console.log(`  ${pass ? 'PASS' : 'FAIL'}; written to bench/results/outcomes.json`);
    return pass ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(smallDir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '');
} else {
  process.exitCode = await parent();
}
