/**
 * FHIRPath (the SQL on FHIR shareable subset) compiled to DuckDB SQL over JSON. Every expression
 * becomes a SQL expression of type JSON[] (a FHIRPath collection); navigation flattens arrays,
 * functions map to list lambdas. Parsing is fhirpath.js's own parser, so both runners read a path
 * the same way. What the subset does not cover (lowBoundary, highBoundary, is/as …) is a
 * ViewError naming the function, never a silent wrong answer.
 */
import fhirpath from 'fhirpath';
import { ViewError } from './viewDefinition.ts';

interface Ast {
  readonly type: string;
  readonly text?: string;
  readonly atRoot?: number;
  readonly children?: readonly Ast[];
}

export interface SqlScope {
  /** The lambda variable (JSON) the path is evaluated on. */
  readonly focus: string;
  /** SQL integer expression for %rowIndex. */
  readonly rowIndex: string;
  /** The view's resource type, so `Patient.name` reads as `name`. */
  readonly resourceType: string;
}

let lambdaCounter = 0;
function fresh(): string {
  lambdaCounter += 1;
  return `v${lambdaCounter}`;
}

export const EMPTY = '[]::JSON[]';

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

function jsonLiteral(value: unknown): string {
  return `[CAST(${sqlString(JSON.stringify(value))} AS JSON)]`;
}

/** JSON[] of `key` under each item of `list` (arrays flattened, absent and null left out). */
function child(list: string, key: string): string {
  const v = fresh();
  return `flatten(list_transform(${list}, lambda ${v}: fp_arr(json_extract(${v}, ${sqlString(`$."${key}"`)}))))`;
}

/** SQL BOOLEAN (NULL = empty) of a singleton collection. */
export function truth(list: string): string {
  return `(CASE WHEN len(${list}) = 0 THEN NULL ELSE CAST(${list}[1] AS BOOLEAN) END)`;
}

function fromBool(sql: string): string {
  return `(CASE WHEN (${sql}) IS NULL THEN ${EMPTY} ELSE [to_json((${sql}))] END)`;
}

const NUMERIC = `('BIGINT', 'UBIGINT', 'DOUBLE')`;

function compare(op: string, a: string, b: string): string {
  const x = `${a}[1]`;
  const y = `${b}[1]`;
  const numeric = `json_type(${x}) IN ${NUMERIC} AND json_type(${y}) IN ${NUMERIC}`;
  const sqlOp = op === '!=' ? '<>' : op;
  const value = `(CASE WHEN ${numeric} THEN CAST(${x} AS DOUBLE) ${sqlOp} CAST(${y} AS DOUBLE) ELSE (${x} ->> '$') ${sqlOp} (${y} ->> '$') END)`;
  return `(CASE WHEN len(${a}) = 0 OR len(${b}) = 0 THEN ${EMPTY} ELSE ${fromBool(value)} END)`;
}

function arithmetic(op: string, a: string, b: string): string {
  const x = `${a}[1]`;
  const y = `${b}[1]`;
  const value =
    op === '&'
      ? `to_json(coalesce(${x} ->> '$', '') || coalesce(${y} ->> '$', ''))`
      : op === '+'
        ? `(CASE WHEN json_type(${x}) = 'VARCHAR' THEN to_json((${x} ->> '$') || (${y} ->> '$')) ELSE to_json(CAST(${x} AS DOUBLE) + CAST(${y} AS DOUBLE)) END)`
        : `to_json(CAST(${x} AS DOUBLE) ${op === 'div' ? '//' : op === 'mod' ? '%' : op} CAST(${y} AS DOUBLE))`;
  if (op === '&') {
    return `[${value}]`;
  }
  return `(CASE WHEN len(${a}) = 0 OR len(${b}) = 0 THEN ${EMPTY} ELSE [${value}] END)`;
}

const REFERENCE_KEY = sqlString(
  '(?:^|/)([A-Z][A-Za-z]+/[A-Za-z0-9\\-.]{1,64})(?:/_history/[^/]+)?$',
);

