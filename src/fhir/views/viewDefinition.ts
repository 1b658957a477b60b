/**
 * SQL on FHIR v2 ViewDefinitions (HL7 "SQL on FHIR" implementation guide, shareable profile):
 * the structure, its checks, and the columns a view produces. Both runners (runView.ts, FHIRPath
 * in JavaScript; viewSql.ts, compiled to DuckDB SQL) take a view only after `checkView`.
 * https://build.fhir.org/ig/FHIR/sql-on-fhir-v2/StructureDefinition-ViewDefinition.html
 */

export interface ViewColumn {
  readonly name: string;
  readonly path: string;
  readonly type?: string;
  readonly collection?: boolean;
  readonly description?: string;
}

export interface ViewSelect {
  readonly column?: readonly ViewColumn[];
  readonly select?: readonly ViewSelect[];
  readonly forEach?: string;
  readonly forEachOrNull?: string;
  readonly repeat?: readonly string[];
  readonly unionAll?: readonly ViewSelect[];
}

/** One `constant`: a name and exactly one value[x]. */
export interface ViewConstant {
  readonly name: string;
  readonly [valueX: string]: unknown;
}

export interface ViewDefinition {
  readonly resourceType?: 'ViewDefinition';
  readonly name?: string;
  readonly title?: string;
  readonly description?: string;
  readonly resource: string;
  readonly status?: string;
  readonly constant?: readonly ViewConstant[];
  readonly select: readonly ViewSelect[];
  readonly where?: readonly { readonly path: string; readonly description?: string }[];
}

/** A view that cannot run: a structural problem, a bad FHIRPath, or a failure while running. */
export class ViewError extends Error {
  override readonly name = 'ViewError';
}

const COLUMN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(node: Record<string, unknown>, key: string, where: string): void {
  if (node[key] !== undefined && typeof node[key] !== 'string') {
    throw new ViewError(`${where}.${key} must be a FHIRPath string`);
  }
}

function optionalArray(node: Record<string, unknown>, key: string, where: string): unknown[] {
  const value = node[key];
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new ViewError(`${where}.${key} must be an array`);
  }
  return value;
}

/** The value of a constant (its single value[x]); a constant without one is an error. */
export function constantValue(constant: ViewConstant): unknown {
  const keys = Object.keys(constant).filter((key) => key.startsWith('value'));
  const [key] = keys;
  if (keys.length !== 1 || key === undefined) {
    throw new ViewError(`constant '${constant.name}' needs exactly one value[x]`);
  }
  return constant[key];
}

function checkSelect(node: unknown, where: string): readonly ViewColumn[] {
  if (!isRecord(node)) {
    throw new ViewError(`${where} must be an object`);
  }
  optionalString(node, 'forEach', where);
  optionalString(node, 'forEachOrNull', where);
  const repeat = optionalArray(node, 'repeat', where);
  if (repeat.some((path) => typeof path !== 'string')) {
    throw new ViewError(`${where}.repeat must list FHIRPath strings`);
  }
  const iterators = ['forEach', 'forEachOrNull', 'repeat'].filter((k) => node[k] !== undefined);
  if (iterators.length > 1) {
    throw new ViewError(`${where} has more than one of ${iterators.join(', ')}`);
  }
  const columns: ViewColumn[] = optionalArray(node, 'column', where).map((column, i) => {
    const at = `${where}.column[${i}]`;
    if (!isRecord(column) || typeof column.name !== 'string' || typeof column.path !== 'string') {
      throw new ViewError(`${at} needs a name and a path`);
    }
    if (!COLUMN_NAME.test(column.name)) {
      throw new ViewError(`${at}: '${column.name}' is not a valid column name`);
    }
    return column as unknown as ViewColumn;
  });
  optionalArray(node, 'select', where).forEach((child, i) => {
    columns.push(...checkSelect(child, `${where}.select[${i}]`));
  });
  const branches = optionalArray(node, 'unionAll', where).map((branch, i) =>
    checkSelect(branch, `${where}.unionAll[${i}]`),
  );
  const [first] = branches;
  if (first !== undefined) {
    const names = first.map((c) => c.name).join(',');
    branches.forEach((branch, i) => {
      if (branch.map((c) => c.name).join(',') !== names) {
        throw new ViewError(
          `${where}.unionAll[${i}] has columns (${branch.map((c) => c.name).join(', ')}), not (${first.map((c) => c.name).join(', ')}) like the first branch`,
        );
      }
    });
    columns.push(...first);
  }
  return columns;
}

/**
 * Checks a ViewDefinition's structure (resource, select, columns, constants, where, unionAll
 * column agreement, unique column names) and returns it typed with its output columns in order.
 * FHIRPath syntax is checked by the runner that compiles the paths.
 */
export function checkView(view: unknown): { view: ViewDefinition; columns: readonly ViewColumn[] } {
  if (!isRecord(view)) {
    throw new ViewError('a ViewDefinition must be a JSON object');
  }
  if (typeof view.resource !== 'string' || !/^[A-Z][A-Za-z]+$/.test(view.resource)) {
    throw new ViewError('ViewDefinition.resource must name a FHIR resource type');
  }
  const constants = optionalArray(view, 'constant', 'ViewDefinition');
  for (const constant of constants) {
    if (!isRecord(constant) || typeof constant.name !== 'string') {
      throw new ViewError('every constant needs a name');
    }
    constantValue(constant as ViewConstant);
  }
  for (const [i, clause] of optionalArray(view, 'where', 'ViewDefinition').entries()) {
    if (!isRecord(clause) || typeof clause.path !== 'string') {
      throw new ViewError(`where[${i}] needs a FHIRPath path`);
    }
  }
  const columns = optionalArray(view, 'select', 'ViewDefinition').flatMap((node, i) =>
    checkSelect(node, `select[${i}]`),
  );
  if (columns.length === 0) {
    throw new ViewError('a ViewDefinition needs at least one column');
  }
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column.name)) {
      throw new ViewError(`column name '${column.name}' is used twice`);
    }
    seen.add(column.name);
  }
  return { view: view as unknown as ViewDefinition, columns };
}
