import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body as UTF-8 text, refusing it as soon as it grows past `maxBytes` with the
 * caller's own error (an OAuth error for the auth server, an OperationOutcome 413 for FHIR).
 */
export async function readBodyLimited(
  req: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
