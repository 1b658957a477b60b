/**
 * `npm run bench:sandbox`: the sandbox FHIR server's start-up time (index the R4 definitions, create
 * the repository, load the synthetic seed) and the median of 20 runs of
 * `GET /fhir/Observation?patient=heavy-history&_count=200` over real HTTP, with a `user/` token and
 * with a `patient/` token (which adds the compartment filter). Targets: start-up < 5 s, search < 100 ms.
 * For comparison, a child process times the same search on medplum's stock MemoryRepository with the
 * stock (multi-type) search parameters: the "before" of the per-type narrowing.
 * Then the searches the app sends when it opens `heavy-30k` (30,271 resources; the app's own
 * loadSummary over HTTP with a `user/` token, at most 6 in flight as in the browser, no added
 * latency): each search's first page and the older pages that follow, all together (the launch)
 * and each first page alone, so the report shows whether the heavy searches block each other.
 * Writes bench/results/sandbox.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseSearchRequest } from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Resource } from '@medplum/fhirtypes';
import { benchTokens, serveRepository } from './support/benchServer.ts';
import { createFhirRepository, loadResources } from '../src/sandbox/fhir/fhirServer.ts';
import { indexDefinitions } from '../src/sandbox/fhir/searchParameters.ts';
import { generateSeed } from '../src/sandbox/seed/seed.ts';
import { loadSummary } from '../src/fhir/summaryLoad.ts';
import { SUMMARY_KEYS } from '../src/fhir/summary.ts';
import { createTransport } from '../src/fhir/transport.ts';

const RUNS = 20;
const BASELINE_RUNS = 3; // each takes seconds
const TARGET_STARTUP_MS = 5_000;
const TARGET_SEARCH_MS = 100;
const HEAVY = 'heavy-history';
const verifyToken = benchTokens(HEAVY, 'rs');

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  const lower = sorted[mid - 1] ?? upper;
  return sorted.length % 2 === 1 ? upper : (lower + upper) / 2;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

/**
 * The "before": the same search on medplum's stock MemoryRepository with the stock R4 search
 * parameters (expressions spanning every resource type). Runs in its own process (`--baseline`)
 * because narrowing the parameters is process-global.
 */
async function baselineSearchMs(runs: number): Promise<{ medianMs: number; runs: number }> {
  indexDefinitions();
  const stock = new MemoryRepository();
  const resources = generateSeed({ asOf: new Date() }).resources as Resource[];
  await stock.withSeeding(async () => {
    for (const resource of resources) {
      await stock.createResource(resource);
    }
  });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await stock.search(parseSearchRequest('Observation', { patient: HEAVY, _count: '200' }));
    times.push(performance.now() - started);
  }
  return { medianMs: round(median(times)), runs };
}

if (process.argv.includes('--baseline')) {
  console.log(JSON.stringify(await baselineSearchMs(BASELINE_RUNS)));
  process.exit(0);
}

const t0 = performance.now();
const repo = await createFhirRepository();
const tIndexed = performance.now();
const seed = generateSeed({ asOf: new Date() });
const tGenerated = performance.now();
await loadResources(repo, seed.resources);
const tLoaded = performance.now();

const { base, server } = await serveRepository(repo, verifyToken);

async function timeSearch(
  token: string,
): Promise<{ medianMs: number; total: number; returned: number }> {
  const times: number[] = [];
  let total = -1;
  let returned = -1;
  for (let i = 0; i <= RUNS; i++) {
    const started = performance.now();
    const res = await fetch(`${base}/Observation?patient=${HEAVY}&_count=200`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const bundle = (await res.json()) as { total?: number; entry?: unknown[] };
    const elapsed = performance.now() - started;
    if (res.status !== 200) {
      throw new Error(`search answered ${res.status}`);
    }
    total = bundle.total ?? -1;
    returned = bundle.entry?.length ?? 0;
    if (i > 0) {
      times.push(elapsed); // run 0 warms up the JIT and the FHIRPath cache
    }
  }
  return { medianMs: round(median(times)), total, returned };
}

const userSearch = await timeSearch('user');
const patientSearch = await timeSearch('patient');
server.close();

const HEAVY_30K = 'heavy-30k';
const LAUNCH_RUNS = 5;

interface Timed {
  readonly path: string;
  readonly ms: number;
}

/** The app's launch searches for `patient` against `url`, each request timed (ms from the start). */
async function timeLaunch(url: string, patient: string) {
  const requests: Timed[] = [];
  const transport = createTransport({
    baseUrl: url,
    auth: { token: () => Promise.resolve('user'), renew: () => Promise.resolve(undefined) },
    maxConcurrent: 6,
    fetch: async (input, init) => {
      const started = performance.now();
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      const target = new URL(
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      );
      requests.push({
        path: `${target.pathname.replace(/^\/fhir\//, '')}${target.search}`,
        ms: performance.now() - started,
      });
      return new Response(body, { status: res.status, headers: res.headers });
    },
  });
  const started = performance.now();
  let firstAnswersMs = 0;
  const load = loadSummary(transport, patient, new Set(SUMMARY_KEYS), () => {});
  await load.firstAnswers.then(() => {
    firstAnswersMs = performance.now() - started;
  });
  await load.done;
  return { firstAnswersMs, doneMs: performance.now() - started, requests };
}

const repo30k = await createFhirRepository();
await loadResources(repo30k, generateSeed({ asOf: new Date(), heavy30k: true }).resources);
const { base: base30k, server: server30k } = await serveRepository(repo30k, verifyToken);
await timeLaunch(base30k, HEAVY_30K); // warm-up
const launches: Awaited<ReturnType<typeof timeLaunch>>[] = [];
for (let i = 0; i < LAUNCH_RUNS; i++) {
  launches.push(await timeLaunch(base30k, HEAVY_30K));
}
// Each search alone: the same requests one at a time, in the order the launch sent them.
const alone = new Map<string, number[]>();
for (let i = 0; i < LAUNCH_RUNS; i++) {
  for (const { path } of launches[0]?.requests ?? []) {
    const started = performance.now();
    const res = await fetch(`${base30k}/${path}`, { headers: { Authorization: 'Bearer user' } });
    await res.arrayBuffer();
    alone.set(path, [...(alone.get(path) ?? []), performance.now() - started]);
  }
}
server30k.close();
const heavy30kLaunch = {
  patient: HEAVY_30K,
  runs: LAUNCH_RUNS,
  firstAnswersMedianMs: round(median(launches.map((l) => l.firstAnswersMs))),
  allPagesMedianMs: round(median(launches.map((l) => l.doneMs))),
  requests: (launches[0]?.requests ?? []).map(({ path }) => ({
    path,
    inLaunchMedianMs: round(
      median(launches.map((l) => l.requests.find((r) => r.path === path)?.ms ?? NaN)),
    ),
    aloneMedianMs: round(median(alone.get(path) ?? [])),
  })),
};

const baseline = JSON.parse(
  execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--baseline'], {
    encoding: 'utf8',
  }),
) as { medianMs: number; runs: number };

