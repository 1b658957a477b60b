import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Issue budget: the JavaScript a clinician downloads before the summary can render. */
const INITIAL_JS_BUDGET_BYTES = 150 * 1000;
const DIST = resolve(import.meta.dirname, '../../dist');

/** The scripts an HTML entry loads before anything else: its module script and modulepreloads. */
function initialScripts(html: string): string[] {
  const srcs = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ];
  return [...new Set(srcs.map((m) => m[1] ?? ''))];
}

function gzippedSize(entry: string): { total: number; files: Record<string, number> } {
  const html = readFileSync(resolve(DIST, entry), 'utf8');
  const files: Record<string, number> = {};
  for (const src of initialScripts(html)) {
    files[src] = gzipSync(readFileSync(resolve(DIST, dirname(entry), src))).length;
  }
  return { total: Object.values(files).reduce((a, b) => a + b, 0), files };
}

describe('initial JavaScript budget', () => {
  it('has a build to measure (npm test builds first)', () => {
    expect(existsSync(resolve(DIST, 'index.html')), 'run `npm run build` first').toBe(true);
  });

  it.each(['index.html', 'launch/launch.html'])('keeps %s within 150 KB gzipped', (entry) => {
    const { total, files } = gzippedSize(entry);
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expect(total, `gzipped initial JS of ${entry}: ${JSON.stringify(files)}`).toBeLessThanOrEqual(
      INITIAL_JS_BUDGET_BYTES,
    );
  });
});
