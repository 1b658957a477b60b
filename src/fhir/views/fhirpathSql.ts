/**
 * FHIRPath (the SQL on FHIR shareable subset) compiled to DuckDB SQL over JSON. Parsing is
 * fhirpath.js's own parser, so both runners read a path alike. An expression compiles to one of
 * three kinds: `list` (JSON[], a collection), `one` (a JSON value or NULL: at most one item) or
 * `bool` (SQL BOOLEAN, NULL = empty). With FHIR's structure known (fhirModel.ts), a chain of
 * members is one JSONPath extraction (`$.code.coding[*]`), and comparisons and logic are plain
 * SQL; lambdas remain only where FHIRPath iterates (where, forEach). What the subset does not
 * cover (is/as, a decimal's lowBoundary/highBoundary …) is a ViewError naming it, never a wrong
 * answer.
 */
import fhirpath from 'fhirpath';
import { memberOf } from './fhirModel.ts';
import { sqlString } from './sqlMacros.ts';
import { ViewError } from './viewDefinition.ts';

interface Ast {
  readonly type: string;
  readonly text?: string;
  readonly atRoot?: number;
  readonly children?: readonly Ast[];
}

/** A compiled expression; `type` is its items' FHIR type when known; `chain` a JSONPath from a variable. */
export type Compiled =
  | {
      readonly kind: 'list';
      readonly sql: string;
      readonly type?: string | undefined;
      readonly chain?: Chain;
    }
  | {
      readonly kind: 'one';
      readonly sql: string;
      readonly type?: string | undefined;
      readonly chain?: Chain;
    }
  | { readonly kind: 'bool'; readonly sql: string };

interface Chain {
  readonly root: string;
  readonly path: string;
}

/**
 * The resource's top-level members a view reads, extracted with one JSON parse
 * (`json_extract(resource, ['$.a', '$.b'])` as `name`); paths then continue on those parts.
 */
export class TopLevel {
  readonly keys: string[] = [];
  readonly root: string;
  readonly name: string;

  constructor(root: string, name: string) {
    this.root = root;
    this.name = name;
  }

  /** `name[i]`, the part holding `key`. */
  part(key: string): string {
    let index = this.keys.indexOf(key);
    if (index < 0) {
      this.keys.push(key);
      index = this.keys.length - 1;
    }
    return `${this.name}[${index + 1}]`;
  }

  /** The extraction, or undefined when the view reads no member this way. */
  sql(): string | undefined {
    return this.keys.length === 0
      ? undefined
      : `json_extract(${this.root}, [${this.keys.map((k) => sqlString(`$."${k}"`)).join(', ')}])`;
  }
}

export interface SqlScope {
  /** The variable (JSON) the path is evaluated on, and its FHIR type when known. */
  readonly focus: string;
  readonly type: string | undefined;
  /** SQL integer expression for %rowIndex. */
  readonly rowIndex: string;
  readonly resourceType: string;
  readonly top?: TopLevel | undefined;
}

let counter = 0;
function fresh(): string {
  counter += 1;
  return `v${counter}`;
}

export const EMPTY = '[]::JSON[]';

export { sqlString };

/** `body` with `sql` in it: written as is when it is a name, else bound once (see bind). */
function once(sql: string, body: (name: string) => string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(sql) ? body(sql) : bind(sql, body);
}

/** `body` over the value of `sql` computed once (a one-element list_transform names it). */
export function bind(sql: string, body: (name: string) => string): string {
  const name = fresh();
  return `(list_transform([${sql}], lambda ${name}: ${body(name)})[1])`;
}

export function asList(c: Compiled): string {
  switch (c.kind) {
    case 'list':
      return c.sql;
    case 'one':
      return once(c.sql, (x) => `fp_one(${x})`);
    case 'bool':
      return bind(c.sql, (b) => `(CASE WHEN ${b} IS NULL THEN ${EMPTY} ELSE [to_json(${b})] END)`);
  }
}

export function asOne(c: Compiled): string {
  switch (c.kind) {
    case 'list':
      return `(${c.sql})[1]`;
    case 'one':
      return c.sql;
    case 'bool':
      return `to_json(${c.sql})`;
  }
}

