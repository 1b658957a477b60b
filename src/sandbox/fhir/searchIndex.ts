/**
 * A pre-filter for the sandbox's in-memory search, so a search about one patient costs what that
 * patient's matching records cost, not what the whole server holds: `Observation?patient=X&code=…`
 * on a 30,000-resource chart used to evaluate FHIRPath on every Observation of the server (250 ms
 * of CPU each time, during which every other request waited).
 *
 * The index only narrows: it maps a relative reference (`Patient/X`) and a coding's code to the ids
 * of the resources that hold it anywhere, and the search still runs medplum's matcher on every
 * candidate, so results are exactly medplum's. Filters it cannot narrow (modifiers, bare ids,
 * codes without a system, other parameters) leave the candidates to the other filters or to a full
 * scan. It is built per resource type on that type's first search and kept current by the stored
 * maps themselves (`IndexedTypes`), whichever path writes to them.
 */
import { Operator, splitSearchOnComma } from '@medplum/core';
import type { Filter } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

/** A relative literal reference `Type/id`, the form the app and US Core searches use. */
const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

/** A reference as written (`Patient/X`), matched exactly by a `Type/id` search value. */
const REFERENCE_KEY = (reference: string): string => `ref:${reference}`;
/** Its last segment, which a bare-id search value matches (medplum: the reference ends in `/id`). */
const REFERENCE_ID_KEY = (id: string): string => `refid:${id}`;
const BARE_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** Codes compare case-insensitively in medplum's token matching. */
const CODE_KEY = (code: string): string => `code:${code.toLowerCase()}`;

/** Every reference string and coding code anywhere in a resource, as index keys. */
export function indexKeys(resource: unknown): Set<string> {
  const keys = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) {
        walk(item);
      }
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      for (const key in record) {
        const child = record[key];
        if (typeof child === 'object') {
          walk(child);
        } else if (typeof child === 'string') {
          if (key === 'reference') {
            keys.add(REFERENCE_KEY(child));
            keys.add(REFERENCE_ID_KEY(child.slice(child.lastIndexOf('/') + 1)));
          } else if (key === 'code') {
            keys.add(CODE_KEY(child));
          }
        }
      }
    }
  };
  walk(resource);
  return keys;
}

/**
 * The keys any of which a resource must hold to match the filter, or undefined when the index
 * cannot tell (the filter is then left to the matcher alone).
 */
export function filterKeys(
  filter: Filter,
  parameterType: string | undefined,
): string[] | undefined {
  if (filter.operator !== Operator.EQUALS) {
    return undefined;
  }
  const values = splitSearchOnComma(filter.value);
  if (parameterType === 'reference') {
    if (values.every((v) => RELATIVE_REFERENCE.test(v))) {
      return values.map(REFERENCE_KEY);
    }
    return values.every((v) => BARE_ID.test(v)) ? values.map(REFERENCE_ID_KEY) : undefined;
  }
  if (parameterType === 'token' && filter.code === 'code') {
    // Only `system|code` with both parts: a bare value also matches a CodeableConcept's text.
    const codes = values.flatMap((v) => {
      const bar = v.indexOf('|');
      return bar > 0 && bar < v.length - 1 ? [CODE_KEY(v.slice(bar + 1))] : [];
    });
    return codes.length === values.length ? codes : undefined;
  }
  return undefined;
}

/** Key → ids of one resource type, plus each id's keys (to drop them when it changes). */
class TypeIndex {
  readonly #byKey = new Map<string, Set<string>>();
  readonly #keysOf = new Map<string, Set<string>>();

  put(id: string, resource: Resource | undefined): void {
    const before = this.#keysOf.get(id) ?? new Set<string>();
    const after = resource === undefined ? new Set<string>() : indexKeys(resource);
    for (const key of before) {
      if (!after.has(key)) {
        this.#byKey.get(key)?.delete(id);
      }
    }
    for (const key of after) {
      if (!before.has(key)) {
        let ids = this.#byKey.get(key);
        if (ids === undefined) {
          ids = new Set();
          this.#byKey.set(key, ids);
        }
        ids.add(id);
      }
    }
    if (after.size === 0) {
      this.#keysOf.delete(id);
    } else {
      this.#keysOf.set(id, after);
    }
  }

  /** Ids holding any of the keys. */
  anyOf(keys: readonly string[]): Set<string> {
    if (keys.length === 1) {
      return this.#byKey.get(keys[0] ?? '') ?? new Set();
    }
    const ids = new Set<string>();
    for (const key of keys) {
      for (const id of this.#byKey.get(key) ?? []) {
        ids.add(id);
      }
    }
    return ids;
  }
}

/**
 * The stored resources of one type: a Map that keeps its type's index (if built) current on every
 * set and delete, so medplum's own create, update, delete and the sandbox's rollback all update it.
 */
class IndexedResources extends Map<string, Resource> {
  #index: TypeIndex | undefined;
  /** Storage order (a Map's: an update keeps its place), so candidates page as a full scan would. */
  readonly #position = new Map<string, number>();
  #next = 0;

  override set(id: string, resource: Resource): this {
    if (!this.#position.has(id)) {
      this.#position.set(id, this.#next++);
    }
    super.set(id, resource);
    this.#index?.put(id, resource);
    return this;
  }

  override delete(id: string): boolean {
    this.#index?.put(id, undefined);
    this.#position.delete(id);
    return super.delete(id);
  }

  override clear(): void {
    this.#index = undefined;
    this.#position.clear();
    super.clear();
  }

  /**
   * The stored resources that can match every filter the index understands (in storage order), or
   * undefined when no filter narrows the search.
   */
  candidates(
    filters: readonly Filter[],
    parameterType: (code: string) => string | undefined,
  ): Resource[] | undefined {
    const keySets = filters.flatMap((f) => {
      const keys = filterKeys(f, parameterType(f.code));
      return keys === undefined ? [] : [keys];
    });
    if (keySets.length === 0) {
      return undefined;
    }
    const index = this.#built();
    const sets = keySets.map((keys) => index.anyOf(keys)).sort((a, b) => a.size - b.size);
    const [smallest, ...others] = sets;
    const ids = [...(smallest ?? [])].filter((id) => others.every((s) => s.has(id)));
    ids.sort((a, b) => (this.#position.get(a) ?? 0) - (this.#position.get(b) ?? 0));
    return ids.flatMap((id) => {
      const resource = this.get(id);
      return resource === undefined ? [] : [resource];
    });
  }

  /** Builds the index now (it is otherwise built on the type's first indexed search). */
  prepare(): void {
    this.#built();
  }

  #built(): TypeIndex {
    if (this.#index === undefined) {
      const index = new TypeIndex();
      for (const [id, resource] of this) {
        index.put(id, resource);
      }
      this.#index = index;
    }
    return this.#index;
  }
}

/**
 * Type → stored resources. `get` creates a type's map on first use, so medplum's create (which
 * would otherwise store the first resource of a type in a fresh plain Map) always writes into an
 * IndexedResources; a plain map given to `set` (a rollback's snapshot) is copied into one.
 */
export class IndexedTypes extends Map<string, Map<string, Resource>> {
  override get(type: string): IndexedResources {
    const existing = super.get(type);
    if (existing instanceof IndexedResources) {
      return existing;
    }
    const created = new IndexedResources();
    super.set(type, created);
    return created;
  }

  override set(type: string, resources: Map<string, Resource>): this {
    if (resources instanceof IndexedResources) {
      return super.set(type, resources);
    }
    const indexed = new IndexedResources();
    for (const [id, resource] of resources) {
      indexed.set(id, resource);
    }
    return super.set(type, indexed);
  }
}
