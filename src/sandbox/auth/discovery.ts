/**
 * The SMART discovery document (`.well-known/smart-configuration`).
 * https://build.fhir.org/ig/HL7/smart-app-launch/conformance.html
 */
import { SPECIAL_SCOPES } from './scopes.ts';

export interface AuthUrls {
  readonly issuer: string;
  readonly authorize: string;
  readonly token: string;
  readonly jwks: string;
  readonly smartStyle: string;
}

const CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-public',
  'client-confidential-asymmetric',
  'context-ehr-patient',
  'context-standalone-patient',
  'context-banner',
  'context-style',
  'permission-patient',
  'permission-user',
  'permission-v1',
  'permission-v2',
  'permission-offline',
  'permission-online',
  'sso-openid-connect',
  'authorize-post',
] as const;

const RESOURCE_TYPES_IN_SCOPES = [
  'Patient',
  'Practitioner',
  'Observation',
  'Condition',
  'MedicationStatement',
  'MedicationRequest',
  'QuestionnaireResponse',
  'Questionnaire',
  'ServiceRequest',
  'Task',
  'Communication',
  'Organization',
  'Encounter',
  'Procedure',
];

function exampleScopes(): string[] {
  const out = [...SPECIAL_SCOPES];
  for (const ctx of ['patient', 'user', 'system']) {
    out.push(`${ctx}/*.read`, `${ctx}/*.rs`, `${ctx}/*.cruds`);
    for (const t of RESOURCE_TYPES_IN_SCOPES) {
      out.push(`${ctx}/${t}.read`, `${ctx}/${t}.rs`, `${ctx}/${t}.cruds`);
    }
  }
  return out;
}

/** The discovery JSON. `advertiseS256: false` is the SANDBOX_NO_S256 fault (PKCE stays required). */
export function smartConfiguration(
  urls: AuthUrls,
  advertiseS256: boolean,
): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    jwks_uri: urls.jwks,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    id_token_signing_alg_values_supported: ['RS256'],
    scopes_supported: exampleScopes(),
    response_types_supported: ['code'],
    code_challenge_methods_supported: advertiseS256 ? ['S256'] : [],
    capabilities: [...CAPABILITIES],
  };
}
