/**
 * One error type for everything FHIR I/O can go wrong with, in the browser and on the command line,
 * and one normaliser (after medplum's normalizeOperationOutcome): an HTTP error answer goes through
 * errorFromStatus, anything thrown through normalizeError. Every screen and every command line
 * shows `message` and acts on `kind`.
 */
import type { OperationOutcome } from 'fhir/r4';
import { isRecord } from '../domain/fhir-primitives/json.ts';

export type FhirErrorKind =
  /** No usable launch context: opened without `iss`/`launch`, or the state was lost. */
  | 'no-launch'
  /** The token expired and could not be refreshed: relaunch from the EHR. */
  | 'session-expired'
  /** The server refused the request for this user (403). */
  | 'forbidden'
  /** The server could not be reached, or the connection dropped. */
  | 'network'
  /** The EHR already holds a different record under the same submission. */
  | 'conflict'
  /** The server did not answer in time. */
  | 'timeout'
  /** The server answered 429 and kept doing so. */
  | 'rate-limited'
  /** The server answered with an error status (and usually an OperationOutcome). */
  | 'server'
  /** The server answered 2xx with something that is not the FHIR we asked for. */
  | 'malformed'
  /** The request was cancelled. */
  | 'aborted'
  /** Someone changed the record since it was read (409/412 on a versioned write): nothing was written. */
  | 'changed'
  /** The app's own configuration is wrong. */
  | 'config';

export interface FhirErrorInit {
  readonly kind: FhirErrorKind;
  readonly message: string;
  readonly status?: number;
  readonly outcome?: OperationOutcome;
  /** Short name of the request for the screen, e.g. "MedicationStatement search". */
  readonly request?: string;
  readonly cause?: unknown;
}

export class FhirError extends Error {
  override readonly name = 'FhirError';
  readonly kind: FhirErrorKind;
  readonly status: number | undefined;
  readonly outcome: OperationOutcome | undefined;
  readonly request: string | undefined;

  constructor(init: FhirErrorInit) {
    super(init.message, { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.outcome = init.outcome;
    this.request = init.request;
  }
}

function isOperationOutcome(value: unknown): value is OperationOutcome {
  return (
    isRecord(value) && value['resourceType'] === 'OperationOutcome' && Array.isArray(value['issue'])
  );
}

/** The human text of an OperationOutcome: its issues' diagnostics or details, joined. */
function outcomeText(outcome: OperationOutcome): string {
  const texts = outcome.issue
    .map((i) => i.diagnostics ?? i.details?.text ?? i.details?.coding?.[0]?.display ?? i.code)
    .filter((t) => t !== '');
  return texts.join('; ');
}

/** What the user should do next, in words, for each kind. */
export function nextStep(kind: FhirErrorKind): string {
  switch (kind) {
    case 'no-launch':
      return 'Open CLBP Pathway from the patient chart in your EHR.';
    case 'session-expired':
      return 'Your session has ended. Relaunch CLBP Pathway from the patient chart; unsaved answers are kept in this tab.';
    case 'forbidden':
      return 'Ask your EHR administrator to grant the app the access listed below.';
    case 'network':
      return 'Check the connection to the EHR, then retry.';
    case 'conflict':
      return 'Check the chart for the record saved from the other tab. To record these answers as well, save again: they become a separate record.';
    case 'timeout':
      return 'The EHR did not answer in time. Retry; if it keeps happening, tell your EHR support.';
    case 'rate-limited':
      return 'The EHR is busy. Wait a moment, then retry.';
    case 'server':
      return 'The EHR reported an error. Retry; if it persists, tell your EHR support what is shown here.';
    case 'malformed':
      return 'The EHR sent data the app cannot read. Tell your EHR support what is shown here.';
    case 'aborted':
      return 'The request was cancelled. Retry.';
    case 'changed':
      return 'Someone changed this record since it was shown. Reload to see it as it is now; nothing was overwritten.';
    case 'config':
      return 'The app is not configured for this EHR. Tell your EHR administrator.';
  }
}

/** The one line an error body has to say: an OperationOutcome's issues, an OAuth error, or text. */
function bodyDetail(body: unknown): { detail: string; outcome?: OperationOutcome } {
  if (isOperationOutcome(body)) {
    return { detail: outcomeText(body), outcome: body };
  }
  if (isRecord(body) && typeof body['error'] === 'string') {
    const description = body['error_description'];
    return {
      detail: typeof description === 'string' ? `${body['error']}: ${description}` : body['error'],
    };
  }
  if (typeof body === 'string') {
    return { detail: body.replace(/\s+/g, ' ').trim().slice(0, 200) };
  }
  return { detail: '' };
}

/**
 * THE normaliser of an HTTP error answer, for every client (browser, `clbp bulk`, `clbp export`).
 * @param body - the parsed JSON body, or its text when it is not JSON, or undefined
 * @param request - the short name of the request, e.g. "MedicationStatement search"
 */
function errorFromStatus(status: number, body: unknown, request: string): FhirError {
  const { detail, outcome } = bodyDetail(body);
  // 409/412 answer a write conditional on the version read (If-Match): a colleague's change got
  // there first, and the write (a whole transaction) was not made.
  const kind: FhirErrorKind =
    status === 401
      ? 'session-expired'
      : status === 403
        ? 'forbidden'
        : status === 429
          ? 'rate-limited'
          : status === 409 || status === 412
            ? 'changed'
            : 'server';
  const message = `${request} failed: HTTP ${status}${detail ? ` (${detail})` : ''}`;
  return new FhirError({ kind, message, status, request, ...(outcome ? { outcome } : {}) });
}

/** Reads an error response's body (JSON or text, never throwing) and normalises it. */
export async function errorFromResponse(response: Response, request: string): Promise<FhirError> {
  const text = await response.text().catch(() => '');
  let body: unknown = text === '' ? undefined : text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // not JSON: keep the text
  }
  return errorFromStatus(response.status, body, request);
}

/**
 * Whether a failed search says the EHR does not offer the resource type at all (not that the
 * request failed): 404 for the type's endpoint, or 400/501 with an OperationOutcome `not-supported`.
 * US Core 4 and later dropped the MedicationStatement profile, so a US Core server may answer so.
 */
export function isNotOffered(error: FhirError): boolean {
  if (error.kind !== 'server') {
    return false;
  }
  const notSupported = error.outcome?.issue.some((i) => i.code === 'not-supported') ?? false;
  return error.status === 404 || ((error.status === 400 || error.status === 501) && notSupported);
}

/** Normalises anything thrown during FHIR I/O into a FhirError. */
export function normalizeError(error: unknown, request?: string): FhirError {
  if (error instanceof FhirError) {
    return error;
  }
  const label = request ?? 'The request';
  const base = request === undefined ? {} : { request };
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new FhirError({
      kind: 'timeout',
      message: `${label} timed out: the server did not answer in time.`,
      cause: error,
      ...base,
    });
  }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return new FhirError({
      kind: 'aborted',
      message: `${label} was cancelled.`,
      cause: error,
      ...base,
    });
  }
  if (error instanceof TypeError) {
    // fetch rejects with TypeError when the network fails (connection refused, reset, CORS).
    return new FhirError({
      kind: 'network',
      message: `${label} could not reach the EHR (${error.message}).`,
      cause: error,
      ...base,
    });
  }
  if (error instanceof SyntaxError) {
    return new FhirError({
      kind: 'malformed',
      message: `${label}: the answer was not valid JSON.`,
      cause: error,
      ...base,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new FhirError({
    kind: 'server',
    message: `${label} failed: ${message}`,
    cause: error,
    ...base,
  });
}
