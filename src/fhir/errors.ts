/**
 * One error type for everything FHIR I/O can go wrong with, and one normaliser (after medplum's
 * normalizeOperationOutcome). Every screen shows `message` and acts on `kind`.
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
  /** The server answered 429 and kept doing so. */
  | 'rate-limited'
  /** The server answered with an error status (and usually an OperationOutcome). */
  | 'server'
  /** The server answered 2xx with something that is not the FHIR we asked for. */
  | 'malformed'
  /** The request was cancelled. */
  | 'aborted'
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

export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return (
    isRecord(value) && value['resourceType'] === 'OperationOutcome' && Array.isArray(value['issue'])
  );
}

/** The human text of an OperationOutcome: its issues' diagnostics or details, joined. */
export function outcomeText(outcome: OperationOutcome): string {
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
    case 'rate-limited':
      return 'The EHR is busy. Wait a moment, then retry.';
    case 'server':
      return 'The EHR reported an error. Retry; if it persists, tell your EHR support what is shown here.';
    case 'malformed':
      return 'The EHR sent data the app cannot read. Tell your EHR support what is shown here.';
    case 'aborted':
      return 'The request was cancelled. Retry.';
    case 'config':
      return 'The app is not configured for this EHR. Tell your EHR administrator.';
  }
}

/** Turns an HTTP error response into a FhirError, reading the OperationOutcome when there is one. */
export async function errorFromResponse(response: Response, request: string): Promise<FhirError> {
  let outcome: OperationOutcome | undefined;
  try {
    const body: unknown = await response.json();
    outcome = isOperationOutcome(body) ? body : undefined;
  } catch {
    outcome = undefined;
  }
  const detail = outcome ? outcomeText(outcome) : response.statusText;
  const status = response.status;
  const kind: FhirErrorKind =
    status === 401
      ? 'session-expired'
      : status === 403
        ? 'forbidden'
        : status === 429
          ? 'rate-limited'
          : 'server';
  const message = `${request} failed: HTTP ${status}${detail ? ` (${detail})` : ''}`;
  return new FhirError({ kind, message, status, request, ...(outcome ? { outcome } : {}) });
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
  if (
    error instanceof DOMException &&
    (error.name === 'AbortError' || error.name === 'TimeoutError')
  ) {
    const kind = error.name === 'AbortError' ? 'aborted' : 'network';
    return new FhirError({
      kind,
      message: `${label} was cancelled or timed out.`,
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
