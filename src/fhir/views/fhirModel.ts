/**
 * What the SQL compiler needs to know of FHIR R4's structure, read from fhirpath.js's own R4
 * model: the type of an element and whether it repeats, so `name.family` becomes one JSONPath
 * extraction (`$.name[*].family`) instead of a lambda per step.
 */
import r4 from 'fhirpath/fhir-context/r4';

interface Model {
  readonly path2Type: Readonly<Record<string, string>>;
  readonly path2Repeating: Readonly<Record<string, boolean>>;
  readonly pathsDefinedElsewhere: Readonly<Record<string, string>>;
  readonly type2Parent: Readonly<Record<string, string>>;
}

const model = r4 as unknown as Model;

interface Member {
  /** Type name ('HumanName', 'string') or, for inline backbone elements, the element path. */
  readonly type: string;
  /** true: an array in FHIR JSON; false: a single value; undefined: not known (contentReference). */
  readonly repeats: boolean | undefined;
}

const INLINE = new Set(['BackboneElement', 'Element']);

function parents(type: string): string[] {
  const chain: string[] = [];
  let current: string | undefined = type.includes('.') ? 'BackboneElement' : type;
  while (current !== undefined) {
    chain.push(current);
    current = model.type2Parent[current];
  }
  return chain;
}

/** The member `name` of a value of `type`, or undefined when the model does not have it. */
export function memberOf(type: string, name: string): Member | undefined {
  for (const owner of [type, ...parents(type)]) {
    const key = `${owner}.${name}`;
    const elsewhere = model.pathsDefinedElsewhere[key];
    if (elsewhere !== undefined) {
      return { type: elsewhere, repeats: undefined };
    }
    const found = model.path2Type[key];
    if (found !== undefined) {
      return {
        type: INLINE.has(found)
          ? key
          : found.startsWith('System.')
            ? found.slice('System.'.length).toLowerCase()
            : found,
        repeats: model.path2Repeating[key] === true,
      };
    }
  }
  return undefined;
}