const heavyObservations = seed.resources.filter(
  (r) =>
    r.resourceType === 'Observation' &&
    JSON.stringify((r as { subject?: unknown }).subject).includes(`Patient/${HEAVY}`),
).length;
const results = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  seedResources: seed.resources.length,
  heavyHistoryObservations: heavyObservations,
  startup: {
    indexDefinitionsAndCreateRepoMs: round(tIndexed - t0),
    generateSeedMs: round(tGenerated - tIndexed),
    loadSeedMs: round(tLoaded - tGenerated),
    totalMs: round(tLoaded - t0),
    targetMs: TARGET_STARTUP_MS,
  },
  search: {
    query: `GET /fhir/Observation?patient=${HEAVY}&_count=200`,
    runs: RUNS,
    userScopeMedianMs: userSearch.medianMs,
    patientScopeMedianMs: patientSearch.medianMs,
    total: userSearch.total,
    returned: userSearch.returned,
    targetMs: TARGET_SEARCH_MS,
  },
  heavy30kLaunch,
  before: {
    what: 'same search on stock MemoryRepository + stock multi-type search parameters, in-process (no HTTP)',
    runs: baseline.runs,
    medianMs: baseline.medianMs,
  },
  load: 'measured on a shared 2-core machine; other processes may inflate the times',
};

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('./results/sandbox.json', import.meta.url),
  `${JSON.stringify(results, null, 2)}\n`,
);

const verdict = (ms: number, target: number): string => (ms < target ? 'ok' : 'OVER TARGET');
console.log(
  `seed: ${results.seedResources} resources, ${heavyObservations} Observations for ${HEAVY}`,
);
console.log(
  `start-up: ${results.startup.totalMs} ms (definitions+repo ${results.startup.indexDefinitionsAndCreateRepoMs}, ` +
    `seed generation ${results.startup.generateSeedMs}, load ${results.startup.loadSeedMs}) ` +
    `[target < ${TARGET_STARTUP_MS} ms: ${verdict(results.startup.totalMs, TARGET_STARTUP_MS)}]`,
);
for (const [label, s] of [
  ['user/ token', userSearch],
  ['patient/ token', patientSearch],
] as const) {
  console.log(
    `search (${label}): median ${s.medianMs} ms over ${RUNS} runs, total ${s.total}, page ${s.returned} ` +
      `[target < ${TARGET_SEARCH_MS} ms: ${verdict(s.medianMs, TARGET_SEARCH_MS)}]`,
  );
}
console.log(
  `before (stock medplum repo + multi-type search parameters, no HTTP): median ${baseline.medianMs} ms over ${baseline.runs} runs`,
);
console.log(
  `${HEAVY_30K} launch searches (the app's loadSummary, ≤ 6 in flight, no added latency): first answers ${heavy30kLaunch.firstAnswersMedianMs} ms, every page ${heavy30kLaunch.allPagesMedianMs} ms (median of ${LAUNCH_RUNS})`,
);
for (const r of heavy30kLaunch.requests) {
  console.log(
    `  ${String(r.inLaunchMedianMs).padStart(6)} ms in the launch, ${String(r.aloneMedianMs).padStart(6)} ms alone  ${r.path.slice(0, 110)}`,
  );
}
console.log('wrote bench/results/sandbox.json');
