/**
 * The client registry (src/sandbox/clients.json). `${APP_ORIGIN}` placeholders are expanded when the
 * sandbox starts, because tests run the app server on a random port.
 */
import type { JSONWebKeySet } from 'jose';
import registry from '../clients.json' with { type: 'json' };
import { isRecord } from '../../domain/fhir-primitives/json.ts';

interface ClientBase {
  readonly clientId: string;
  readonly name: string;
  /** Exact scopes (`openid`) or prefixes ending in `/` (`patient/`) this client may be granted. */
  readonly allowedScopePrefixes: readonly string[];
}

export interface PublicClient extends ClientBase {
  readonly type: 'public';
  /** Compared by exact string match, as OAuth 2.1 requires. */
  readonly redirectUris: readonly string[];
  readonly launchUri: string;
}

export interface AsymmetricClient extends ClientBase {
  readonly type: 'confidential-asymmetric';
  readonly jwks: JSONWebKeySet;
}

export type RegisteredClient = PublicClient | AsymmetricClient;

export interface ClientRegistry {
  get(clientId: string): RegisteredClient | undefined;
  readonly all: readonly RegisteredClient[];
}

function stringList(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) {
    throw new Error(`clients.json: ${what} must be a list of strings`);
  }
  return v;
}

function expand(s: string, appOrigin: string): string {
  return s.replaceAll('${APP_ORIGIN}', appOrigin);
}

function parseClient(raw: unknown, appOrigin: string): RegisteredClient {
  if (!isRecord(raw) || typeof raw['clientId'] !== 'string' || typeof raw['name'] !== 'string') {
    throw new Error('clients.json: every client needs a string clientId and name');
  }
  const { clientId, name } = raw;
  const allowedScopePrefixes = stringList(
    raw['allowedScopePrefixes'],
    `${clientId}.allowedScopePrefixes`,
  );
  if (raw['type'] === 'public') {
    if (typeof raw['launchUri'] !== 'string') {
      throw new Error(`clients.json: ${clientId}.launchUri must be a string`);
    }
    return {
      type: 'public',
      clientId,
      name,
      allowedScopePrefixes,
      redirectUris: stringList(raw['redirectUris'], `${clientId}.redirectUris`).map((u) =>
        expand(u, appOrigin),
      ),
      launchUri: expand(raw['launchUri'], appOrigin),
    };
  }
  if (raw['type'] === 'confidential-asymmetric') {
    const jwks = raw['jwks'];
    if (!isRecord(jwks) || !Array.isArray(jwks['keys'])) {
      throw new Error(`clients.json: ${clientId}.jwks must be a JWK set`);
    }
    return {
      type: 'confidential-asymmetric',
      clientId,
      name,
      allowedScopePrefixes,
      jwks: jwks as unknown as JSONWebKeySet,
    };
  }
  throw new Error(`clients.json: ${clientId}.type must be "public" or "confidential-asymmetric"`);
}

/** Builds the registry from a parsed clients.json document (the committed one by default). */
export function loadClients(appOrigin: string, doc: unknown = registry): ClientRegistry {
  if (!isRecord(doc) || !Array.isArray(doc['clients'])) {
    throw new Error('clients.json: expected { "clients": [...] }');
  }
  const all = doc['clients'].map((c: unknown) => parseClient(c, appOrigin));
  const byId = new Map(all.map((c) => [c.clientId, c]));
  return { all, get: (id) => byId.get(id) };
}

/** Whether a registered client may ever be granted this scope. */
export function clientMayHave(client: RegisteredClient, scope: string): boolean {
  return client.allowedScopePrefixes.some((p) =>
    p.endsWith('/') ? scope.startsWith(p) : scope === p,
  );
}
