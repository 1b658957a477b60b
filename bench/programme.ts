/**
 * `npm run bench:programme`: the programme workspace in headless Chromium against the sandbox
 * seeded with the research cohort (BENCH_COHORT patients, default 400: about half referred, each
 * referral a Task the programme owns) and SANDBOX_LATENCY_MS=150 on every response. From the
 * staff member's consent (the programme entry's last human step) it times:
 *
 * - `queueMs`: the referral queue usable (the default "awaiting a decision" list rendered);
 * - `allReferralsMs`: after choosing "All referrals", the first page of 25 rows on screen;
 * - `rowsCompleteMs`: those rows with their latest PEG and MME/day filled in (the page's charts
 *   read in one batch of searches, the MME engine loaded on first use);
 * - `followUpsMs`: from choosing "Follow-ups" to the follow-up list rendered.
 *
 * Median of BENCH_RUNS (default 5) after one discarded warm-up; requests to the EHR counted per
 * run. Target: a usable queue in under 2 s (issue 13). Writes bench/results/programme.json (only
 * for the default cohort size). Run it on a quiet machine:
 * `flock /tmp/clbp-fulltest.lock npm run bench:programme`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startSandbox, type Sandbox } from '../src/sandbox/server.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/harness/browser.ts';

const LATENCY_MS = 150;
const TARGET_MS = 2000;
const DEFAULT_COHORT = 400;
const COHORT = Number(process.env['BENCH_COHORT'] ?? DEFAULT_COHORT);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);

interface Run {
  readonly queueMs: number;
  readonly allReferralsMs: number;
  readonly rowsCompleteMs: number;
  readonly followUpsMs: number;
  readonly requestsToRowsComplete: number;
}

async function once(browser: Browser, sandbox: Sandbox): Promise<Run> {
  const context = await browser.newContext();
  const page = await context.newPage();
  let requests = 0;
  page.on('request', (r) => {
    if (r.url().startsWith(sandbox.fhirBase) && r.method() !== 'OPTIONS') {
      requests++;
    }
  });
  await page.goto(sandbox.programmeLaunchUrl('coordinator-1'));
  await page.waitForSelector('#approve');
  const t0 = performance.now();
  requests = 0;
  await page.click('#approve');
  await page.waitForSelector('.queue-view[aria-busy="false"] #queue-heading', { timeout: 60_000 });
  const queueMs = performance.now() - t0;
  const t1 = performance.now();
  await page.selectOption('#queue-filter', 'all');
  await page.waitForSelector('li.queue-entry:nth-child(25)', { timeout: 60_000 });
  const allReferralsMs = performance.now() - t1;
  await page.waitForFunction(
    () =>
      document.querySelectorAll('li.queue-entry [data-testid="queue-mme"]').length >= 25 &&
      [...document.querySelectorAll('li.queue-entry [data-testid="queue-mme"]')].every(
        (e) => !e.textContent.startsWith('…'),
      ),
    undefined,
    { timeout: 60_000 },
  );
  const rowsCompleteMs = performance.now() - t1;
  const requestsToRowsComplete = requests;
  const t2 = performance.now();
  await page.click('button[data-view="follow-ups"]');
  await page.waitForSelector('.follow-ups[aria-busy="false"] table', { timeout: 120_000 });
  const followUpsMs = performance.now() - t2;
  await context.close();
  return { queueMs, allReferralsMs, rowsCompleteMs, followUpsMs, requestsToRowsComplete };
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.floor(s.length / 2)] ?? Number.NaN);
};

const started = performance.now();
const sandbox = await startSandbox({
  port: 0,
  appPort: 0,
  cohort: COHORT,
  env: { SANDBOX_LATENCY_MS: String(LATENCY_MS) },
});
console.log(
  `sandbox with a ${String(COHORT)}-patient cohort ready in ${String(Math.round(performance.now() - started))} ms`,
);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
let runs: Run[] = [];
try {
  await once(browser, sandbox); // warm-up, discarded
  for (let i = 0; i < RUNS; i++) {
    runs = [...runs, await once(browser, sandbox)];
  }
} finally {
  await browser.close();
  await sandbox.close();
}
const of = (f: (r: Run) => number) => median(runs.map(f));
const results = {
  queueMs: of((r) => r.queueMs),
  queueRunsMs: runs.map((r) => Math.round(r.queueMs)),
  allReferralsFirstPageMs: of((r) => r.allReferralsMs),
  rowsWithPegAndMmeMs: of((r) => r.rowsCompleteMs),
  fhirRequestsToRowsComplete: of((r) => r.requestsToRowsComplete),
  followUpListMs: of((r) => r.followUpsMs),
};
console.log(
  `programme workspace, ${String(COHORT)}-patient cohort, ${String(LATENCY_MS)} ms latency: usable queue median ${String(results.queueMs)} ms (runs ${results.queueRunsMs.join(', ')}) [target < ${String(TARGET_MS)}]; ` +
    `all referrals, first 25 rows ${String(results.allReferralsFirstPageMs)} ms, with PEG and MME/day ${String(results.rowsWithPegAndMmeMs)} ms (${String(results.fhirRequestsToRowsComplete)} FHIR requests from consent); ` +
    `follow-up list ${String(results.followUpListMs)} ms`,
);
if (COHORT === DEFAULT_COHORT) {
  writeFileSync(
    resolve(import.meta.dirname, 'results/programme.json'),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        latencyMs: LATENCY_MS,
        cohort: COHORT,
        runs: RUNS,
        target: `usable queue < ${String(TARGET_MS)} ms at ${String(LATENCY_MS)} ms latency`,
        machine: '2 cores, headless Debian Chromium',
        results,
      },
      null,
      2,
    )}\n`,
  );
  console.log('written bench/results/programme.json');
}
