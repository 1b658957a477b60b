import { existsSync } from 'node:fs';
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
