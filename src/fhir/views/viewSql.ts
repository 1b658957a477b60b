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
import { EMPTY, TopLevel, asList, asOne, bind, compilePathSql, sqlString } from './fhirpathSql.ts';
import type { Compiled, SqlScope } from './fhirpathSql.ts';
import { SQL_MACROS } from './sqlMacros.ts';

/** Macros the compiled SQL uses; run once per connection before a view's SQL. */
export const VIEW_SQL_MACROS = SQL_MACROS.join(';\n');

/** Repeat paths are followed this deep (SQL has no recursion inside an expression); PEG and screening forms nest two. */
const REPEAT_DEPTH = 4;

const INTEGER_TYPES = new Set(['integer', 'positiveInt', 'unsignedInt', 'integer64']);

/** DuckDB type of a column, from its FHIR type. */
function sqlType(column: ViewColumn): string {
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

function path(compiler: Compiler, fhirPath: string, scope: SqlScope): Compiled {
  return compilePathSql(inlineConstants(fhirPath, compiler.constants), scope);
}

function columnSql(compiler: Compiler, column: ViewColumn, scope: SqlScope): string {
  const compiled = path(compiler, column.path, scope);
  if (column.collection === true) {
    const v = fresh('c');
    return `list_transform(${asList(compiled)}, lambda ${v}: ${convert(v, column)})`;
  }
  switch (compiled.kind) {
    case 'bool':
      return column.type === undefined || column.type === 'boolean'
        ? compiled.sql
        : `CAST(${compiled.sql} AS ${sqlType(column)})`;
    case 'one':
      return convert(compiled.sql, column);
    case 'list': {
      const message = sqlString(`column '${column.name}' (${column.path}) gave several values`);
      return bind(
        compiled.sql,
        (l) =>
          `(CASE WHEN len(${l}) > 1 THEN error(${message}) ELSE ${convert(`${l}[1]`, column)} END)`,
      );
    }
  }
}

/** A select node that yields exactly one row per resource: no iteration, no unionAll. */
function isFlat(node: ViewSelect): boolean {
  return (
    node.forEach === undefined &&
    node.forEachOrNull === undefined &&
    (node.repeat ?? []).length === 0 &&
    (node.unionAll ?? []).length === 0 &&
    (node.select ?? []).every(isFlat)
  );
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

/** forEachOrNull's row for no items: nulls, but %rowIndex is 0 there. */
function nullRow(node: ViewSelect): string {
  const own = new Set((node.column ?? []).map((c) => c.name));
  const fields = columnsOf(node).map(
    (c) =>
      `${quoteName(c.name)} := ${own.has(c.name) && c.path.trim() === '%rowIndex' ? `CAST(0 AS ${sqlType(c)})` : `CAST(NULL AS ${sqlType(c)})`}`,
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
function repeatItems(
  compiler: Compiler,
  paths: readonly string[],
  scope: SqlScope,
): { sql: string; type: string | undefined } {
  const firstLevel = paths.map((p) => path(compiler, p, scope));
  const first = firstLevel[0];
  const type = first === undefined || first.kind === 'bool' ? undefined : first.type;
  const children = (focus: string, depth: number): string =>
    depth === 0
      ? `list_concat(${firstLevel.map(asList).join(', ')})`
      : `list_concat(${paths.map((p) => asList(path(compiler, p, { ...scope, focus, type }))).join(', ')})`;
  // Depth-first pre-order: each item, then its own items, REPEAT_DEPTH levels deep.
  const walk = (focus: string, depth: number): string => {
    const c = fresh('n');
    const below = depth + 1 < REPEAT_DEPTH ? walk(c, depth + 1) : EMPTY;
    return `flatten(list_transform(${children(focus, depth)}, lambda ${c}: list_concat([${c}], ${below})))`;
  };
  return { sql: walk(scope.focus, 0), type };
}

function selectRows(compiler: Compiler, node: ViewSelect, scope: SqlScope): string {
  const iterate = node.forEach ?? node.forEachOrNull;
  let found: { sql: string; type: string | undefined } | undefined;
  if (iterate !== undefined) {
    const compiled = path(compiler, iterate, scope);
    found = { sql: asList(compiled), type: compiled.kind === 'bool' ? 'boolean' : compiled.type };
  } else if (node.repeat !== undefined && node.repeat.length > 0) {
    found = repeatItems(compiler, node.repeat, scope);
  }
  if (found === undefined) {
    return innerRows(compiler, node, scope);
  }
  const items = found.sql;
  const itemScope = { ...scope, type: found.type };
  const v = fresh('f');
  const i = fresh('x');
  const each = (list: string): string =>
    `flatten(list_transform(${list}, lambda ${v}, ${i}: ${innerRows(compiler, node, { ...itemScope, focus: v, rowIndex: `(${i} - 1)` })}))`;
  if (node.forEachOrNull === undefined) {
    return each(items);
  }
  return bind(
    items,
    (list) => `(CASE WHEN len(${list}) = 0 THEN ${nullRow(node)} ELSE ${each(list)} END)`,
  );
}

interface ViewSql {
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
  const top = new TopLevel('resource', 'top');
  const scope: SqlScope = {
    focus: 'resource',
    type: view.resource,
    rowIndex: '0',
    resourceType: view.resource,
    top,
  };
  const wheres = (view.where ?? []).map((clause) => {
    const message = sqlString(`where '${clause.path}' must give a boolean`);
    const compiled = path(compiler, clause.path, scope);
    if (compiled.kind === 'bool') {
      return `coalesce(${compiled.sql}, false)`;
    }
    return bind(
      asList(compiled),
      (l) =>
        `(CASE WHEN len(${l}) > 0 AND json_type(${l}[1]) <> 'BOOLEAN' THEN error(${message}) ELSE coalesce(CAST(${l}[1] AS BOOLEAN), false) END)`,
    );
  });
  // A line without the text "Patient" (quoted) cannot be a Patient: that cheap test skips other
  // types' lines before any JSON is parsed; the parsed resourceType then decides.
  const resourceType = asOne(compilePathSql('resourceType', scope));
  const typeFilter = `contains(resource::VARCHAR, ${sqlString(`"${view.resource}"`)})`;
  const filter = [`(${resourceType} ->> '$') = ${sqlString(view.resource)}`, ...wheres].join(
    ' AND ',
  );
  // Columns outside any iteration are plain expressions of the resource row; only iterated
  // select nodes build lists of row structs to unnest (far cheaper in DuckDB for wide views).
  const flat = view.select.filter(isFlat).flatMap(columnsOf);
  const flatNames = new Set(flat.map((c) => c.name));
  const flatSql = flat.map((c) => `${columnSql(compiler, c, scope)} AS ${quoteName(c.name)}`);
  const iterated = view.select
    .filter((node) => !isFlat(node))
    .map((node) => ({ sql: selectRows(compiler, node, scope), columns: columnsOf(node) }));
  const parts = top.sql();
  const from =
    parts === undefined
      ? source
      : `(SELECT resource, ${parts} AS ${top.name} FROM ${source} WHERE ${typeFilter})`;
  let sql: string;
  if (iterated.length === 0) {
    sql = `SELECT ${flatSql.join(', ')} FROM ${from} WHERE ${filter}`;
  } else {
    const rows = iterated.length === 1 ? (iterated[0]?.sql ?? EMPTY) : product(iterated);
    const outer = columns.map((c) =>
      flatNames.has(c.name)
        ? quoteName(c.name)
        : `row.${quoteName(c.name)} AS ${quoteName(c.name)}`,
    );
    sql = `SELECT ${outer.join(', ')} FROM (SELECT ${[...flatSql, `unnest(${rows}) AS row`].join(', ')} FROM ${from} WHERE ${filter})`;
  }
  return { resource: view.resource, columns, sql };
}
