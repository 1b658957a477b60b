/**
 * The reference ViewDefinition runner: every path evaluated by fhirpath.js (HL7's FHIRPath in
 * JavaScript, R4 model) resource by resource, following the SQL on FHIR v2 algorithm (select
 * nodes multiply, unionAll concatenates, forEach/forEachOrNull/repeat iterate, %rowIndex counts
 * within the iteration). It passes the official conformance tests (tests/unit/views/) and is the
 * yardstick for the DuckDB compiler (viewSql.ts), which runs the project's views at scale.
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { BOUNDARY_FUNCTIONS } from './boundary.ts';
import { resourceKey, referenceKey } from './keys.ts';
import type { ViewColumn, ViewDefinition, ViewSelect } from './viewDefinition.ts';
import { ViewError, checkView } from './viewDefinition.ts';
import { constantLiteral, inlineConstants } from './constants.ts';

type Row = Record<string, unknown>;
type Constants = ReadonlyMap<string, string>;
type Evaluator = (focus: unknown, env: Record<string, unknown>) => unknown[];

interface Node {
  readonly data?: unknown;
}

function dataOf(item: unknown): unknown {
  return typeof item === 'object' && item !== null && 'data' in item ? (item as Node).data : item;
}

const USER_FUNCTIONS = {
  getResourceKey: {
    fn: (inputs: unknown[]) => inputs.flatMap((input) => resourceKey(dataOf(input)) ?? []),
    arity: { 0: [] },
  },
  getReferenceKey: {
    fn: (inputs: unknown[], type?: { name?: string }) =>
      inputs.flatMap((input) => referenceKey(dataOf(input), type?.name) ?? []),
    arity: { 0: [], 1: ['TypeSpecifier' as const] },
  },
  // SQL on FHIR: join() of an empty collection is '' (fhirpath.js gives empty).
  join: {
    fn: (inputs: unknown[], separator?: string) => [
      inputs.map((input) => String(dataOf(input))).join(separator ?? ''),
    ],
    arity: { 0: [], 1: ['String' as const] },
  },
  ...BOUNDARY_FUNCTIONS,
};

function compilePath(path: string, constants: Constants): Evaluator {
  const expression = inlineConstants(path, constants);
  let compiled: (resource: unknown, env: Record<string, unknown>) => unknown[];
  try {
    compiled = fhirpath.compile(expression, r4, {
      resolveInternalTypes: false,
      userInvocationTable: USER_FUNCTIONS,
    }) as typeof compiled;
  } catch (error) {
    throw new ViewError(`FHIRPath '${path}': ${error instanceof Error ? error.message : ''}`);
  }
  return (focus, env) => {
    try {
      return compiled(focus, env);
    } catch (error) {
      throw new ViewError(`FHIRPath '${path}': ${error instanceof Error ? error.message : ''}`);
    }
  };
}

interface CompiledSelect {
  readonly node: ViewSelect;
  readonly columns: readonly (ViewColumn & { readonly evaluate: Evaluator })[];
  readonly iterate?: Evaluator;
  readonly orNull: boolean;
  readonly repeat: readonly Evaluator[];
  readonly selects: readonly CompiledSelect[];
  readonly unionAll: readonly CompiledSelect[];
  /** Every column this node yields (own, nested selects, first unionAll branch), for null rows. */
  readonly names: readonly string[];
}

function compileSelect(node: ViewSelect, constants: Constants): CompiledSelect {
  const iteratePath = node.forEach ?? node.forEachOrNull;
  const selects = (node.select ?? []).map((child) => compileSelect(child, constants));
  const unionAll = (node.unionAll ?? []).map((child) => compileSelect(child, constants));
  const columns = (node.column ?? []).map((column) => ({
    ...column,
    evaluate: compilePath(column.path, constants),
  }));
  return {
    node,
    columns,
    ...(iteratePath === undefined ? {} : { iterate: compilePath(iteratePath, constants) }),
    orNull: node.forEachOrNull !== undefined,
    repeat: (node.repeat ?? []).map((path) => compilePath(path, constants)),
    selects,
    unionAll,
    names: [
      ...columns.map((c) => c.name),
      ...selects.flatMap((s) => s.names),
      ...(unionAll[0]?.names ?? []),
    ],
  };
}

/** Plain JSON values of a fhirpath.js result (FP types → strings and numbers). */
function plain(values: readonly unknown[]): unknown[] {
  return (fhirpath.resolveInternalTypes(values.map(dataOfTyped)) as unknown[]).map((value) =>
    typeof value === 'object' && value !== null && 'toJSON' in value
      ? (value as { toJSON(): unknown }).toJSON()
      : value,
  );
}

