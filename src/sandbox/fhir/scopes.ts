/**
 * SMART on FHIR resource scopes as the FHIR server enforces them: which interactions a granted scope
 * allows, and whether on any patient or the launch patient only. Pure: no I/O.
 *
 * @see https://build.fhir.org/ig/HL7/smart-app-launch/scopes-and-launch-context.html
 */

import type { ScopeContext } from '../../fhir/smartScope.ts';
import { parseResourceScope } from '../../fhir/smartScope.ts';

/** The FHIR interactions a scope can grant (SMART v2 letters c, r, u, d, s). */
export type Interaction = 'create' | 'read' | 'update' | 'delete' | 'search';

export interface ResourceScope {
  readonly context: ScopeContext;
  /** A resource type, or `*` for every type. */
  readonly resourceType: string;
  readonly interactions: ReadonlySet<Interaction>;
  /** The scope as granted. */
  readonly raw: string;
}

const INTERACTIONS: Readonly<Record<string, Interaction>> = {
  c: 'create',
  r: 'read',
  u: 'update',
  d: 'delete',
  s: 'search',
};

/**
 * Parses one scope (grammar: src/fhir/smartScope.ts). Returns `undefined` for scopes that grant no
 * resource access (`openid`, `launch`…), for malformed ones, and for v2 scopes narrowed by a query
 * (`patient/Observation.rs?category=laboratory`): this server cannot enforce such a narrowing on
 * every interaction, so it grants nothing rather than too much.
 */
export function parseScope(scope: string): ResourceScope | undefined {
  const parsed = parseResourceScope(scope);
  if (parsed === undefined || parsed.query !== undefined) {
    return undefined;
  }
  const interactions = new Set(
    Array.from(parsed.letters, (letter) => INTERACTIONS[letter]).filter((i) => i !== undefined),
  );
  return { context: parsed.context, resourceType: parsed.resourceType, interactions, raw: scope };
}

/** Parses a list of granted scopes, keeping only those that grant resource access. */
export function parseScopes(scopes: readonly string[]): ResourceScope[] {
  return scopes.flatMap((scope) => {
    const parsed = parseScope(scope);
    return parsed ? [parsed] : [];
  });
}

export interface ScopeRequest {
  readonly resourceType: string;
  readonly interaction: Interaction;
}

/**
 * How a request is granted:
 * - `any-patient`: by a `user/` or `system/` scope, so no compartment restriction applies;
 * - `launch-patient`: only by `patient/` scopes, so it is confined to the launch patient's compartment;
 * - `denied`: by no scope.
 */
export type Grant = 'any-patient' | 'launch-patient' | 'denied';

/** Decides whether the scopes grant an interaction on a resource type, and how far. */
export function grantFor(scopes: readonly ResourceScope[], request: ScopeRequest): Grant {
  let grant: Grant = 'denied';
  for (const scope of scopes) {
    const typeMatches = scope.resourceType === '*' || scope.resourceType === request.resourceType;
    if (!typeMatches || !scope.interactions.has(request.interaction)) {
      continue;
    }
    if (scope.context !== 'patient') {
      return 'any-patient';
    }
    grant = 'launch-patient';
  }
  return grant;
}

/** True when any scope grants the interaction on the resource type. */
export function allows(scopes: readonly ResourceScope[], request: ScopeRequest): boolean {
  return grantFor(scopes, request) !== 'denied';
}
