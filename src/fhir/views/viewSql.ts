/**
 * A ViewDefinition compiled to one DuckDB SELECT over a relation of FHIR resources as JSON (column
 * `resource`). Each select node becomes a list of row structs for its focus (columns, nested
 * selects and unionAll multiply as the specification says; forEach/forEachOrNull/repeat map over
 * their items with %rowIndex), and the view's rows are those lists unnested. The SQL runs in
 * DuckDB's vectorised engine on every core; the JavaScript runner (runView.ts) is its yardstick.
 */
import type { ViewColumn, ViewSelect } from './viewDefinition.ts';
import { ViewError, checkView } from './viewDefinition.ts';
import { constantLiteral, inlineConstants } from './constants.ts';
import { EMPTY, compilePathSql, sqlString, truth } from './fhirpathSql.ts';
import type { SqlScope } from './fhirpathSql.ts';

/** Macros the compiled SQL uses; run once per connection before a view's SQL. */
export const VIEW_SQL_MACROS = `CREATE OR REPLACE MACRO fp_arr(j) AS (CASE WHEN j IS NULL OR json_type(j) = 'NULL' THEN []::JSON[] WHEN json_type(j) = 'ARRAY' THEN CAST(j AS JSON[]) ELSE [j] END);`;

/** Repeat paths are followed this deep (SQL has no recursion inside an expression). */
const REPEAT_DEPTH = 6;

const INTEGER_TYPES = new Set(['integer', 'positiveInt', 'unsignedInt', 'integer64']);

/** DuckDB type of a column, from its FHIR type. */
export function sqlType(column: ViewColumn): string {
  const base =
    column.type === 'boolean'
      ? 'BOOLEAN'
      : INTEGER_TYPES.has(column.type ?? '')
        ? 'BIGINT'
        : column.type === 'decimal'
          ? 'DOUBLE'
          : 'VARCHAR';
  return column.collection === true ? `${base}[]` : base;
}

function convert(item: string, column: ViewColumn): string {
  const base = sqlType({ ...column, collection: false });
  return base === 'VARCHAR' ? `(${item} ->> '$')` : `CAST(${item} AS ${base})`;
}

function quoteName(name: string): string {
  return `"${name}"`;
}

interface Compiler {
  readonly constants: ReadonlyMap<string, string>;
  readonly resourceType: string;
}