/** FHIRPath singleton evaluation as a boolean: empty → NULL; a non-boolean item → true. */
function asBool(c: Compiled): string {
  if (c.kind === 'bool') {
    return c.sql;
  }
  if (c.type === 'boolean') {
    return `CAST(${asOne(c)} AS BOOLEAN)`;
  }
  return once(asOne(c), (x) => `fp_bool(${x})`);
}

const NUMERIC_TYPES = new Set(['integer', 'decimal', 'positiveInt', 'unsignedInt', 'integer64']);
const STRING_TYPES = new Set([
  'string',
  'code',
  'id',
  'uri',
  'url',
  'canonical',
  'oid',
  'uuid',
  'markdown',
  'date',
  'dateTime',
  'instant',
  'time',
  'base64Binary',
]);

function compare(op: string, a: Compiled, b: Compiled): Compiled {
  const x = asOne(a);
  const y = asOne(b);
  const sqlOp = op === '!=' ? '<>' : op;
  const typeOf = (c: Compiled): string | undefined => (c.kind === 'bool' ? 'boolean' : c.type);
  const [ta, tb] = [typeOf(a), typeOf(b)];
  if (ta !== undefined && tb !== undefined && NUMERIC_TYPES.has(ta) && NUMERIC_TYPES.has(tb)) {
    return { kind: 'bool', sql: `(CAST(${x} AS DOUBLE) ${sqlOp} CAST(${y} AS DOUBLE))` };
  }
  if (ta !== undefined && tb !== undefined && STRING_TYPES.has(ta) && STRING_TYPES.has(tb)) {
    return { kind: 'bool', sql: `((${x} ->> '$') ${sqlOp} (${y} ->> '$'))` };
  }
  if (ta === 'boolean' && tb === 'boolean') {
    return { kind: 'bool', sql: `(${asBool(a)} ${sqlOp} ${asBool(b)})` };
  }
  return {
    kind: 'bool',
    sql: bind(x, (p) =>
      bind(
        y,
        (q) =>
          `(CASE WHEN fp_num(${p}) AND fp_num(${q}) THEN CAST(${p} AS DOUBLE) ${sqlOp} CAST(${q} AS DOUBLE) ELSE (${p} ->> '$') ${sqlOp} (${q} ->> '$') END)`,
      ),
    ),
  };
}

function arithmetic(op: string, a: Compiled, b: Compiled): Compiled {
  const x = asOne(a);
  const y = asOne(b);
  if (op === '&') {
    return {
      kind: 'one',
      sql: `to_json(coalesce(${x} ->> '$', '') || coalesce(${y} ->> '$', ''))`,
      type: 'string',
    };
  }
  const stringy = a.kind !== 'bool' && a.type !== undefined && STRING_TYPES.has(a.type);
  if (op === '+' && stringy) {
    return { kind: 'one', sql: `to_json((${x} ->> '$') || (${y} ->> '$'))`, type: 'string' };
  }
  const sqlOp = op === 'div' ? '//' : op === 'mod' ? '%' : op;
  return {
    kind: 'one',
    sql: `to_json(CAST(${x} AS DOUBLE) ${sqlOp} CAST(${y} AS DOUBLE))`,
    type: 'decimal',
  };
}

function literal(node: Ast): Compiled {
  const text = node.text ?? '';
  const json = (value: unknown, type: string): Compiled => ({
    kind: 'one',
    sql: `CAST(${sqlString(JSON.stringify(value))} AS JSON)`,
    type,
  });
  switch (node.type) {
    case 'StringLiteral':
      return json(
        text
          .slice(1, -1)
          .replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c),
        'string',
      );
    case 'NumberLiteral':
      return json(Number(text), text.includes('.') ? 'decimal' : 'integer');
    case 'BooleanLiteral':
      return { kind: 'bool', sql: text === 'true' ? 'true' : 'false' };
    case 'NullLiteral':
      return { kind: 'list', sql: EMPTY };
    case 'DateTimeLiteral':
    case 'DateLiteral':
      return json(text.replace(/^@/, ''), 'dateTime');
    case 'TimeLiteral':
      return json(text.replace(/^@T/, ''), 'time');
    default:
      throw new ViewError(`FHIRPath literal ${node.type} is not supported by the SQL runner`);
  }
}

