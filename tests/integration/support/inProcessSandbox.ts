/**
 * The sandbox's own FHIR engine (medplum's router over the sandbox repository, with its scopes,
 * transactions and fault injection: src/sandbox/fhir/fhirService.ts) in this process, handed to
 * the app's transport as its `fetch`: no port, no build, no HTTP. A test signs in as someone by
 * choosing a token; `loseNextAnswer` plays a connection that drops after the server has acted
 * (the case a retry must not duplicate), which the sandbox's own faults (decided before the
 * request runs) cannot.
 */
import type { Identifier, Resource } from 'fhir/r4';
import { FhirError } from '../../../src/fhir/errors.ts';
import type { AccessContext } from '../../../src/sandbox/accessContext.ts';
import {
  createFhirRepository,
  FhirFaults,
  loadResources,
  type SandboxRepository,
} from '../../../src/sandbox/fhir/fhirServer.ts';
import { createFhirService } from '../../../src/sandbox/fhir/fhirService.ts';
import { createTransport, type FhirTransport } from '../../../src/fhir/transport.ts';

export const SANDBOX_BASE = 'https://sandbox.test/fhir';

/** Who a token stands for: scopes as granted, the launch patient, the signed-in user. */
export type SignIn = Omit<AccessContext, 'clientId' | 'expiresAt'>;

export interface InProcessSandbox {
  readonly repo: SandboxRepository;
  readonly faults: FhirFaults;
  /** The app's transport, signed in as `who`, with no retries of its own (a test retries). */
  transport(who: SignIn): FhirTransport;
  /**
   * The next request whose `METHOD /fhir/path?query` matches is carried out by the server, then
   * its answer is lost on the way back.
   */
  loseNextAnswer(match: RegExp): void;
  /** Every stored resource of a type, as the repository holds it (not through scopes). */
  stored<T extends Resource>(resourceType: T['resourceType']): Promise<T[]>;
  /** The stored resources of a type that carry an identifier with this value. */
  storedWith<T extends Resource>(resourceType: T['resourceType'], identifier: string): Promise<T[]>;
}

/** The FhirError a write rejects with (anything else fails the test). */
export async function failureOf(promise: Promise<unknown>): Promise<FhirError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FhirError)) {
    throw new Error(`expected a FhirError, got ${String(error)}`);
  }
  return error;
}

export async function inProcessSandbox(resources: readonly Resource[]): Promise<InProcessSandbox> {
  const repo = await createFhirRepository();
  await loadResources(repo, resources);
  const faults = new FhirFaults();
  const tokens = new Map<string, AccessContext>();
  const service = createFhirService({
    repo,
    faults,
    publicBaseUrl: () => SANDBOX_BASE,
    smartConfiguration: () => ({}),
    oauthUris: () => ({
      authorize: 'https://sandbox.test/auth',
      token: 'https://sandbox.test/token',
    }),
    verifyToken: (authorization) => {
      const context = tokens.get(authorization?.replace(/^Bearer /, '') ?? '');
      return Promise.resolve(
        context === undefined
          ? { ok: false, reason: 'invalid', message: 'unknown token' }
          : { ok: true, context },
      );
    },
  });
  let loseAnswer: RegExp | undefined;

  const sandboxFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const answer = await service({
      method: request.method,
      url: url.pathname + url.search,
      header: (name) => request.headers.get(name) ?? undefined,
      body: () => request.text(),
    });
    if (loseAnswer?.test(`${request.method} ${url.pathname}${url.search}`) === true) {
      loseAnswer = undefined;
      throw new TypeError('fetch failed (the answer was lost)');
    }
    if (answer.kind === 'dropped') {
      throw new TypeError('fetch failed (connection dropped)');
    }
    if (answer.kind === 'bulk') {
      throw new Error('Bulk export is not served in-process');
    }
    const { status, body, headers } = answer.reply;
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/fhir+json', ...headers },
    });
  };

  async function stored<T extends Resource>(resourceType: T['resourceType']): Promise<T[]> {
    const bundle = await repo.search({ resourceType: resourceType as never, count: 10_000 });
    return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as unknown as T] : []));
  }

  return {
    repo,
    faults,
    transport(who) {
      const token = crypto.randomUUID();
      tokens.set(token, { ...who, clientId: 'clbp-pathway', expiresAt: 4_102_444_800 });
      return createTransport({
        baseUrl: SANDBOX_BASE,
        fetch: sandboxFetch,
        auth: { token: () => Promise.resolve(token) },
        retry: { retries: 0, backoffMs: 0, maxWaitMs: 0, network: false, serverErrors: false },
      });
    },
    loseNextAnswer(match) {
      loseAnswer = match;
    },
    stored,
    async storedWith<T extends Resource>(resourceType: T['resourceType'], identifier: string) {
      const all = await stored<T & { identifier?: Identifier | Identifier[] }>(resourceType);
      return all.filter((r) => [r.identifier ?? []].flat().some((i) => i.value === identifier));
    },
  };
}
