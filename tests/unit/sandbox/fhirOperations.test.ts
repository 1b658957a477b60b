import { beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/sandbox/fhir/http.ts';
import { classify, interactionOf, splitUrl } from '../../../src/sandbox/fhir/operations.ts';
import type { FhirOperation } from '../../../src/sandbox/fhir/operations.ts';
import { ensureDefinitionsIndexed } from '../../../src/sandbox/fhir/searchParameters.ts';

beforeAll(() => {
  ensureDefinitionsIndexed();
});

function op(method: string, url: string): FhirOperation {
  const { segments, query } = splitUrl(url);
  return classify(method, segments, query);
}

function status(method: string, url: string): number {
  try {
    op(method, url);
    return 0;
  } catch (err) {
    return err instanceof HttpError ? err.status : -1;
  }
}

describe('classify', () => {
  it.each([
    ['GET', '/Observation?patient=a', 'search', 'search'],
    ['POST', '/Observation/_search', 'search', 'search'],
    ['GET', '/Observation/1', 'read', 'read'],
    ['GET', '/Observation/1/_history/2', 'vread', 'read'],
    ['GET', '/Observation/1/_history', 'history', 'read'],
    ['POST', '/Observation', 'create', 'create'],
    ['PUT', '/Observation/1', 'update', 'update'],
    ['PATCH', '/Observation/1', 'patch', 'update'],
    ['DELETE', '/Observation/1', 'delete', 'delete'],
  ])('%s %s is a %s needing the %s permission', (method, url, kind, interaction) => {
    const operation = op(method, url);
    expect(operation.kind).toBe(kind);
    expect(operation.kind === 'bundle' ? undefined : interactionOf(operation)).toBe(interaction);
  });

  it('treats POST to the base as a batch/transaction Bundle', () => {
    expect(op('POST', '/').kind).toBe('bundle');
  });

  it.each([
    ['GET', '/Nonsense/1', 404],
    ['POST', '/$graphql', 404], // would bypass the scope checks
    ['GET', '/Patient/a/$everything', 404],
    ['GET', '/', 405], // system-wide search
    ['DELETE', '/Observation?code=x', 405], // conditional delete
    ['PUT', '/Observation?identifier=x', 405], // conditional update
    ['POST', '/Observation/1', 405],
    ['GET', '/Observation/has space', 400],
    ['GET', '/Observation/1/_history/2/extra', 404],
  ])('refuses %s %s with %i', (method, url, expected) => {
    expect(status(method, url)).toBe(expected);
  });
});
