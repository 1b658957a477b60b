/**
 * A synthetic research cohort (sandbox/cohort.ts) as a bulk export writes it: the NDJSON lines of
 * each resource type, which a test may edit before `writeByType` writes one file per type.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cohortResources } from '../../src/sandbox/cohort.ts';

/** The cohort's resources as NDJSON lines, by resource type. */
export function cohortLinesByType(n: number, seed: number): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const resource of cohortResources({ n, asOf: new Date('2026-11-21T12:00:00Z'), seed })) {
    const lines = byType.get(resource.resourceType) ?? [];
    lines.push(JSON.stringify(resource));
    byType.set(resource.resourceType, lines);
  }
  return byType;
}

/** Writes `<type>.ndjson` per type into `dir`; returns the files, sorted. */
export async function writeByType(
  dir: string,
  byType: ReadonlyMap<string, readonly string[]>,
): Promise<string[]> {
  const files: string[] = [];
  for (const [type, lines] of byType) {
    const file = join(dir, `${type}.ndjson`);
    await writeFile(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
  return files.sort();
}