let counter = 0;
function fresh(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}`;
}

function path(compiler: Compiler, fhirPath: string, scope: SqlScope): string {
  return compilePathSql(inlineConstants(fhirPath, compiler.constants), `[${scope.focus}]`, scope);
}

function columnSql(compiler: Compiler, column: ViewColumn, scope: SqlScope): string {
  const list = path(compiler, column.path, scope);
  if (column.collection === true) {
    const v = fresh('c');
    return `list_transform(${list}, lambda ${v}: ${convert(v, column)})`;
  }
  const message = sqlString(`column '${column.name}' (${column.path}) gave several values`);
  return `(CASE WHEN len(${list}) > 1 THEN error(${message}) ELSE ${convert(`${list}[1]`, column)} END)`;
}

function columnsOf(node: ViewSelect): ViewColumn[] {
  return [
    ...(node.column ?? []),
    ...(node.select ?? []).flatMap(columnsOf),
    ...(node.unionAll?.[0] === undefined ? [] : columnsOf(node.unionAll[0])),
  ];
}

/** Cross product of lists of row structs, each given with the columns it holds. */
function product(parts: readonly { sql: string; columns: readonly ViewColumn[] }[]): string {
  const vars = parts.map(() => fresh('r'));
  const fields = parts.flatMap((part, i) =>
    part.columns.map((c) => `${quoteName(c.name)} := ${vars[i] ?? ''}.${quoteName(c.name)}`),
  );
  let sql = `struct_pack(${fields.join(', ')})`;
  for (let i = parts.length - 1; i >= 0; i -= 1) {
    sql = `list_transform(${parts[i]?.sql ?? ''}, lambda ${vars[i] ?? ''}: ${sql})`;
    if (i < parts.length - 1) {
      sql = `flatten(${sql})`;
    }
  }
  return sql;
}

/** forEachOrNull's row for no items: nulls, but the node's own columns see %rowIndex 0. */
function nullRow(compiler: Compiler, node: ViewSelect, scope: SqlScope): string {
  const own = new Set((node.column ?? []).map((c) => c.name));
  const nothing: SqlScope = { ...scope, focus: 'CAST(NULL AS JSON)', rowIndex: '0' };
  const fields = columnsOf(node).map(
    (c) =>
      `${quoteName(c.name)} := ${own.has(c.name) ? columnSql(compiler, c, nothing) : `CAST(NULL AS ${sqlType(c)})`}`,
  );
  return `[struct_pack(${fields.join(', ')})]`;
}

function innerRows(compiler: Compiler, node: ViewSelect, scope: SqlScope): string {
  const parts: { sql: string; columns: readonly ViewColumn[] }[] = [];
  const own = node.column ?? [];
  if (own.length > 0) {
    parts.push({
      sql: `[struct_pack(${own.map((c) => `${quoteName(c.name)} := ${columnSql(compiler, c, scope)}`).join(', ')})]`,
      columns: own,
    });
  }
  for (const child of node.select ?? []) {
    parts.push({ sql: selectRows(compiler, child, scope), columns: columnsOf(child) });
  }
  if (node.unionAll !== undefined && node.unionAll.length > 0) {
    const first = node.unionAll[0];
    parts.push({
      sql: `list_concat(${node.unionAll.map((branch) => selectRows(compiler, branch, scope)).join(', ')})`,
      columns: first === undefined ? [] : columnsOf(first),
    });
  }
  if (parts.length === 0) {
    throw new ViewError('a select node without columns');
  }
  return parts.length === 1 ? (parts[0]?.sql ?? '') : product(parts);
}

/** Items of repeat paths in depth-first pre-order (as runView.ts visits them). */
function repeatItems(compiler: Compiler, paths: readonly string[], scope: SqlScope): string {
  const childrenOf = (focus: string): string =>
    `list_concat(${paths.map((p) => path(compiler, p, { ...scope, focus })).join(', ')})`;
  const levels: string[] = [];
  const n = fresh('n');
  const i = fresh('i');
  levels.push(
    `list_transform(${childrenOf(scope.focus)}, lambda ${n}, ${i}: {'k': [${i}], 'n': ${n}})`,
  );
  for (let depth = 1; depth < REPEAT_DEPTH; depth += 1) {
    const e = fresh('e');
    const m = fresh('m');
    const j = fresh('j');
    const previous = levels[depth - 1] ?? EMPTY;
    levels.push(
      `flatten(list_transform(${previous}, lambda ${e}: list_transform(${childrenOf(`${e}.n`)}, lambda ${m}, ${j}: {'k': list_append(${e}.k, ${j}), 'n': ${m}})))`,
    );
  }
  const s = fresh('s');
  return `list_transform(list_sort(list_concat(${levels.join(', ')})), lambda ${s}: ${s}.n)`;
}

function selectRows(compiler: Compiler, node: ViewSelect, scope: SqlScope): string {
  const iterate = node.forEach ?? node.forEachOrNull;
  const items =
    iterate !== undefined
      ? path(compiler, iterate, scope)
      : node.repeat !== undefined && node.repeat.length > 0
        ? repeatItems(compiler, node.repeat, scope)
        : undefined;
  if (items === undefined) {
    return innerRows(compiler, node, scope);
  }
  const v = fresh('f');
  const i = fresh('x');
  const each = `flatten(list_transform(${items}, lambda ${v}, ${i}: ${innerRows(compiler, node, { ...scope, focus: v, rowIndex: `(${i} - 1)` })}))`;
  if (node.forEachOrNull === undefined) {
    return each;
  }
  return `(CASE WHEN len(${items}) = 0 THEN ${nullRow(compiler, node, scope)} ELSE ${each} END)`;
}

export interface ViewSql {
  readonly resource: string;
  readonly columns: readonly ViewColumn[];
  /** SELECT producing the view's rows from `source`. */
  readonly sql: string;
}

/**
 * Compiles a ViewDefinition to SQL reading `source`, a relation with a JSON column `resource`
 * (rows of other resource types are filtered out here).
 */
export function compileViewSql(definition: unknown, source: string): ViewSql {
  const { view, columns } = checkView(definition);
  const compiler: Compiler = {
    constants: new Map((view.constant ?? []).map((c) => [c.name, constantLiteral(c)])),
    resourceType: view.resource,
  };
  const scope: SqlScope = { focus: 'resource', rowIndex: '0', resourceType: view.resource };
  const wheres = (view.where ?? []).map((clause) => {
    const list = path(compiler, clause.path, scope);
    const message = sqlString(`where '${clause.path}' must give a boolean`);
    return `(CASE WHEN len(${list}) > 0 AND json_type(${list}[1]) <> 'BOOLEAN' THEN error(${message}) ELSE coalesce(${truth(list)}, false) END)`;
  });
  const tops = view.select.map((node) => ({
    sql: selectRows(compiler, node, scope),
    columns: columnsOf(node),
  }));
  const rows = tops.length === 1 ? (tops[0]?.sql ?? EMPTY) : product(tops);
  const filter = [`(resource ->> '$.resourceType') = ${sqlString(view.resource)}`, ...wheres].join(
    ' AND ',
  );
  const sql = `SELECT ${columns.map((c) => `row.${quoteName(c.name)} AS ${quoteName(c.name)}`).join(', ')} FROM (SELECT unnest(${rows}) AS row FROM ${source} WHERE ${filter})`;
  return { resource: view.resource, columns, sql };
}
