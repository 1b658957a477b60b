import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST, initialJsGzipped } from './harness/bundleSize.ts';

/** Issue 15 budget: the JavaScript a clinician downloads before the summary can render. */
const INITIAL_JS_BUDGET_BYTES = 130 * 1000;

describe('initial JavaScript budget', () => {
  it('has a build to measure (npm test builds first)', () => {
    expect(existsSync(resolve(DIST, 'index.html')), 'run `npm run build` first').toBe(true);
  });

  it.each(['index.html', 'launch/launch.html'])('keeps %s within 130 KB gzipped', (entry) => {
    const { total, files } = initialJsGzipped(entry);
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expect(total, `gzipped initial JS of ${entry}: ${JSON.stringify(files)}`).toBeLessThanOrEqual(
      INITIAL_JS_BUDGET_BYTES,
    );
  });
});

/** The chunks a chunk imports statically (`from"./x.js"`), itself included, transitively. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) {
    return seen;
  }
  seen.add(file);
  const code = readFileSync(resolve(DIST, 'assets', file), 'utf8');
  for (const m of code.matchAll(/(?:import|export)[^"'()]*?from\s*["']\.\/([^"']+\.js)["']/g)) {
    staticClosure(m[1] ?? '', seen);
  }
  return seen;
}

describe('the MME engine stays off the main thread', () => {
  // A row of the RxNorm opioid table (opioidTable.generated.ts) carries this strength unit.
  const TABLE_MARKER = /[`'"]MG\/ACTUAT[`'"]/;
  const assets = existsSync(resolve(DIST, 'assets')) ? readdirSync(resolve(DIST, 'assets')) : [];
  const carriesTable = (file: string) =>
    TABLE_MARKER.test(readFileSync(resolve(DIST, 'assets', file), 'utf8'));

  it('the worker carries the RxNorm table (the marker is the right one)', () => {
    const worker = assets.filter((f) => /^opioidView\.worker-.*\.js$/.test(f));
    expect(worker).toHaveLength(1);
    expect(carriesTable(worker[0] ?? '')).toBe(true);
  });

  it('the opioid section and what it imports statically do not', () => {
    const section = assets.find((f) => /^OpioidSection-.*\.js$/.test(f));
    expect(section).toBeDefined();
    const closure = [...staticClosure(section ?? '')];
    expect(closure.length).toBeGreaterThan(1);
    expect(closure.filter(carriesTable)).toEqual([]);
  });
});
