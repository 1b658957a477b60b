/**
 * The SMART App Launch resource-scope grammar, parsed in one place for the app (which features a
 * grant allows), the sandbox's authorization server (which scopes exist, consent wording) and its
 * FHIR server (what a token may do). Pure: no I/O.
 *
 *   scope        = context "/" (resourceType | "*") "." permissions [ "?" query ]
 *   context      = "patient" | "user" | "system"
 *   permissions  = v1 "read" | "write" | "*"  |  v2 letters "c r u d s", in that order, at least one
 *
 * v1 permissions map to v2 letters as the v2 spec's table says: read = rs, write = cud, * = cruds.
 * The v2 query (`patient/Observation.rs?category=laboratory`) narrows the scope; it is kept for the
 * caller to decide (the sandbox's FHIR server grants nothing for a narrowed scope it cannot enforce).
 *
 * @see https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */

export type ScopeContext = 'patient' | 'user' | 'system';

/** SMART v2 permission letters: create, read, update, delete, search. */
export type ScopeLetter = 'c' | 'r' | 'u' | 'd' | 's';

export interface ResourceScope {
  readonly context: ScopeContext;
  /** A resource type, or `*` for every type. */
  readonly resourceType: string;
  /** The permissions as v2 letters, in canonical order (`rs`, `cruds`…). */
  readonly letters: string;
  /** A v2 narrowing query after `?`, without the `?`. */
  readonly query: string | undefined;
  /** The scope as written. */
  readonly raw: string;
}

const LETTER_ORDER = 'cruds';

const V1_PERMISSIONS: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };

const SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)(?:\?(\S*))?$/;

/** True for `c?r?u?d?s?` with at least one letter. */
function isV2Letters(permissions: string): boolean {
  let position = 0;
  for (const letter of permissions) {
    const at = LETTER_ORDER.indexOf(letter, position);
    if (at < 0) {
      return false;
    }
    position = at + 1;
  }
  return permissions !== '';
}

/**
 * Parses one resource scope; `undefined` for scopes that are not resource scopes (`openid`,
 * `launch`, `fhirUser`, `offline_access`…) and for malformed ones (`patient/Observation.sr`).
 */
export function parseResourceScope(scope: string): ResourceScope | undefined {
  const match = SCOPE.exec(scope);
  const [, context, resourceType, permissions, query] = match ?? [];
  if (context === undefined || resourceType === undefined || permissions === undefined) {
    return undefined;
  }
  const letters = V1_PERMISSIONS[permissions] ?? (isV2Letters(permissions) ? permissions : '');
  if (letters === '') {
    return undefined;
  }
  return {
    context: context as ScopeContext,
    resourceType,
    letters,
    query: query === undefined || query === '' ? undefined : query,
    raw: scope,
  };
}

/** Splits a space-separated scope string (OAuth 2 `scope`), dropping empty parts. */
export function splitScope(scope: string | null | undefined): string[] {
  return (scope ?? '').split(/\s+/).filter((s) => s !== '');
}