const PRIMITIVE_JSON_TYPES: Readonly<Record<string, string>> = {
  string: `('VARCHAR')`,
  code: `('VARCHAR')`,
  id: `('VARCHAR')`,
  uri: `('VARCHAR')`,
  boolean: `('BOOLEAN')`,
  integer: `('BIGINT', 'UBIGINT')`,
  decimal: `('BIGINT', 'UBIGINT', 'DOUBLE')`,
};

function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function params(node: Ast): readonly Ast[] {
  const functn = node.children?.[0];
  return functn?.children?.[1]?.children ?? [];
}

function functionName(node: Ast): string {
  return node.children?.[0]?.children?.[0]?.text ?? '';
}

/** Compiles `node` applied to the collection `input` (JSON[]). */
export function compilePathSql(path: string, input: string, scope: SqlScope): string {
  let ast: Ast;
  try {
    ast = fhirpath.parse(path) as Ast;
  } catch (error) {
    throw new ViewError(`FHIRPath '${path}': ${error instanceof Error ? error.message : ''}`);
  }
  return expression(ast, input, scope);
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

function expression(node: Ast, input: string, scope: SqlScope): string {
  switch (node.type) {
    case 'EntireExpression':
    case 'TermExpression':
    case 'ParenthesizedTerm':
    case 'InvocationTerm':
      return expression(first(node), input, scope);
    case 'LiteralTerm':
      return literal(first(node));
    case 'ExternalConstantTerm': {
      const name = node.children?.[0]?.children?.[0]?.text ?? node.text;
      if (name === 'rowIndex') {
        return `[to_json(${scope.rowIndex})]`;
      }
      throw new ViewError(`%${name ?? ''} is not available in the SQL runner`);
    }
    case 'InvocationExpression': {
      const [base, invocation] = pair(node);
      const choice = choiceMember(base, invocation);
      if (choice !== undefined) {
        return child(expression(choice.base, input, scope), choice.key);
      }
      return invoke(invocation, expression(base, input, scope), scope);
    }
    case 'IndexerExpression': {
      const [base, index] = pair(node);
      const list = expression(base, input, scope);
      const at = expression(index, `[${scope.focus}]`, scope);
      return `(CASE WHEN len(${at}) = 0 THEN ${EMPTY} ELSE ${list}[CAST(${at}[1] AS BIGINT) + 1 : CAST(${at}[1] AS BIGINT) + 1] END)`;
    }
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
      const x = truth(expression(a, input, scope));
      const y = truth(expression(b, input, scope));
      const op = node.text ?? 'and';
      const sql =
        op === 'and'
          ? `${x} AND ${y}`
          : op === 'or'
            ? `${x} OR ${y}`
            : op === 'xor'
              ? `${x} <> ${y}`
              : `(NOT ${x}) OR ${y}`;
      return fromBool(sql);
    }
    case 'AdditiveExpression':
    case 'MultiplicativeExpression': {
      const [a, b] = pair(node);
      return arithmetic(node.text ?? '+', expression(a, input, scope), expression(b, input, scope));
    }
    case 'UnionExpression': {
      const [a, b] = pair(node);
      return `list_distinct(list_concat(${expression(a, input, scope)}, ${expression(b, input, scope)}))`;
    }
    case 'PolarityExpression': {
      const list = expression(first(node), input, scope);
      return node.text === '-'
        ? `list_transform(${list}, lambda n: to_json(-CAST(n AS DOUBLE)))`
        : list;
    }
    default:
      throw new ViewError(`FHIRPath ${node.type} is not supported by the SQL runner`);
  }
}

/** `x.value.ofType(Quantity)` reads the JSON key `valueQuantity`. */
function choiceMember(base: Ast, invocation: Ast): { base: Ast; key: string } | undefined {
  if (invocation.type !== 'FunctionInvocation' || functionName(invocation) !== 'ofType') {
    return undefined;
  }
  const typeName = params(invocation)[0]?.text;
  let member: Ast | undefined;
  let inner: Ast | undefined;
  if (base.type === 'InvocationExpression') {
    [inner, member] = pair(base);
  } else if (base.type === 'TermExpression') {
    member = first(first(base));
  }
  if (member?.type !== 'MemberInvocation' || typeName === undefined) {
    return undefined;
  }
  const key = `${member.children?.[0]?.text ?? ''}${capitalise(typeName.replace(/^FHIR\./, ''))}`;
  return {
    base: inner ?? { type: 'ThisInvocation' },
    key,
  };
}

