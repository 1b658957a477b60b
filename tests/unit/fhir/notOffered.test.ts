import type { OperationOutcome } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { FhirError, isNotOffered, type FhirErrorKind } from '../../../src/fhir/errors.ts';

const notSupported: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'not-supported', diagnostics: 'Unknown resource type' }],
};
const invalid: OperationOutcome = {
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'invalid', diagnostics: 'Unknown search parameter' }],
};

describe('a search the EHR does not offer (US Core 4+ may drop MedicationStatement)', () => {
  it.each<[string, FhirErrorKind, number | undefined, OperationOutcome | undefined, boolean]>([
    ['404 for the type', 'server', 404, undefined, true],
    ['400 not-supported', 'server', 400, notSupported, true],
    ['501 not-supported', 'server', 501, notSupported, true],
    ['400 for a bad parameter: a failure, not an absence', 'server', 400, invalid, false],
    ['500: a failure', 'server', 500, notSupported, false],
    ['403: refused for this user, a failure', 'forbidden', 403, undefined, false],
    ['a dropped connection', 'network', undefined, undefined, false],
  ])('%s → %s', (_name, kind, status, outcome, expected) => {
    const error = new FhirError({
      kind,
      message: 'x',
      ...(status === undefined ? {} : { status }),
      ...(outcome === undefined ? {} : { outcome }),
    });
    expect(isNotOffered(error)).toBe(expected);
  });
});
