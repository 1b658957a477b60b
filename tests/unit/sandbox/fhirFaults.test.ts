import { describe, expect, it } from 'vitest';
import { faultsFromEnv, FhirFaults } from '../../../src/sandbox/fhir/faults.ts';

function kinds(faults: FhirFaults, requests: readonly [string, string][]): string[] {
  return requests.map(([method, path]) => {
    const d = faults.decide(method, path);
    return d.kind === 'fail' ? String(d.status) : d.kind;
  });
}

describe('FhirFaults', () => {
  it('fails the next request once, then passes', () => {
    const faults = new FhirFaults();
    faults.failNext({ status: 503 });
    expect(
      kinds(faults, [
        ['GET', '/fhir/Patient/a'],
        ['GET', '/fhir/Patient/a'],
      ]),
    ).toEqual(['503', 'pass']);
  });

  it('fails the n-th matching request for `times` requests', () => {
    const faults = new FhirFaults();
    faults.failNext({ status: 500, nth: 2, times: 2 });
    const requests = Array.from({ length: 5 }, (): [string, string] => [
      'GET',
      '/fhir/Observation',
    ]);
    expect(kinds(faults, requests)).toEqual(['pass', '500', '500', 'pass', 'pass']);
  });

  it('counts only requests matching the method and the regex on "METHOD /path?query"', () => {
    const faults = new FhirFaults();
    faults.failNext({ status: 500, method: 'post', match: /^POST \/fhir$/ });
    expect(
      kinds(faults, [
        ['GET', '/fhir/Observation?patient=a'],
        ['POST', '/fhir/Observation'],
        ['POST', '/fhir'],
        ['POST', '/fhir'],
      ]),
    ).toEqual(['pass', 'pass', '500', 'pass']);
  });

  it('carries Retry-After seconds on a 429 rule', () => {
    const faults = new FhirFaults();
    faults.failNext({ status: 429, retryAfterSeconds: 3 });
    expect(faults.decide('GET', '/fhir/Patient')).toEqual({
      kind: 'fail',
      status: 429,
      retryAfterSeconds: 3,
    });
  });

  it('drops the connection for a dropNext rule', () => {
    const faults = new FhirFaults();
    faults.dropNext({ match: /metadata/ });
    expect(
      kinds(faults, [
        ['GET', '/fhir/Patient'],
        ['GET', '/fhir/metadata'],
      ]),
    ).toEqual(['pass', 'drop']);
  });

  it('forgets every rule and the latency on reset', () => {
    const faults = new FhirFaults();
    faults.failNext({ status: 500 });
    faults.setLatency(50);
    faults.reset();
    expect([faults.latencyMs, faults.decide('GET', '/fhir/Patient').kind]).toEqual([0, 'pass']);
  });

  it.each([[{ status: 200 }], [{ status: 500, nth: 0 }], [{ status: 500, times: 1.5 }]])(
    'rejects the rule %j',
    (rule) => {
      expect(() => {
        new FhirFaults().failNext(rule);
      }).toThrow(RangeError);
    },
  );
});

describe('faultsFromEnv', () => {
  it('reads latency, the n-th request, the status and the match', () => {
    const faults = faultsFromEnv({
      SANDBOX_LATENCY_MS: '250',
      SANDBOX_FAIL_NTH: '2',
      SANDBOX_FAIL_STATUS: '503',
      SANDBOX_FAIL_MATCH: '^GET /fhir/Observation',
    });
    expect(faults.latencyMs).toBe(250);
    expect(
      kinds(faults, [
        ['GET', '/fhir/Observation?patient=a'],
        ['GET', '/fhir/Patient/a'],
        ['GET', '/fhir/Observation?patient=a'],
      ]),
    ).toEqual(['pass', 'pass', '503']);
  });

  it('defaults the status to 500 and drops the connection for status 0', () => {
    expect(faultsFromEnv({ SANDBOX_FAIL_NTH: '1' }).decide('GET', '/fhir/x')).toEqual({
      kind: 'fail',
      status: 500,
    });
    expect(
      faultsFromEnv({ SANDBOX_FAIL_NTH: '1', SANDBOX_FAIL_STATUS: '0' }).decide('GET', '/fhir/x')
        .kind,
    ).toBe('drop');
  });

  it('injects nothing when the variables are absent', () => {
    const faults = faultsFromEnv({});
    expect([faults.latencyMs, faults.decide('GET', '/fhir/x').kind]).toEqual([0, 'pass']);
  });

  it.each([
    [{ SANDBOX_LATENCY_MS: 'slow' }],
    [{ SANDBOX_FAIL_NTH: '-1' }],
    [{ SANDBOX_FAIL_NTH: '1', SANDBOX_FAIL_STATUS: '200' }],
    [{ SANDBOX_FAIL_NTH: '1', SANDBOX_FAIL_MATCH: '(' }],
  ])('refuses the malformed configuration %j rather than injecting nothing', (env) => {
    expect(() => faultsFromEnv(env)).toThrow();
  });
});

describe('SANDBOX_UNSUPPORTED_TYPES', () => {
  it('names the resource types the server answers 404 for, and reset offers them again', () => {
    const faults = faultsFromEnv({ SANDBOX_UNSUPPORTED_TYPES: 'MedicationStatement, Task' });
    expect([...faults.unsupportedTypes]).toEqual(['MedicationStatement', 'Task']);
    faults.reset();
    expect(faults.unsupportedTypes.size).toBe(0);
  });

  it('refuses a value that is not a resource type, so a typo cannot pass silently', () => {
    expect(() => faultsFromEnv({ SANDBOX_UNSUPPORTED_TYPES: 'medicationstatement' })).toThrow(
      /not a resource type/,
    );
  });
});
