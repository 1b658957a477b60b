/**
 * Medplum's in-memory repository with the three things the sandbox needs and it lacks:
 * - transactions that roll back (MemoryRepository.withTransaction just runs the callback, so a
 *   failing transaction Bundle used to leave its earlier entries behind);
 * - a search that filters first and copies only the requested page (the original deep-clones every
 *   match and re-evaluates the sort expression on every comparison: ~6 s for a sorted search over
 *   5,000 Observations);
 * - 410 Gone for deleted resources, and a 400 for unknown search (and _sort) parameters instead of an empty
 *   result that looks like "no data".
 */
import type { SearchRequest, WithId } from '@medplum/core';
import {
  badRequest,
  deepClone,
  evalFhirPath,
  globalSchema,
  gone,
  isCreated,
  isNotFound,
  matchesSearchRequest,
  Operator,
  OperationOutcomeError,
  validateResource,
} from '@medplum/core';
import { randomUUID } from 'node:crypto';
import { getExtraEntries, MemoryRepository } from '@medplum/fhir-router';
import type { CreateResourceOptions } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { IndexedTypes } from './searchIndex.ts';

/** Medplum keeps these private; the rollback and the fast search need them. Checked at construction. */
interface MemoryInternals {
  resources: IndexedTypes;
  readonly history: Map<string, Map<string, Resource[]>>;
}

interface Snapshot {
  readonly resources: Map<string, Map<string, Resource>>;
  readonly historyLengths: Map<string, Map<string, number>>;
  readonly journalLength: number;
}

/** Who wrote: the client whose token was used, and the page origin the request came from. */
export interface Writer {
  readonly clientId: string;
  /** The request's `Origin` header: the app's origin for what the app's pages wrote. */
  readonly origin: string | undefined;
}

/** One stored version written over HTTP (not seeded), and who wrote it. */
export interface JournalEntry {
  readonly writer: Writer | undefined;
  readonly resource: Resource;
}

/** Longest stretch of search work between two yields to the event loop, in ms. */
const SLICE_MS = 15;

/** Filter codes the in-memory search understands besides the type's own search parameters. */
const isSpecialFilter = (code: string): boolean => code.includes('.') || code.startsWith('_has:');

export class SandboxRepository extends MemoryRepository {
  readonly #internals: MemoryInternals;
  #transactionDepth = 0;
  #writer: Writer | undefined;
  readonly #journal: JournalEntry[] = [];

  constructor() {
    super();
    const internals = this as unknown as {
      resources?: unknown;
      history?: MemoryInternals['history'];
    };
    if (!(internals.resources instanceof Map) || !(internals.history instanceof Map)) {
      throw new Error(
        '@medplum/fhir-router MemoryRepository internals changed; update SandboxRepository',
      );
    }
    // Stored maps that keep the search pre-filter current whichever medplum path writes.
    const resources = new IndexedTypes();
    internals.resources = resources;
    this.#internals = { resources, history: internals.history };
  }

  /** Runs the callback; if it throws, every create/update/delete it made is undone. */
  override async withTransaction<TResult>(
    callback: (repo: this) => Promise<TResult>,
  ): Promise<TResult> {
    if (this.#transactionDepth > 0) {
      return callback(this);
    }
    const snapshot = this.#snapshot();
    this.#transactionDepth += 1;
    try {
      return await callback(this);
    } catch (err) {
      this.#restore(snapshot);
      throw err;
    } finally {
      this.#transactionDepth -= 1;
    }
  }

