/**
 * The node:http plumbing of the FHIR server: OperationOutcome errors, JSON responses, CORS and
 * request bodies. Every error this server sends has an OperationOutcome body.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import { readBodyLimited } from '../readBody.ts';
import { COST_LIMITS } from './costLimits.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** An error that becomes an HTTP status with an OperationOutcome body. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: OperationOutcomeIssue['code'];
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: OperationOutcomeIssue['code'],
    message: string,
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

export function operationOutcome(
  code: OperationOutcomeIssue['code'],
  diagnostics: string,
): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, details: { text: diagnostics }, diagnostics }],
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': FHIR_JSON,
    'Cache-Control': 'no-store',
    ...headers,
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: HttpError): void {
  sendJson(res, err.status, operationOutcome(err.code, err.message), err.headers);
}

const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Accept',
  'If-Match',
  'If-None-Exist',
  'If-None-Match',
  'If-Modified-Since',
  'Prefer',
  'X-Request-Id',
].join(', ');
const EXPOSED_HEADERS =
  'Location, ETag, Last-Modified, Content-Location, WWW-Authenticate, Retry-After';

/** Sets CORS headers when the request's Origin is one of the allowed ones; returns whether it is. */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  allowedOrigins: readonly string[],
): boolean {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin === undefined || !allowedOrigins.includes(origin)) {
    return false;
  }
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  return true;
}

/** Answers a CORS preflight. */
export function sendPreflight(
  req: IncomingMessage,
  res: ServerResponse,
  originAllowed: boolean,
): void {
  if (!originAllowed) {
    sendError(
      res,
      new HttpError(403, 'forbidden', `Origin ${req.headers.origin ?? '(none)'} is not allowed`),
    );
    return;
  }
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

export function readBody(req: IncomingMessage): Promise<string> {
  return readBodyLimited(
    req,
    COST_LIMITS.bodyBytes,
    () =>
      new HttpError(
        413,
        'too-costly',
        `The request body exceeds ${COST_LIMITS.bodyBytes} bytes, the most this server takes`,
      ),
  );
}

/** Parses a FHIR JSON body (application/fhir+json or application/json). */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (
    type !== '' &&
    type !== 'application/fhir+json' &&
    type !== 'application/json' &&
    !type.endsWith('+json')
  ) {
    throw new HttpError(
      415,
      'not-supported',
      `Unsupported Content-Type "${type}"; send application/fhir+json`,
    );
  }
  if (text.trim() === '') {
    throw new HttpError(400, 'invalid', 'The request body is empty');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new HttpError(
      400,
      'structure',
      `The request body is not valid JSON: ${(err as Error).message}`,
    );
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
