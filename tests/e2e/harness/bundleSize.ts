/** The JavaScript an HTML entry of the build loads before anything else, gzipped. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export const DIST = resolve(import.meta.dirname, '../../../dist');

/** The scripts an HTML entry loads before anything else: its module script and modulepreloads. */
function initialScripts(html: string): string[] {
  const srcs = [
    ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
  ];
  return [...new Set(srcs.map((m) => m[1] ?? ''))];
}

/** Gzipped bytes of an entry's initial scripts (e.g. `index.html`), in total and per file. */
export function initialJsGzipped(entry: string): { total: number; files: Record<string, number> } {
  const html = readFileSync(resolve(DIST, entry), 'utf8');
  const files: Record<string, number> = {};
  for (const src of initialScripts(html)) {
    files[src] = gzipSync(readFileSync(resolve(DIST, dirname(entry), src))).length;
  }
  return { total: Object.values(files).reduce((a, b) => a + b, 0), files };
}
