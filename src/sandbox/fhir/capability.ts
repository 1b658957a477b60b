/**
 * The server's CapabilityStatement (`GET /fhir/metadata`): every resource type served with its
 * interactions and search parameters, and the SMART security extension naming the OAuth endpoints.
 *
 * @see https://hl7.org/fhir/R4/capabilitystatement.html
 * @see https://hl7.org/fhir/smart-app-launch/STU2/conformance.html#using-cors (oauth-uris)
 */
import { getResourceTypes, globalSchema } from '@medplum/core';
import type {
  CapabilityStatement,
  CapabilityStatementRestResource,
  CapabilityStatementRestResourceSearchParam,
} from '@medplum/fhirtypes';

/**
 * Interactions this server implements on every resource type (see operations.ts). PATCH (JSON
 * Patch) is served to user/ and system/ scopes; patient/ scopes are refused it (access.ts).
 */
const TYPE_INTERACTIONS: NonNullable<CapabilityStatementRestResource['interaction']> = [
  { code: 'read' },
  { code: 'vread' },
  { code: 'update' },
  {
    code: 'patch',
    documentation: 'JSON Patch (application/json-patch+json); not under patient/ scopes',
  },
  { code: 'delete' },
  { code: 'history-instance' },
  { code: 'create' },
  { code: 'search-type' },
];

function searchParams(resourceType: string): CapabilityStatementRestResourceSearchParam[] {
  const params = globalSchema.types[resourceType]?.searchParams ?? {};
  return Object.values(params)
    .filter((p) => !p.code.startsWith('_') || p.code === '_id' || p.code === '_lastUpdated')
    .map((p) => ({
      name: p.code,
      type: p.type,
      ...(p.url ? { definition: p.url } : {}),
      ...(p.description ? { documentation: p.description } : {}),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface CapabilityOptions {
  readonly baseUrl: string;
  readonly oauthUris: { readonly authorize: string; readonly token: string };
  /** Fixed publication date (ISO), so the statement is byte-stable across requests. */
  readonly date: string;
  /** Types the server answers 404 for (SANDBOX_UNSUPPORTED_TYPES): not listed. */
  readonly unsupported?: ReadonlySet<string>;
}

export function buildCapabilityStatement(o: CapabilityOptions): CapabilityStatement {
  const resource: CapabilityStatementRestResource[] = getResourceTypes()
    .filter((type) => !(o.unsupported?.has(type) ?? false))
    .sort()
    .map((type) => ({
      type,
      interaction: TYPE_INTERACTIONS,
      versioning: 'versioned-update',
      readHistory: false,
      updateCreate: true,
      conditionalCreate: true,
      conditionalUpdate: false,
      conditionalDelete: 'not-supported',
      searchInclude: ['*'],
      searchRevInclude: ['*'],
      searchParam: searchParams(type),
      // Bulk Data Access IG 2.0.0 kick-off operations (bulkExport.ts).
      ...(type === 'Patient' || type === 'Group'
        ? {
            operation: [
              {
                name: 'export',
                definition: `http://hl7.org/fhir/uv/bulkdata/OperationDefinition/${type.toLowerCase()}-export`,
              },
            ],
          }
        : {}),
    }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: o.date,
    kind: 'instance',
    software: { name: 'CLBP Pathway EHR sandbox' },
    implementation: { description: 'Local SMART on FHIR R4 sandbox (in-memory)', url: o.baseUrl },
    instantiates: ['http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data'],
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: true,
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [
                { url: 'authorize', valueUri: o.oauthUris.authorize },
                { url: 'token', valueUri: o.oauthUris.token },
              ],
            },
          ],
        },
        resource,
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
      },
    ],
  };
}
