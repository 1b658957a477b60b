/**
 * ViewDefinition constants as FHIRPath literals, written into the paths in place of `%name`
 * (outside string literals), so a valueDate is compared as a date and a valueTime as a time, as
 * the specification types them. Both runners use this one substitution.
 */
import type { ViewConstant } from './viewDefinition.ts';
import { ViewError, constantValue } from './viewDefinition.ts';

const STRING_TYPES = new Set([
  'valueString',
  'valueCode',
  'valueId',
  'valueUri',
  'valueUrl',
  'valueOid',
  'valueUuid',
  'valueCanonical',
  'valueBase64Binary',
  'valueMarkdown',
]);

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The FHIRPath literal of one constant. */
export function constantLiteral(constant: ViewConstant): string {
  const value = constantValue(constant);
  const key = Object.keys(constant).find((k) => k.startsWith('value')) ?? '';
  if (STRING_TYPES.has(key) && typeof value === 'string') {
    return quote(value);
  }
  if (key === 'valueBoolean' && typeof value === 'boolean') {
    return String(value);
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value === 'string' && ['valueDate', 'valueDateTime', 'valueInstant'].includes(key)) {
    return `@${value}`;
  }
  if (typeof value === 'string' && key === 'valueTime') {
    return `@T${value}`;
  }
  throw new ViewError(`constant '${constant.name}': ${key} is not a supported constant type`);
}

/** `path` with every `%name` of a constant replaced by its literal; unknown names are errors. */
export function inlineConstants(path: string, literals: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < path.length) {
    const ch = path[i] ?? '';
    if (ch === "'" || ch === '`') {
      let j = i + 1;
      while (j < path.length && path[j] !== ch) {
        j += path[j] === '\\' ? 2 : 1;
      }
      out += path.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const name = ch === '%' ? /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(i + 1))?.[0] : undefined;
    if (name === undefined) {
      out += ch;
      i += 1;
      continue;
    }
    const literal = literals.get(name);
    if (
      literal === undefined &&
      !['rowIndex', 'resource', 'rootResource', 'context'].includes(name)
    ) {
      throw new ViewError(`'%${name}' in '${path}' is not a constant of this view`);
    }
    out += literal === undefined ? `%${name}` : `(${literal})`;
    i += name.length + 1;
  }
  return out;
}