function first(node: Ast): Ast {
  const [only] = node.children ?? [];
  if (only === undefined) {
    throw new ViewError(`empty ${node.type}`);
  }
  return only;
}

function pair(node: Ast): [Ast, Ast] {
  const [a, b] = node.children ?? [];
  if (a === undefined || b === undefined) {
    throw new ViewError(`${node.type} needs two operands`);
  }
  return [a, b];
}

function params(node: Ast): readonly Ast[] {
  return node.children?.[0]?.children?.[1]?.children ?? [];
}

function functionName(node: Ast): string {
  return node.children?.[0]?.children?.[0]?.text ?? '';
}

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** Compiles a FHIRPath expression evaluated on `scope.focus`. */
export function compilePathSql(path: string, scope: SqlScope): Compiled {
  let ast: Ast;
  try {
    ast = fhirpath.parse(path) as Ast;
  } catch (error) {
    throw new ViewError(`FHIRPath '${path}': ${error instanceof Error ? error.message : ''}`);
  }
  return expression(ast, focusOf(scope), scope);
}

function focusOf(scope: SqlScope): Compiled {
  return {
    kind: 'one',
    sql: scope.focus,
    type: scope.type,
    chain: { root: scope.focus, path: '$' },
  };
}

const RESOURCE_TYPE = { type: 'string', repeats: false };

/** `key` of every item of `input`, typed by the model when it knows `member`. */
function member(
  input: Compiled,
  name: string,
  key: string,
  scope: SqlScope,
  known?: { type: string; repeats: boolean | undefined },
): Compiled {
  if (input.kind === 'bool') {
    return { kind: 'list', sql: EMPTY };
  }
  const info =
    known ??
    (name === 'resourceType' ? RESOURCE_TYPE : undefined) ??
    (input.type === undefined ? undefined : memberOf(input.type, name));
  const step = `."${key}"`;
  const top = scope.top;
  if (
    info?.repeats !== undefined &&
    top !== undefined &&
    input.chain?.root === top.root &&
    input.chain.path === '$'
  ) {
    const part = top.part(key);
    const chain = { root: part, path: info.repeats ? '$[*]' : '$' };
    return info.repeats
      ? {
          kind: 'list',
          sql: `coalesce(json_extract(${part}, '$[*]'), ${EMPTY})`,
          type: info.type,
          chain,
        }
      : { kind: 'one', sql: part, type: info.type, chain };
  }
  if (info?.repeats !== undefined && input.chain !== undefined) {
    const path = `${input.chain.path}${step}${info.repeats ? '[*]' : ''}`;
    const chain = { root: input.chain.root, path };
    const many = path.includes('[*]');
    return many
      ? {
          kind: 'list',
          sql: `coalesce(json_extract(${chain.root}, ${sqlString(path)}), ${EMPTY})`,
          type: info.type,
          chain,
        }
      : {
          kind: 'one',
          sql: `json_extract(${chain.root}, ${sqlString(path)})`,
          type: info.type,
          chain,
        };
  }
  const each = (x: string): string => `fp_arr(json_extract(${x}, ${sqlString(`$${step}`)}))`;
  if (input.kind === 'one') {
    return { kind: 'list', sql: once(input.sql, each), type: info?.type };
  }
  const v = fresh();
  return {
    kind: 'list',
    sql: `flatten(list_transform(${input.sql}, lambda ${v}: ${each(v)}))`,
    type: info?.type,
  };
}

/** `%rowIndex`, the one external constant a ViewDefinition's SQL can give. */
function externalConstant(node: Ast, scope: SqlScope): Compiled {
  const name = node.children?.[0]?.children?.[0]?.text ?? node.text;
  if (name === 'rowIndex') {
    return { kind: 'one', sql: `to_json(${scope.rowIndex})`, type: 'integer' };
  }
  throw new ViewError(`%${name ?? ''} is not available in the SQL runner`);
}