/** Keeps FHIRPath system values (FP_DateTime …) for resolveInternalTypes; unwraps nodes. */
function dataOfTyped(item: unknown): unknown {
  return typeof item === 'object' &&
    item !== null &&
    item.constructor.name === 'ResourceNode' &&
    'data' in item
    ? (item as Node).data
    : item;
}

function columnValue(column: ViewColumn & { evaluate: Evaluator }, focus: unknown, env: Row) {
  const values = plain(column.evaluate(focus, env));
  if (column.collection === true) {
    return values;
  }
  if (values.length > 1) {
    throw new ViewError(
      `column '${column.name}' (${column.path}) gave ${values.length} values; set collection: true or narrow the path`,
    );
  }
  return values[0] ?? null;
}

function product(parts: readonly Row[][]): Row[] {
  return parts.reduce<Row[]>(
    (rows, part) => rows.flatMap((row) => part.map((extra) => ({ ...row, ...extra }))),
    [{}],
  );
}

/** Depth-first (pre-order) closure of the repeat paths from a focus. */
function repeated(paths: readonly Evaluator[], focus: unknown, env: Row): unknown[] {
  const out: unknown[] = [];
  const visit = (node: unknown): void => {
    for (const path of paths) {
      for (const child of path(node, env)) {
        out.push(child);
        visit(child);
      }
    }
  };
  visit(focus);
  return out;
}

function rowsOf(select: CompiledSelect, focus: unknown, env: Row): Row[] {
  const foci =
    select.iterate !== undefined
      ? select.iterate(focus, env)
      : select.repeat.length > 0
        ? repeated(select.repeat, focus, env)
        : undefined;
  if (foci === undefined) {
    return innerRows(select, focus, env);
  }
  if (foci.length === 0 && select.orNull) {
    // One row of nulls; %rowIndex is still 0 there.
    const nulls: Row = Object.fromEntries(select.names.map((name) => [name, null]));
    for (const column of select.columns) {
      nulls[column.name] = columnValue(column, [], { ...env, rowIndex: 0 });
    }
    return [nulls];
  }
  return foci.flatMap((item, index) => innerRows(select, item, { ...env, rowIndex: index }));
}

function innerRows(select: CompiledSelect, focus: unknown, env: Row): Row[] {
  const own = Object.fromEntries(
    select.columns.map((column) => [column.name, columnValue(column, focus, env)]),
  );
  const parts: Row[][] = [[own], ...select.selects.map((child) => rowsOf(child, focus, env))];
  if (select.unionAll.length > 0) {
    parts.push(select.unionAll.flatMap((branch) => rowsOf(branch, focus, env)));
  }
  return product(parts);
}

interface CompiledView {
  readonly view: ViewDefinition;
  readonly columns: readonly ViewColumn[];
  /** The view's rows for one resource (none when it is another type or fails `where`). */
  rows(resource: unknown): Row[];
}

/** Checks and compiles a ViewDefinition; errors are ViewErrors naming the problem. */
function compileView(definition: unknown): CompiledView {
  const { view, columns } = checkView(definition);
  const constantNames: Constants = new Map(
    (view.constant ?? []).map((c) => [c.name, constantLiteral(c)]),
  );
  const env: Row = {};
  const selects = view.select.map((node) => compileSelect(node, constantNames));
  const wheres = (view.where ?? []).map((clause) => ({
    path: clause.path,
    evaluate: compilePath(clause.path, constantNames),
  }));
  const order = columns.map((c) => c.name);
  return {
    view,
    columns,
    rows(resource) {
      if (
        dataOf(resource) === undefined ||
        (resource as { resourceType?: unknown }).resourceType !== view.resource
      ) {
        return [];
      }
      const top: Row = { ...env, rowIndex: 0 };
      for (const clause of wheres) {
        const result = plain(clause.evaluate(resource, top));
        if (result.some((value) => typeof value !== 'boolean')) {
          throw new ViewError(`where '${clause.path}' must give a boolean`);
        }
        if (result[0] !== true) {
          return [];
        }
      }
      return product(selects.map((select) => rowsOf(select, resource, top))).map((row) =>
        Object.fromEntries(order.map((name) => [name, row[name] ?? null])),
      );
    },
  };
}

/** All rows of a view over resources (any types; others are skipped). */
export function runView(definition: unknown, resources: Iterable<unknown>): Row[] {
  const compiled = compileView(definition);
  const rows: Row[] = [];
  for (const resource of resources) {
    rows.push(...compiled.rows(resource));
  }
  return rows;
}