  /** Creates (or, with `update`, replaces) a resource after validating it against its R4 profile. */
  override async createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions,
    update = false,
  ): Promise<WithId<T>> {
    assertValid(resource);
    const stored = await super.createResource(resource, options, update);
    this.#journal.push({ writer: this.#writer, resource: deepClone(stored) });
    return stored;
  }

  /**
   * Runs a write on behalf of a client: every version it stores is journalled with the writer
   * (a rolled-back transaction's are dropped), so tests can check what an app wrote.
   */
  async asWriter<R>(writer: Writer, work: () => Promise<R>): Promise<R> {
    this.#writer = writer;
    try {
      return await work();
    } finally {
      this.#writer = undefined;
    }
  }

  /** Every version written since start (seed excluded), oldest first. */
  journal(): readonly JournalEntry[] {
    return this.#journal;
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions,
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    assertValid(resource);
    const result = await super.conditionalCreate(resource, search, options);
    // Medplum's in-memory conditional create stores without createResource: journal it here.
    if (isCreated(result.outcome)) {
      this.#journal.push({ writer: this.#writer, resource: deepClone(result.resource) });
    }
    return result;
  }

  override async readResource<T extends Resource>(resourceType: string, id: string): Promise<T> {
    try {
      return await super.readResource<T>(resourceType, id);
    } catch (err) {
      const wasDeleted = this.#internals.history.get(resourceType)?.has(id) ?? false;
      if (wasDeleted && err instanceof OperationOutcomeError && isNotFound(err.outcome)) {
        throw new OperationOutcomeError(gone);
      }
      throw err;
    }
  }

  override async search<T extends Resource>(
    searchRequest: SearchRequest<T>,
  ): Promise<Bundle<WithId<T>>> {
    const filters = searchRequest.filters ?? [];
    const known = globalSchema.types[searchRequest.resourceType]?.searchParams ?? {};
    // Sorting by an unknown parameter would silently return an unsorted page.
    const unknownSorts = (searchRequest.sortRules ?? [])
      .filter((rule) => !(rule.code in known))
      .map((rule) => rule.code);
    if (unknownSorts.length > 0) {
      throw new OperationOutcomeError(
        badRequest(
          `Unknown _sort parameter for ${searchRequest.resourceType}: ${unknownSorts.join(', ')}`,
        ),
      );
    }
    if (filters.some((f) => isSpecialFilter(f.code))) {
      return super.search(searchRequest); // chained parameters: medplum's own path
    }
    const unknown = filters.filter((f) => !(f.code in known)).map((f) => f.code);
    if (unknown.length > 0) {
      throw new OperationOutcomeError(
        badRequest(
          `Unknown search parameter for ${searchRequest.resourceType}: ${unknown.join(', ')}`,
        ),
      );
    }
    const typeResources = this.#internals.resources.get(searchRequest.resourceType);
    const stored = (typeResources.candidates(filters, (code) => known[code]?.type) ??
      Array.from(typeResources.values())) as WithId<T>[];
    const matching = await this.#inSlices(stored, (r) => matchesSearchRequest(r, searchRequest));
    let matches = stored.filter((_, i) => matching[i]);
    matches = await this.#sortBy(matches, searchRequest);
    const offset = searchRequest.offset ?? 0;
    const page = matches.slice(
      offset,
      searchRequest.count === undefined ? undefined : offset + searchRequest.count,
    );
    const resources = await this.#inSlices(page, (r) => deepClone(r));
    const entry: BundleEntry<WithId<T>>[] = resources.map((resource) => ({
      search: { mode: 'match' },
      resource,
    }));
    if ((searchRequest.include || searchRequest.revInclude) && resources.length > 0) {
      await getExtraEntries(this, searchRequest, resources, entry as BundleEntry[]);
      await this.#includeCanonicals(searchRequest, resources, entry);
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: matches.length,
      ...(entry.length > 0 ? { entry } : {}),
    };
  }

  /**
   * `_include` through a canonical (`QuestionnaireResponse:questionnaire`): medplum includes only
   * literal references; a canonical `url|version` is resolved here by the target type's `url` and
   * `version`, as R5 and HAPI do.
   */
  async #includeCanonicals(
    searchRequest: SearchRequest,
    resources: readonly Resource[],
    entries: BundleEntry[],
  ): Promise<void> {
    const params = globalSchema.types[searchRequest.resourceType]?.searchParams ?? {};
    const present = new Set(
      entries.map((e) => `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`),
    );
    for (const include of searchRequest.include ?? []) {
      const param = params[include.searchParam];
      if (include.resourceType !== searchRequest.resourceType || param?.type !== 'reference') {
        continue;
      }
      const canonicals = new Set(
        resources.flatMap((r) =>
          evalFhirPath(param.expression ?? '', r).filter((v) => typeof v === 'string'),
        ),
      );
      const targets = include.targetType ? [include.targetType] : (param.target ?? []);
      for (const canonical of canonicals) {
        const [url = '', version] = canonical.split('|');
        for (const target of targets.filter(
          (t) => 'url' in (globalSchema.types[t]?.searchParams ?? {}),
        )) {
          const filters = [
            { code: 'url', operator: Operator.EQUALS, value: url },
            ...(version ? [{ code: 'version', operator: Operator.EQUALS, value: version }] : []),
          ];
          const found = await super.search({
            resourceType: target as Resource['resourceType'],
            filters,
          });
          for (const e of found.entry ?? []) {
            const key = `${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`;
            if (e.resource && !present.has(key)) {
              present.add(key);
              entries.push({ search: { mode: 'include' }, resource: e.resource });
            }
          }
        }
      }
    }
  }

  /**
   * Stores resources with their own ids (and meta, if given), without per-resource validation and
   * straight into the store (medplum's create round-trips each through JSON and clones it twice:
   * 4 s for the 33,000 seed resources). The repository takes ownership of the objects.
   */
  load(resources: readonly Resource[]): Promise<void> {
    const lastUpdated = new Date().toISOString();
    const { resources: stored, history } = this.#internals;
    for (const resource of resources) {
      const { resourceType, id } = resource;
      if (!id) {
        throw new Error(`loadResources: a ${resourceType} has no id`);
      }
      const byId = stored.get(resourceType);
      if (byId.has(id)) {
        throw new Error(`loadResources: ${resourceType}/${id} is loaded twice`);
      }
      const version = {
        ...resource,
        meta: {
          ...resource.meta,
          versionId: resource.meta?.versionId ?? randomUUID(),
          lastUpdated: resource.meta?.lastUpdated ?? lastUpdated,
        },
      } as Resource;
      byId.set(id, version);
      let versions = history.get(resourceType);
      if (versions === undefined) {
        versions = new Map();
        history.set(resourceType, versions);
      }
      versions.set(id, [version]);
    }
    for (const type of stored.keys()) {
      stored.get(type).prepare();
    }
    return Promise.resolve();
  }

  /**
   * `f` over every item, yielding to the event loop after each SLICE_MS of work so that one large
   * search never stalls the other requests (the FHIR server's read/write lock keeps a write from
   * running meanwhile).
   */
  async #inSlices<I, R>(items: readonly I[], f: (item: I) => R): Promise<R[]> {
    const results: R[] = [];
    let sliceStart = performance.now();
    for (const [i, item] of items.entries()) {
      results.push(f(item));
      if (i % 8 === 7 && performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return results;
  }

  /**
   * Sorts by `_sort` rules with each resource's sort key computed once (medplum's comparator
   * evaluates FHIRPath on every comparison). Same ordering as medplum: JSON of the values, compared
   * as strings.
   */
  async #sortBy<T extends Resource>(
    resources: WithId<T>[],
    searchRequest: SearchRequest<T>,
  ): Promise<WithId<T>[]> {
    const rules = searchRequest.sortRules ?? [];
    if (rules.length === 0 || resources.length < 2) {
      return resources;
    }
    const params = globalSchema.types[searchRequest.resourceType]?.searchParams ?? {};
    const keys = await this.#inSlices(resources, (resource) =>
      rules.map((rule) => {
        const expression = params[rule.code]?.expression;
        return expression ? JSON.stringify(evalFhirPath(expression, resource)) : '';
      }),
    );
    const keyed = resources.map((resource, i) => ({ resource, keys: keys[i] ?? [] }));
    keyed.sort((a, b) => {
      for (const [i, rule] of rules.entries()) {
        const order = (a.keys[i] ?? '').localeCompare(b.keys[i] ?? '');
        if (order !== 0) {
          return rule.descending ? -order : order;
        }
      }
      return 0;
    });
    return keyed.map((k) => k.resource);
  }

  #snapshot(): Snapshot {
    const resources = new Map<string, Map<string, Resource>>();
    for (const [type, byId] of this.#internals.resources) {
      resources.set(type, new Map(byId));
    }
    const historyLengths = new Map<string, Map<string, number>>();
    for (const [type, byId] of this.#internals.history) {
      historyLengths.set(
        type,
        new Map(Array.from(byId, ([id, versions]) => [id, versions.length])),
      );
    }
    return { resources, historyLengths, journalLength: this.#journal.length };
  }

  #restore(snapshot: Snapshot): void {
    this.#journal.length = snapshot.journalLength;
    const { resources, history } = this.#internals;
    resources.clear();
    for (const [type, byId] of snapshot.resources) {
      resources.set(type, byId);
    }
    for (const [type, byId] of history) {
      const lengths = snapshot.historyLengths.get(type);
      for (const [id, versions] of byId) {
        const length = lengths?.get(id);
        if (length === undefined) {
          byId.delete(id);
        } else {
          versions.length = length;
        }
      }
    }
  }
}

/** Rejects a resource that breaks its R4 StructureDefinition (cardinality, types, required values). */
function assertValid(resource: Resource): void {
  const errors = validateResource(resource).filter(
    (i) => i.severity === 'error' || i.severity === 'fatal',
  );
  if (errors.length > 0) {
    throw new OperationOutcomeError({
      resourceType: 'OperationOutcome',
      id: 'invalid',
      issue: errors,
    });
  }
}