/** `x[i]`: FHIRPath indexes from 0, DuckDB lists from 1. */
function indexer(node: Ast, input: Compiled, scope: SqlScope): Compiled {
  const [base, index] = pair(node);
  const list = asList(expression(base, input, scope));
  const at = asOne(expression(index, focusOf(scope), scope));
  const c = expression(base, input, scope);
  return {
    kind: 'one',
    sql: `(${list})[CAST(${at} AS BIGINT) + 1]`,
    type: c.kind === 'bool' ? 'boolean' : c.type,
  };
}

/** `and`, `or`, `xor`, `implies` over two booleans. */
function logical(op: string, x: string, y: string): Compiled {
  const sql =
    op === 'and'
      ? `(${x} AND ${y})`
      : op === 'or'
        ? `(${x} OR ${y})`
        : op === 'xor'
          ? `(${x} <> ${y})`
          : `((NOT ${x}) OR ${y})`;
  return { kind: 'bool', sql };
}

/** `a | b`: both collections, duplicates removed; typed when both sides have the same type. */
function union(ca: Compiled, cb: Compiled): Compiled {
  const type =
    ca.kind !== 'bool' && cb.kind !== 'bool' && ca.type === cb.type ? ca.type : undefined;
  return {
    kind: 'list',
    sql: `list_distinct(list_concat(${asList(ca)}, ${asList(cb)}))`,
    type,
  };
}

function expression(node: Ast, input: Compiled, scope: SqlScope): Compiled {
  switch (node.type) {
    case 'EntireExpression':
    case 'TermExpression':
    case 'ParenthesizedTerm':
    case 'InvocationTerm':
      return expression(first(node), input, scope);
    case 'LiteralTerm':
      return literal(first(node));
    case 'ExternalConstantTerm':
      return externalConstant(node, scope);
    case 'InvocationExpression': {
      const [base, invocation] = pair(node);
      const choice = choiceMember(base, invocation);
      if (choice !== undefined) {
        return member(expression(choice.base, input, scope), choice.key, choice.key, scope, {
          type: choice.type,
          repeats: false,
        });
      }
      return invoke(invocation, expression(base, input, scope), scope);
    }
    case 'IndexerExpression':
      return indexer(node, input, scope);
    case 'MemberInvocation':
    case 'FunctionInvocation':
    case 'ThisInvocation':
      return invoke(node, input, scope);
    case 'EqualityExpression':
    case 'InequalityExpression': {
      const [a, b] = pair(node);
      const op = node.text ?? '=';
      if (op === '~' || op === '!~') {
        throw new ViewError(`the operator ${op} is not supported by the SQL runner`);
      }
      return compare(op, expression(a, input, scope), expression(b, input, scope));
    }
    case 'AndExpression':
    case 'OrExpression':
    case 'ImpliesExpression': {
      const [a, b] = pair(node);
      const x = asBool(expression(a, input, scope));
      return logical(node.text ?? 'and', x, asBool(expression(b, input, scope)));
    }
    case 'AdditiveExpression':
    case 'MultiplicativeExpression': {
      const [a, b] = pair(node);
      return arithmetic(node.text ?? '+', expression(a, input, scope), expression(b, input, scope));
    }
    case 'UnionExpression': {
      const [a, b] = pair(node);
      return union(expression(a, input, scope), expression(b, input, scope));
    }
    case 'PolarityExpression': {
      const c = expression(first(node), input, scope);
      return node.text === '-'
        ? { kind: 'one', sql: `to_json(-CAST(${asOne(c)} AS DOUBLE))`, type: 'decimal' }
        : c;
    }
    default:
      throw new ViewError(`FHIRPath ${node.type} is not supported by the SQL runner`);
  }
}

/** `x.value.ofType(Quantity)` reads the JSON key `valueQuantity`. */
function choiceMember(
  base: Ast,
  invocation: Ast,
): { base: Ast; key: string; type: string } | undefined {
  if (invocation.type !== 'FunctionInvocation' || functionName(invocation) !== 'ofType') {
    return undefined;
  }
  const typeName = params(invocation)[0]?.text?.replace(/^(FHIR|System)\./, '');
  let memberNode: Ast | undefined;
  let inner: Ast | undefined;
  if (base.type === 'InvocationExpression') {
    [inner, memberNode] = pair(base);
  } else if (base.type === 'TermExpression') {
    memberNode = first(first(base));
  }
  if (memberNode?.type !== 'MemberInvocation' || typeName === undefined) {
    return undefined;
  }
  return {
    base: inner ?? { type: 'ThisInvocation' },
    key: `${memberNode.children?.[0]?.text ?? ''}${capitalise(typeName)}`,
    type: typeName,
  };
}

