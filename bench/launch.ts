/**
 * `npm run bench:launch`: the real EHR launch in headless Chromium against the sandbox with
 * SANDBOX_LATENCY_MS=150 (added to every FHIR response), five runs per patient. Reports the median
 * time from opening the launch URL to `aria-busy="false"`, the FHIR requests made, and the longest
 * chain of requests to the EHR (FHIR and authorization server: discovery → authorize → token →
 * data) that waited on each other. Writes bench/results/launch.json.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startSandbox } from '../src/sandbox/server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/harness/browser.ts';

const LATENCY_MS = 150;
const RUNS = 5;
const PATIENTS = ['clbp-eligible', 'heavy-history'];

interface Timed {
  readonly url: string;
  readonly start: number;
  end: number;
}

/** Longest chain: each request's depth is 1 + the deepest request that had finished before it began. */
function longestChain(requests: readonly Timed[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  sorted.forEach((r, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) {
      const earlier = sorted[j];
      if (earlier && earlier.end <= r.start) {
        d = Math.max(d, (depth[j] ?? 0) + 1);
      }
    }
    depth[i] = d;
  });
  return Math.max(0, ...depth);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

const sandbox = await startSandbox({
  port: 0,
  appPort: 0,
  env: { SANDBOX_LATENCY_MS: String(LATENCY_MS) },
});
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
const results: Record<string, unknown> = {};
try {
  for (const patient of PATIENTS) {
    const runs: {
      ms: number;
      fhirRequests: number;
      dataRequests: number;
      chain: number;
      dataChain: number;
    }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const requests = new Map<unknown, Timed>();
      page.on('request', (r) => {
        const toEhr =
          r.url().startsWith(sandbox.fhirBase) || r.url().startsWith(`${sandbox.origin}/auth/`);
        if (toEhr && r.method() !== 'OPTIONS') {
          requests.set(r, { url: r.url(), start: performance.now(), end: Infinity });
        }
      });
      page.on('requestfinished', (r) => {
        const timed = requests.get(r);
        if (timed) {
          timed.end = performance.now();
        }
      });
      const t0 = performance.now();
      await page.goto(sandbox.launchUrl(patient, 'pcp-1'));
      await page.waitForSelector('main[aria-busy="false"] section', { timeout: 60_000 });
      const ms = performance.now() - t0;
      const ehr = [...requests.values()];
      const all = ehr.filter((r) => r.url.startsWith(sandbox.fhirBase));
      const data = all.filter(
        (r) => !r.url.includes('/.well-known/') && !r.url.endsWith('/metadata'),
      );
      runs.push({
        ms,
        fhirRequests: all.length,
        dataRequests: data.length,
        chain: longestChain(ehr),
        dataChain: longestChain(data),
      });
      await context.close();
    }
    const summary = {
      medianMs: Math.round(median(runs.map((r) => r.ms))),
      runsMs: runs.map((r) => Math.round(r.ms)),
      fhirRequests: median(runs.map((r) => r.fhirRequests)),
      dataRequests: median(runs.map((r) => r.dataRequests)),
      longestEhrChain: median(runs.map((r) => r.chain)),
      longestDataChain: median(runs.map((r) => r.dataChain)),
    };
    results[patient] = summary;
    console.log(
      `${patient}: median ${summary.medianMs} ms to aria-busy=false (runs ${summary.runsMs.join(', ')}); ` +
        `${summary.fhirRequests} FHIR requests (${summary.dataRequests} for data); longest chain of EHR requests ${summary.longestEhrChain} ` +
        `(data requests: ${summary.longestDataChain})`,
    );
  }
} finally {
  await browser.close();
  await sandbox.close();
}
const out = {
  date: new Date().toISOString(),
  latencyMs: LATENCY_MS,
  runs: RUNS,
  target: 'heavy-history under 1500 ms at 150 ms latency',
  machine: '2 cores, headless Debian Chromium',
  results,
};
writeFileSync(
  resolve(import.meta.dirname, 'results/launch.json'),
  `${JSON.stringify(out, null, 2)}\n`,
);
console.log('written bench/results/launch.json');
