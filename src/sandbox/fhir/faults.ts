/**
 * Fault injection for the sandbox's FHIR responses: added latency, failing chosen requests with a
 * status (and an OperationOutcome body), or dropping the connection. Configured from the environment
 * when the sandbox starts, and at run time by in-process tests and benchmarks.
 */

export interface FailureRule {
  /** HTTP status to answer with, e.g. 500, 503, 429. Ignored when `dropConnection` is set. */
  readonly status: number;
  /** Only requests with this method (case-insensitive) count. */
  readonly method?: string;
  /** Tested against "METHOD /fhir/path?query"; only matching requests count. */
  readonly match?: RegExp;
  /** Fail the n-th matching request (1-based) from now on; 1 = the next one. */
  readonly nth?: number;
  /** How many consecutive matching requests fail, starting at the n-th (default 1). */
  readonly times?: number;
  /** Seconds for a `Retry-After` header (useful with 429 and 503). */
  readonly retryAfterSeconds?: number;
  /** Destroy the socket instead of answering: a network failure for the client. */
  readonly dropConnection?: boolean;
}

/** What to do with one request. */
export type FaultDecision =
  | { readonly kind: 'pass' }
  | { readonly kind: 'fail'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'drop' };

interface ActiveRule {
  readonly rule: FailureRule;
  seen: number;
  remaining: number;
}

export class FhirFaults {
  #latencyMs = 0;
  #rules: ActiveRule[] = [];
  #unsupported = new Set<string>();

  /**
   * Resource types the server pretends not to offer, as a US Core 4+ server may for
   * MedicationStatement: every request on them answers 404 `not-supported`, and the
   * CapabilityStatement leaves them out.
   */
  get unsupportedTypes(): ReadonlySet<string> {
    return this.#unsupported;
  }

  setUnsupportedTypes(types: readonly string[]): void {
    for (const type of types) {
      if (!/^[A-Z][A-Za-z]+$/.test(type)) {
        throw new RangeError(`not a resource type: "${type}"`);
      }
    }
    this.#unsupported = new Set(types);
  }

  /** Milliseconds added before every FHIR response (and, in server.ts, every /auth/ response). */
  get latencyMs(): number {
    return this.#latencyMs;
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`latency must be a non-negative number of milliseconds, got ${ms}`);
    }
    this.#latencyMs = ms;
  }

  /** Adds a failure rule (rules are independent; the first that fires wins). */
  failNext(rule: FailureRule): void {
    const nth = rule.nth ?? 1;
    const times = rule.times ?? 1;
    if (!Number.isInteger(nth) || nth < 1 || !Number.isInteger(times) || times < 1) {
      throw new RangeError('nth and times must be positive integers');
    }
    if (
      !rule.dropConnection &&
      (!Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599)
    ) {
      throw new RangeError(`a failure status must be 400–599, got ${rule.status}`);
    }
    this.#rules.push({ rule: { ...rule, nth }, seen: 0, remaining: times });
  }

  /** Drops the connection of the next matching request(s). */
  dropNext(rule: Omit<FailureRule, 'status' | 'dropConnection'> = {}): void {
    this.failNext({ ...rule, status: 0, dropConnection: true });
  }

  /** No latency, no rules, every type offered. */
  reset(): void {
    this.#latencyMs = 0;
    this.#rules = [];
    this.#unsupported = new Set();
  }

  /** Counts the request against every rule and says whether it should fail. */
  decide(method: string, pathAndQuery: string): FaultDecision {
    const line = `${method.toUpperCase()} ${pathAndQuery}`;
    let decision: FaultDecision = { kind: 'pass' };
    for (const active of this.#rules) {
      const { rule } = active;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) {
        continue;
      }
      if (rule.match && !rule.match.test(line)) {
        continue;
      }
      active.seen += 1;
      if (decision.kind === 'pass' && active.seen >= (rule.nth ?? 1) && active.remaining > 0) {
        active.remaining -= 1;
        decision = rule.dropConnection
          ? { kind: 'drop' }
          : {
              kind: 'fail',
              status: rule.status,
              ...(rule.retryAfterSeconds === undefined
                ? {}
                : { retryAfterSeconds: rule.retryAfterSeconds }),
            };
      }
    }
    this.#rules = this.#rules.filter((a) => a.remaining > 0);
    return decision;
  }
}

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  }
  return n;
}

/**
 * Builds the faults from `SANDBOX_LATENCY_MS`, `SANDBOX_FAIL_NTH` (fail the n-th FHIR request),
 * `SANDBOX_FAIL_STATUS` (default 500; `0` drops the connection), `SANDBOX_FAIL_MATCH` (a regex
 * tested against "METHOD /fhir/path?query"), `SANDBOX_FAIL_RETRY_AFTER` (seconds) and
 * `SANDBOX_UNSUPPORTED_TYPES` (comma list of resource types answered with 404).
 * Throws on malformed values: a fault silently not injected would make a test pass for nothing.
 */
export function faultsFromEnv(env: NodeJS.ProcessEnv): FhirFaults {
  const faults = new FhirFaults();
  faults.setUnsupportedTypes(
    (env.SANDBOX_UNSUPPORTED_TYPES ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  );
  const latency = positiveInteger('SANDBOX_LATENCY_MS', env.SANDBOX_LATENCY_MS);
  if (latency !== undefined) {
    faults.setLatency(latency);
  }
  const nth = positiveInteger('SANDBOX_FAIL_NTH', env.SANDBOX_FAIL_NTH);
  if (nth !== undefined && nth > 0) {
    const status = positiveInteger('SANDBOX_FAIL_STATUS', env.SANDBOX_FAIL_STATUS) ?? 500;
    const retryAfterSeconds = positiveInteger(
      'SANDBOX_FAIL_RETRY_AFTER',
      env.SANDBOX_FAIL_RETRY_AFTER,
    );
    const match = env.SANDBOX_FAIL_MATCH ? new RegExp(env.SANDBOX_FAIL_MATCH) : undefined;
    faults.failNext({
      status,
      nth,
      ...(status === 0 ? { dropConnection: true } : {}),
      ...(match ? { match } : {}),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  return faults;
}
