/**
 * `npm run bench:mme`: 100,000 MedicationStatements/MedicationRequests (a realistic mix: table
 * codes, names only, references, PRN with caps, patches, liquids, dispense-only orders, statuses)
 * → per-medication MME and a 2-year daily series plus the summary. Target: under 1 s on one core.
 * The target is judged on this thread's CPU time (the machine may be shared); wall time and the
 * load average are reported beside it. Prints the numbers and writes bench/results/mme.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { performance } from 'node:perf_hooks';
import type { Dosage, Medication, MedicationRequest, MedicationStatement } from 'fhir/r4';
import {
  computeMedicationMme,
  medicationResolver,
  mmeTimeline,
  summariseMme,
} from '../src/domain/mme/mme.ts';

const COUNT = 100_000;
const AS_OF = '2026-11-21';
const FROM = '2024-11-22';
const TARGET_MS = 1000;
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Deterministic PRNG (mulberry32) so every run measures the same input. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20261121);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const TABLETS = [
  '1049621',
  '1049683',
  '857002',
  '993781',
  '864706',
  '892582',
  '897696',
  '835603',
  '825411',
  '1049502',
];
const NAMES = [
  'oxycodone hydrochloride 15 MG Oral Tablet',
  'acetaminophen 325 MG / oxycodone hydrochloride 7.5 MG Oral Tablet',
  'tramadol hydrochloride 100 MG Oral Tablet',
  'ibuprofen 800 MG Oral Tablet',
];
const STATUSES = [
  'active',
  'active',
  'active',
  'completed',
  'stopped',
  'on-hold',
  'entered-in-error',
] as const;

function day(offset: number): string {
  return new Date(Date.UTC(2024, 10, 22) + offset * 86_400_000).toISOString().slice(0, 10);
}

function dose(
  value: number,
  unit: string,
  times: number,
  period = 1,
  periodUnit: 'h' | 'd' = 'd',
): Dosage {
  return {
    timing: { repeat: { frequency: times, period, periodUnit } },
    doseAndRate: [{ doseQuantity: { value, unit } }],
  };
}

function makeResource(i: number): MedicationStatement | MedicationRequest {
  const start = Math.floor(random() * 700);
  const kind = random();
  const status = pick(STATUSES);
  const base = { id: `m${i}`, subject: { reference: `Patient/p${i % 5000}` } };
  if (kind < 0.4) {
    return {
      ...base,
      resourceType: 'MedicationRequest',
      status,
      intent: 'order',
      authoredOn: day(start),
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: pick(TABLETS) }] },
      dosageInstruction: [dose(pick([1, 2]), pick(['tablet', 'TAB', '{tbl}']), pick([1, 2, 3, 4]))],
      dispenseRequest: { expectedSupplyDuration: { value: pick([7, 14, 30]), code: 'd' } },
    };
  }
  if (kind < 0.55) {
    return {
      ...base,
      resourceType: 'MedicationRequest',
      status,
      intent: 'order',
      authoredOn: day(start),
      medicationCodeableConcept: { text: pick(NAMES) },
      dosageInstruction: [
        {
          ...dose(2, 'tablet', 1, 4, 'h'),
          asNeededBoolean: true,
          maxDosePerPeriod: {
            numerator: { value: 6, unit: 'tablet' },
            denominator: { value: 1, code: 'd' },
          },
        },
      ],
    };
  }
  if (kind < 0.7) {
    return {
      ...base,
      resourceType: 'MedicationRequest',
      status,
      intent: 'order',
      authoredOn: day(start),
      medicationReference: { reference: `Medication/med${i % 50}` },
      dispenseRequest: {
        quantity: { value: pick([60, 90, 120]) },
        expectedSupplyDuration: { value: 30, code: 'd' },
      },
    };
  }
  if (kind < 0.85) {
    return {
      ...base,
      resourceType: 'MedicationStatement',
      status,
      effectivePeriod:
        random() < 0.5 ? { start: day(start) } : { start: day(start), end: day(start + 60) },
      medicationCodeableConcept: {
        coding: [{ system: RXNORM, code: pick(['245134', '245135', '577057']) }],
      },
      dosage: [dose(1, 'patch', 1, 72, 'h')],
    };
  }
  if (kind < 0.97) {
    return {
      ...base,
      resourceType: 'MedicationStatement',
      status,
      effectiveDateTime: day(start),
      medicationCodeableConcept: { text: 'morphine sulfate 2 MG/ML Oral Solution' },
      dosage: [dose(5, 'mL', 6)],
    };
  }
  // Patient-reported, no dosage: an `unknown` result, as in real charts.
  return {
    ...base,
    resourceType: 'MedicationStatement',
    status,
    effectiveDateTime: day(start),
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: pick(TABLETS) }] },
  };
}

const medications: Medication[] = Array.from({ length: 50 }, (_, i) => ({
  resourceType: 'Medication',
  id: `med${i}`,
  code: { coding: [{ system: RXNORM, code: TABLETS[i % TABLETS.length] ?? '1049621' }] },
}));
const resources = Array.from({ length: COUNT }, (_, i) => makeResource(i));
const resolve = medicationResolver(medications);

// One warm-up pass on a slice so the measurement is of steady-state code, as in a running app.
const warm = resources.slice(0, 2000).map((r) => computeMedicationMme(r, resolve));
mmeTimeline(warm, { from: FROM, to: AS_OF, asOf: AS_OF });
summariseMme(warm, { asOf: AS_OF });

/** CPU time of this thread in ms: what "on one core" means when other processes share the CPU. */
const cpuMs = (): number => {
  const usage = process.threadCpuUsage();
  return (usage.user + usage.system) / 1000;
};

const c0 = cpuMs();
const t0 = performance.now();
const results = resources.map((r) => computeMedicationMme(r, resolve));
const t1 = performance.now();
const c1 = cpuMs();
const series = mmeTimeline(results, { from: FROM, to: AS_OF, asOf: AS_OF });
const summary = summariseMme(results, { asOf: AS_OF });
const t2 = performance.now();
const c2 = cpuMs();

const byKind = { counted: 0, excluded: 0, unknown: 0 };
for (const r of results) {
  byKind[r.kind] += 1;
}
const round = (ms: number): number => Math.round(ms * 10) / 10;
const cpuTotal = c2 - c0;
const report = {
  measuredAt: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  loadAverage1m: round(os.loadavg()[0] ?? 0),
  medications: COUNT,
  days: series.length,
  cpuMs: {
    perMedication: round(c1 - c0),
    timelineAndSummary: round(c2 - c1),
    total: round(cpuTotal),
  },
  wallMs: {
    perMedication: round(t1 - t0),
    timelineAndSummary: round(t2 - t1),
    total: round(t2 - t0),
  },
  targetMs: TARGET_MS,
  withinTarget: cpuTotal < TARGET_MS,
  results: byKind,
  currentMmePerDay: summary.current,
};

const out = path.resolve(import.meta.dirname, 'results/mme.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `bench:mme ${COUNT} medications → per-medication ${report.cpuMs.perMedication} ms, ` +
    `${series.length}-day series + summary ${report.cpuMs.timelineAndSummary} ms: ` +
    `total ${report.cpuMs.total} ms CPU on one thread (target < ${TARGET_MS} ms: ${report.withinTarget ? 'met' : 'MISSED'}); ` +
    `wall ${report.wallMs.total} ms at load average ${report.loadAverage1m} on ${report.cores} cores\n` +
    `  counted ${byKind.counted}, excluded ${byKind.excluded}, unknown ${byKind.unknown}; wrote ${path.relative(process.cwd(), out)}\n`,
);