function literal(node: Ast): string {
  const text = node.text ?? '';
  switch (node.type) {
    case 'StringLiteral':
      return jsonLiteral(
        text
          .slice(1, -1)
          .replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c),
      );
    case 'NumberLiteral':
      return jsonLiteral(Number(text));
    case 'BooleanLiteral':
      return jsonLiteral(text === 'true');
    case 'NullLiteral':
      return EMPTY;
    case 'DateTimeLiteral':
    case 'DateLiteral':
      return jsonLiteral(text.replace(/^@/, ''));
    case 'TimeLiteral':
      return jsonLiteral(text.replace(/^@T/, ''));
    default:
      throw new ViewError(`FHIRPath literal ${node.type} is not supported by the SQL runner`);
  }
}

function invoke(node: Ast, input: string, scope: SqlScope): string {
  if (node.type === 'ThisInvocation') {
    return `[${scope.focus}]`;
  }
  if (node.type === 'MemberInvocation') {
    const name = node.children?.[0]?.text ?? node.text ?? '';
    if (node.atRoot !== undefined && name === scope.resourceType) {
      return input;
    }
    return child(input, name.replace(/^`|`$/g, ''));
  }
  if (node.type !== 'FunctionInvocation') {
    return expression(node, input, scope);
  }
  const name = functionName(node);
  const args = params(node);
  const v = fresh();
  const each = (arg: Ast): string => truth(expression(arg, `[${v}]`, { ...scope, focus: v }));
  switch (name) {
    case 'where':
      return `list_filter(${input}, lambda ${v}: coalesce(${each(args[0] ?? { type: 'NullLiteral' })}, false))`;
    case 'exists':
      return args[0] === undefined
        ? `[to_json(len(${input}) > 0)]`
        : `[to_json(len(list_filter(${input}, lambda ${v}: coalesce(${each(args[0])}, false))) > 0)]`;
    case 'empty':
      return `[to_json(len(${input}) = 0)]`;
    case 'not':
      return fromBool(`NOT ${truth(input)}`);
    case 'first':
      return `${input}[1:1]`;
    case 'last':
      return `${input}[-1:]`;
    case 'count':
      return `[to_json(len(${input}))]`;
    case 'join': {
      const separator =
        args[0]?.text === undefined
          ? "''"
          : sqlString(JSON.parse(`"${args[0].text.slice(1, -1)}"`) as string);
      return `[to_json(coalesce(array_to_string(list_transform(${input}, lambda ${v}: ${v} ->> '$'), ${separator}), ''))]`;
    }
    case 'ofType': {
      const type = args[0]?.text?.replace(/^(FHIR|System)\./, '') ?? '';
      const jsonTypes = PRIMITIVE_JSON_TYPES[type];
      return jsonTypes === undefined
        ? `list_filter(${input}, lambda ${v}: json_type(${v}) = 'OBJECT')`
        : `list_filter(${input}, lambda ${v}: json_type(${v}) IN ${jsonTypes})`;
    }
    case 'extension': {
      const url = args[0] === undefined ? EMPTY : expression(args[0], `[${scope.focus}]`, scope);
      return `list_filter(${child(input, 'extension')}, lambda ${v}: (${v} ->> '$.url') = (${url}[1] ->> '$'))`;
    }
    case 'getResourceKey':
      return `list_filter(list_transform(${input}, lambda ${v}: to_json((${v} ->> '$.resourceType') || '/' || (${v} ->> '$.id'))), lambda k: k IS NOT NULL)`;
    case 'getReferenceKey': {
      const type = args[0]?.text;
      const key = `nullif(regexp_extract(${v} ->> '$.reference', ${REFERENCE_KEY}, 1), '')`;
      const typed =
        type === undefined
          ? key
          : `(CASE WHEN starts_with(${key}, ${sqlString(`${type}/`)}) THEN ${key} END)`;
      return `list_filter(list_transform(${input}, lambda ${v}: to_json(${typed})), lambda k: k IS NOT NULL AND json_type(k) <> 'NULL')`;
    }
    default:
      throw new ViewError(`FHIRPath function ${name}() is not supported by the SQL runner`);
  }
}
