/**
 * SMART App Launch scopes (v1 `patient/Observation.read`, v2 `patient/Observation.rs`):
 * parsing, the sandbox's narrowing fault switch, and consent-screen wording.
 * https://build.fhir.org/ig/HL7/smart-app-launch/scopes-and-launch-context.html
 */
import { parseResourceScope } from '../../fhir/smartScope.ts';
import type { RegisteredClient } from './clients.ts';
import { clientMayHave } from './clients.ts';

/** Non-resource scopes the sandbox understands. */
export const SPECIAL_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'fhirUser',
  'profile',
  'launch',
  'launch/patient',
  'offline_access',
  'online_access',
]);

function isKnownScope(scope: string): boolean {
  return SPECIAL_SCOPES.has(scope) || parseResourceScope(scope) !== undefined;
}

const RESOURCE_TYPE_RULE = /^[A-Z][A-Za-z]+$/;

/**
 * Whether a narrowing rule refuses a scope. A rule is a scope prefix (`patient/Observation`,
 * `offline_access`) or a bare resource type (`MedicationStatement`). A type rule also refuses the
 * wildcard scopes (`patient/*.read`) of every context, since "all types but one" is not a scope.
 */
export function refusedByRule(scope: string, rule: string): boolean {
  if (scope.startsWith(rule)) {
    return true;
  }
  if (!RESOURCE_TYPE_RULE.test(rule)) {
    return false;
  }
  const parsed = parseResourceScope(scope);
  return parsed !== undefined && (parsed.resourceType === rule || parsed.resourceType === '*');
}

interface ScopeDecision {
  readonly granted: readonly string[];
  readonly refused: readonly string[];
}

/**
 * The scopes the server is willing to grant: known to the sandbox, allowed for this client, not
 * refused by a narrowing rule. Duplicates collapse; order of request is kept.
 */
export function decideScopes(
  requested: readonly string[],
  client: RegisteredClient,
  narrowing: readonly string[],
): ScopeDecision {
  const granted: string[] = [];
  const refused: string[] = [];
  for (const scope of new Set(requested)) {
    const ok =
      isKnownScope(scope) &&
      clientMayHave(client, scope) &&
      !narrowing.some((r) => refusedByRule(scope, r));
    (ok ? granted : refused).push(scope);
  }
  return { granted, refused };
}

const PERMISSION_WORDS: Readonly<Record<string, string>> = {
  c: 'create',
  r: 'read',
  u: 'update',
  d: 'delete',
  s: 'search',
};

const SPECIAL_WORDS: Readonly<Record<string, string>> = {
  openid: 'Confirm who you are (OpenID Connect)',
  fhirUser: 'Know which clinician or patient record you are',
  profile: 'Know your profile',
  launch: 'Use the patient and context from the EHR launch',
  'launch/patient': 'Use the patient you choose',
  offline_access: 'Stay signed in after you close the app (offline access)',
  online_access: 'Stay signed in while you are using the app',
};

/** Plain-language wording of a scope for the consent screen. */
export function describeScope(scope: string): string {
  const special = SPECIAL_WORDS[scope];
  if (special !== undefined) {
    return special;
  }
  const parsed = parseResourceScope(scope);
  if (!parsed) {
    return scope;
  }
  const verbs = parsed.letters
    .split('') // ASCII letters c r u d s only
    .map((p) => PERMISSION_WORDS[p] ?? p)
    .join(', ');
  const what = parsed.resourceType === '*' ? 'all record types' : `${parsed.resourceType} records`;
  const whose = { patient: 'of this patient', user: 'you can see', system: 'of all patients' }[
    parsed.context
  ];
  return `${verbs[0]?.toUpperCase() ?? ''}${verbs.slice(1)} ${what} ${whose}`;
}
