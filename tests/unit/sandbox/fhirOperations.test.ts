import { beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../../src/sandbox/fhir/http.ts';
import { classify, interactionOf, splitUrl } from '../../../src/sandbox/fhir/operations.ts';
import { parseBundleEntry } from '../../../src/sandbox/fhir/entryOperation.ts';
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
    // A write's URL carries no search: the engine would run it against whatever matched.
    ['PUT', '/Task/Task?_id=another-patients-task', 400],
    ['DELETE', '/Condition/Condition?_id=x', 400],
    ['POST', '/Condition?subject=Patient/b&code=C61', 400],
    ['PATCH', '/Observation/1?code=x', 400],
  ])('refuses %s %s with %i', (method, url, expected) => {
    expect(status(method, url)).toBe(expected);
  });
});

describe('parseBundleEntry', () => {
  const BASE = 'http://ehr.test/fhir';
  const obs = { resourceType: 'Observation', status: 'final', code: {} };

  function refusal(entry: unknown): string {
    try {
      parseBundleEntry(entry, BASE);
      return 'accepted';
    } catch (err) {
      return err instanceof HttpError ? `${err.status} ${err.message}` : String(err);
    }
  }

  it.each([
    [
      'a PUT whose URL carries a search',
      { resource: { ...obs, id: 'x' }, request: { method: 'PUT', url: 'Observation/x?_id=y' } },
      /^400 .*cannot carry a search/,
    ],
    [
      'a resource of another type than the URL',
      { resource: { ...obs, id: 'x' }, request: { method: 'PUT', url: 'Condition/x' } },
      /^400 The body must be a Condition/,
    ],
    [
      'an update whose resource id differs from the URL',
      { resource: { ...obs, id: 'y' }, request: { method: 'PUT', url: 'Observation/x' } },
      /^400 .*has id "y", not x/,
    ],
    [
      'If-None-Exist on an update',
      {
        resource: { ...obs, id: 'x' },
        request: { method: 'PUT', url: 'Observation/x', ifNoneExist: 'identifier=a' },
      },
      /^400 If-None-Exist applies only to a create/,
    ],
    [
      'If-Match on a create',
      { resource: obs, request: { method: 'POST', url: 'Observation', ifMatch: 'W/"1"' } },
      /^400 If-Match/,
    ],
    [
      'a URL on another server',
      { resource: obs, request: { method: 'POST', url: 'http://evil.test/fhir/Observation' } },
      /^400 .*not on this server/,
    ],
    [
      'PATCH',
      { request: { method: 'PATCH', url: 'Observation/x' } },
      /^400 PATCH is not offered in a Bundle/,
    ],
    ['an entry without a request', { resource: obs }, /^400 the entry needs a request/],
  ])('refuses %s', (_, entry, expected) => {
    expect(refusal(entry)).toMatch(expected);
  });

  it('drops the id and version a client put in a create, and keeps the rest', () => {
    const entry = parseBundleEntry(
      {
        fullUrl: 'urn:uuid:1',
        resource: { ...obs, id: 'chosen', meta: { versionId: '7', profile: ['p'] } },
        request: { method: 'POST', url: `${BASE}/Observation`, ifNoneExist: 'identifier=s|1' },
      },
      BASE,
    );
    expect(entry).toMatchObject({
      op: { kind: 'create', resourceType: 'Observation' },
      resource: { ...obs, meta: { profile: ['p'] } },
      ifNoneExist: 'identifier=s|1',
      fullUrl: 'urn:uuid:1',
    });
    expect(entry.resource?.id).toBeUndefined();
  });
});