/** The SQL macro (sqlMacros.ts) of lowBoundary()/highBoundary() for each FHIR type it covers. */
const BOUNDARY_MACROS: Readonly<Record<string, string>> = {
  date: 'fp_date_bound',
  time: 'fp_time_bound',
  dateTime: 'fp_datetime_bound',
  instant: 'fp_datetime_bound',
};

/**
 * `lowBoundary()` / `highBoundary()` of dates, times and dateTimes. A decimal's boundary depends
 * on the precision it was written with, which the SQL runner does not keep: a ViewError.
 */
function boundaryOf(name: string, input: Compiled, args: readonly Ast[], v: string): Compiled {
  const type = typeOf(input);
  const macro = type === undefined ? undefined : BOUNDARY_MACROS[type];
  if (macro === undefined || args.length > 0) {
    throw new ViewError(
      `FHIRPath ${name}(${args.length > 0 ? 'precision' : ''}) of ${type ?? 'a value of unknown type'} is not supported by the SQL runner`,
    );
  }
  const high = name === 'highBoundary' ? 'true' : 'false';
  const bound = (x: string): string => `to_json(${macro}(${x} ->> '$', ${high}))`;
  if (input.kind === 'one') {
    return { kind: 'one', sql: bound(input.sql), type };
  }
  return {
    kind: 'list',
    sql: `list_filter(list_transform(${asList(input)}, lambda ${v}: ${bound(v)}), lambda ${v}: ${v} IS NOT NULL AND json_type(${v}) <> 'NULL')`,
    type,
  };
}

const JSON_TYPES: Readonly<Record<string, string>> = {
  string: `('VARCHAR')`,
  code: `('VARCHAR')`,
  id: `('VARCHAR')`,
  uri: `('VARCHAR')`,
  boolean: `('BOOLEAN')`,
  integer: `('BIGINT', 'UBIGINT')`,
  decimal: `('BIGINT', 'UBIGINT', 'DOUBLE')`,
};

function typeOf(c: Compiled): string | undefined {
  return c.kind === 'bool' ? 'boolean' : c.type;
}

/** `join(separator)`: the strings of the collection joined ('' for none). */
function joined(input: Compiled, separatorLiteral: string | undefined, v: string): Compiled {
  const separator =
    separatorLiteral === undefined
      ? "''"
      : sqlString(JSON.parse(`"${separatorLiteral.slice(1, -1)}"`) as string);
  return {
    kind: 'one',
    sql: `to_json(coalesce(array_to_string(list_transform(${asList(input)}, lambda ${v}: ${v} ->> '$'), ${separator}), ''))`,
    type: 'string',
  };
}

/** `ofType(T)`: the items whose JSON type fits T (a complex type: any object). */
function ofType(input: Compiled, wanted: string, v: string): Compiled {
  const jsonTypes = JSON_TYPES[wanted];
  const test =
    jsonTypes === undefined ? `json_type(${v}) = 'OBJECT'` : `json_type(${v}) IN ${jsonTypes}`;
  return {
    kind: 'list',
    sql: `list_filter(${asList(input)}, lambda ${v}: ${test})`,
    type: wanted,
  };
}

/** `extension(url)`: the input's extensions with that url. */
function extensionsWithUrl(
  input: Compiled,
  urlArg: Ast | undefined,
  scope: SqlScope,
  v: string,
): Compiled {
  const url = urlArg === undefined ? 'NULL' : asOne(expression(urlArg, focusOf(scope), scope));
  const extensions = member(input, 'extension', 'extension', scope, {
    type: 'Extension',
    repeats: true,
  });
  return {
    kind: 'list',
    sql: `list_filter(${asList(extensions)}, lambda ${v}: json_extract_string(${v}, '$.url') = (${url} ->> '$'))`,
    type: 'Extension',
  };
}

