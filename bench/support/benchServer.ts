/**
 * The sandbox's FHIR server for the benchmarks that time it directly (bench:sandbox,
 * bench:stalls): two bearer tokens, `user` and `patient` (a patient/ grant for `patient`), with
 * the access the benchmark asks for, and a repository served on a free port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessContext, TokenVerifier } from '../../src/sandbox/accessContext.ts';
import {
  createFhirHandler,
  FhirFaults,
  type SandboxRepository,
} from '../../src/sandbox/fhir/fhirServer.ts';

/** Accepts `Bearer user` and `Bearer patient`, with `access` ('rs', 'cruds') on every type. */
export function benchTokens(patient: string, access: string): TokenVerifier {
  const tokens: Record<string, AccessContext> = {
    user: { clientId: 'bench', expiresAt: 4_000_000_000, scopes: [`user/*.${access}`] },
    patient: {
      clientId: 'bench',
      expiresAt: 4_000_000_000,
      scopes: [`patient/*.${access}`],
      patient,
    },
  };
  return (header) => {
    const context = tokens[header?.replace(/^Bearer /, '') ?? ''];
    return Promise.resolve(
      context ? { ok: true, context } : { ok: false, reason: 'invalid', message: 'bench token' },
    );
  };
}

/** The sandbox's FHIR handler over `repo` on a free port: its base URL and the server. */
export async function serveRepository(
  repo: SandboxRepository,
  verifyToken: TokenVerifier,
): Promise<{ base: string; server: Server }> {
  let base = '';
  const handler = createFhirHandler({
    repo,
    verifyToken,
    publicBaseUrl: () => base,
    allowedOrigins: () => [],
    smartConfiguration: () => ({}),
    oauthUris: () => ({ authorize: 'http://bench/authorize', token: 'http://bench/token' }),
    faults: new FhirFaults(),
  });
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return { base, server };
}
