/**
 * SMART on FHIR resource scopes: parsing and permission decisions, for v1 (`patient/Observation.read`)
 * and v2 (`patient/Observation.rs`). Pure: no I/O.
 *
 * @see https://build.fhir.org/ig/HL7/smart-app-launch/scopes-and-launch-context.html
 */

/** The FHIR interactions a scope can grant (SMART v2 letters c, r, u, d, s). */
export type Interaction = 'create' | 'read' | 'update' | 'delete' | 'search';

/** Whose data a scope covers: the launch patient's, anything the user may see, or a backend's. */
export type ScopeContext = 'patient' | 'user' | 'system';

export interface ResourceScope {
  readonly context: ScopeContext;
  /** A resource type, or `*` for every type. */
  readonly resourceType: string;
  readonly interactions: ReadonlySet<Interaction>;
  /** The scope as granted. */
  readonly raw: string;
}

/** SMART v2 permission letters, which must appear in this order (`.rs`, never `.sr`). */
const V2_LETTERS: readonly (readonly [string, Interaction])[] = [
  ['c', 'create'],
  ['r', 'read'],
  ['u', 'update'],
  ['d', 'delete'],
  ['s', 'search'],
];

/** SMART v1 permissions and their v2 equivalents (the v2 spec's own mapping table). */
const V1_PERMISSIONS: Readonly<Record<string, readonly Interaction[]>> = {
  read: ['read', 'search'],
  write: ['create', 'update', 'delete'],
  '*': ['create', 'read', 'update', 'delete', 'search'],
};

const SCOPE_PATTERN = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$/;

function parseV2Letters(permissions: string): Set<Interaction> | undefined {
  const granted = new Set<Interaction>();
  let position = 0;
  for (const [letter, interaction] of V2_LETTERS) {
    if (permissions[position] === letter) {
      granted.add(interaction);
      position += 1;
    }
  }
  return position === permissions.length && granted.size > 0 ? granted : undefined;
}

/**
 * Parses one scope. Returns `undefined` for scopes that grant no resource access (`openid`,
 * `launch`, `fhirUser`, `offline_access`…), for malformed ones, and for v2 scopes narrowed by a
 * query (`patient/Observation.rs?category=laboratory`): this server cannot enforce such a
 * narrowing on every interaction, so it grants nothing rather than too much.
 */
export function parseScope(scope: string): ResourceScope | undefined {
  const match = SCOPE_PATTERN.exec(scope);
  if (!match) {
    return undefined;
  }
  const [, context, resourceType, permissions] = match as unknown as [
    string,
    ScopeContext,
    string,
    string,
  ];
  const v1 = V1_PERMISSIONS[permissions];
  const interactions = v1 ? new Set(v1) : parseV2Letters(permissions);
  if (!interactions) {
    return undefined;
  }
  return { context, resourceType, interactions, raw: scope };
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