/** SQL on FHIR `getResourceKey()`: `Type/id` of the resource. */
function resourceKey(input: Compiled, scope: SqlScope): Compiled {
  const part = (key: string): string =>
    `(${asOne(member(input, key, key, scope, { type: 'string', repeats: false }))} ->> '$')`;
  return {
    kind: 'one',
    sql: `to_json(${part('resourceType')} || '/' || ${part('id')})`,
    type: 'string',
  };
}

/** SQL on FHIR `getReferenceKey([Type])`: `Type/id` of each reference (of that type only). */
function referenceKey(input: Compiled, target: string | undefined, v: string): Compiled {
  const key = (x: string): string =>
    `nullif(fp_ref(json_extract_string(${x}, '$.reference')), '/')`;
  const typed = (x: string): string =>
    target === undefined
      ? key(x)
      : bind(
          key(x),
          (k) => `(CASE WHEN starts_with(${k}, ${sqlString(`${target}/`)}) THEN ${k} END)`,
        );
  if (input.kind === 'one') {
    return { kind: 'one', sql: `to_json(${typed(input.sql)})`, type: 'string' };
  }
  return {
    kind: 'list',
    sql: `list_filter(list_transform(${asList(input)}, lambda ${v}: to_json(${typed(v)})), lambda k: json_type(k) <> 'NULL')`,
    type: 'string',
  };
}

function invoke(node: Ast, input: Compiled, scope: SqlScope): Compiled {
  if (node.type === 'ThisInvocation') {
    return focusOf(scope);
  }
  if (node.type === 'MemberInvocation') {
    const name = (node.children?.[0]?.text ?? node.text ?? '').replace(/^`|`$/g, '');
    if (node.atRoot !== undefined && name === scope.resourceType) {
      return input;
    }
    return member(input, name, name, scope);
  }
  if (node.type !== 'FunctionInvocation') {
    return expression(node, input, scope);
  }
  const name = functionName(node);
  const args = params(node);
  const v = fresh();
  const type = typeOf(input);
  const inner: SqlScope = { ...scope, focus: v, type };
  const condition = (arg: Ast): string =>
    `coalesce(${asBool(expression(arg, focusOf(inner), inner))}, false)`;
  switch (name) {
    case 'where':
      return {
        kind: 'list',
        sql: `list_filter(${asList(input)}, lambda ${v}: ${condition(args[0] ?? { type: 'NullLiteral' })})`,
        type,
      };
    case 'exists':
      if (args[0] !== undefined) {
        return {
          kind: 'bool',
          sql: `(len(list_filter(${asList(input)}, lambda ${v}: ${condition(args[0])})) > 0)`,
        };
      }
      return {
        kind: 'bool',
        sql: input.kind === 'one' ? `(${input.sql} IS NOT NULL)` : `(len(${asList(input)}) > 0)`,
      };
    case 'empty':
      return {
        kind: 'bool',
        sql: input.kind === 'one' ? `(${input.sql} IS NULL)` : `(len(${asList(input)}) = 0)`,
      };
    case 'not':
      return { kind: 'bool', sql: `(NOT ${asBool(input)})` };
    case 'first':
      return input.kind === 'list' ? { kind: 'one', sql: `(${input.sql})[1]`, type } : input;
    case 'last':
      return input.kind === 'list' ? { kind: 'one', sql: `(${input.sql})[-1]`, type } : input;
    case 'count':
      return { kind: 'one', sql: `to_json(len(${asList(input)}))`, type: 'integer' };
    case 'join':
      return joined(input, args[0]?.text, v);
    case 'ofType':
      return ofType(input, args[0]?.text?.replace(/^(FHIR|System)\./, '') ?? '', v);
    case 'extension':
      return extensionsWithUrl(input, args[0], scope, v);
    case 'lowBoundary':
    case 'highBoundary':
      return boundaryOf(name, input, args, v);
    case 'getResourceKey':
      return resourceKey(input, scope);
    case 'getReferenceKey':
      return referenceKey(input, args[0]?.text, v);
    default:
      throw new ViewError(`FHIRPath function ${name}() is not supported by the SQL runner`);
  }
}
