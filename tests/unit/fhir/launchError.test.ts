import { describe, expect, it } from 'vitest';
import { launchError } from '../../../src/fhir/session.ts';

/** fhirclient's HttpError: a message and an HTTP status. */
class FakeHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

describe('what a failed launch tells the clinician', () => {
  it.each([
    [new Error('access_denied: the user denied the request'), 'forbidden', 'declined at sign-in'],
    [
      new Error('invalid_request: unknown or expired launch'),
      'no-launch',
      'launch may have expired',
    ],
    [new Error('server_error: boom'), 'server', 'sign-in failed'],
    [new TypeError('Failed to fetch'), 'network', 'could not be reached'],
    [
      new FakeHttpError(500, '500 Internal Server Error\nURL: x'),
      'server',
      'sign-in service failed',
    ],
    [
      new FakeHttpError(400, '400 Bad Request\nURL: x\ninvalid_grant'),
      'no-launch',
      'did not accept',
    ],
    [
      new FakeHttpError(401, '401 Unauthorized\nURL: x\n{"error":"invalid_client"}'),
      'config',
      'not registered, or not configured, for this EHR',
    ],
    [
      new Error('unauthorized_client: client not allowed for this launch'),
      'config',
      "does not accept CLBP Pathway's client id (unauthorized_client)",
    ],
    [
      new Error("No 'state' parameter found. Please (re)launch the app."),
      'no-launch',
      'without a launch',
    ],
  ])('%s → %s', (error, kind, text) => {
    const result = launchError(error);
    expect(result.kind).toBe(kind);
    expect(result.message).toContain(text);
  });
});
