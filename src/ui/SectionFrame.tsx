import type { ReactNode } from 'react';
import { nextStep, type FhirError } from '../fhir/errors.ts';
import { SUMMARY_REQUESTS, type SummaryKey } from '../fhir/summary.ts';
import { incompleteOf, olderLoading, type RequestState, type SummaryState } from './useSummary.ts';

interface SectionFrameProps {
  readonly id: string;
  readonly title: string;
  readonly state: SummaryState;
  /** Requests the section cannot be right without: failed or not granted, the section says so. */
  readonly needs: readonly SummaryKey[];
  /** Requests that complete the section: failed or not granted, it shows what it has, with a warning. */
  readonly uses?: readonly SummaryKey[];
  /**
   * Alternative sources (e.g. MedicationStatement and MedicationRequest): the section works from
   * whichever the EHR grants and offers, and says which it read; off only when none is available.
   * A failed one (not a refused or unoffered one) is an error, as for `needs`.
   */
  readonly needsOneOf?: readonly SummaryKey[];
  /**
   * Requests the section needs whole, older records included (a total over every record): the
   * section waits while they are read, and blanks with a retry when reading them failed.
   */
  readonly whole?: readonly SummaryKey[];
  readonly retry: (key: SummaryKey) => void;
  readonly children: () => ReactNode;
}

/** The scope a request needs, spelled as the app asks for it. */
export function readScopeOf(key: SummaryKey): string {
  return `patient/${SUMMARY_REQUESTS[key].resourceType}.${key === 'patient' ? 'r' : 'rs'}`;
}

/** A failed request's error, or the error that stopped reading its older records. */
function errorOf(entry: RequestState<unknown>): FhirError | undefined {
  return entry.status === 'error' ? entry.error : incompleteOf(entry)?.error;
}

function Failures(props: {
  keys: readonly SummaryKey[];
  state: SummaryState;
  retry: (key: SummaryKey) => void;
  lead?: string;
  /** Where keyboard focus goes when the Retry button disappears. */
  focusAfter: string;
}) {
  const errors = props.keys.flatMap((k) => {
    const e = errorOf(props.state[k]);
    return e ? [e] : [];
  });
  const steps = [...new Set(errors.map((e) => nextStep(e.kind)))];
  return (
    <div role="alert" className="request-error">
      {props.lead !== undefined && <p>{props.lead}</p>}
      <ul>
        {errors.map((e) => (
          <li key={e.request ?? e.message}>{e.message}</li>
        ))}
      </ul>
      {steps.map((step) => (
        <p key={step}>{step}</p>
      ))}
      <button
        type="button"
        onClick={() => {
          props.keys.forEach(props.retry);
          document.getElementById(props.focusAfter)?.focus();
        }}
      >
        Retry{' '}
        {errors.length === 1
          ? (errors[0]?.request ?? 'the request')
          : `the ${errors.length} failed requests`}
      </button>
    </div>
  );
}

/** Why a request was not read, or undefined when it was (or is still loading or failed). */
function unavailableReason(key: SummaryKey, state: SummaryState): string | undefined {
  const entry = state[key];
  switch (entry.status) {
    case 'off':
      return `the EHR did not grant ${readScopeOf(key)}`;
    case 'unsupported':
      return `the EHR does not offer ${SUMMARY_REQUESTS[key].resourceType} (HTTP ${entry.error.status ?? '?'})`;
    case 'loading':
    case 'refreshing':
    case 'ok':
    case 'error':
      return undefined;
  }
}

/** Which of the alternative sources were read, and why the others were not. */
function Sources({ keys, state }: { keys: readonly SummaryKey[]; state: SummaryState }) {
  const type = (k: SummaryKey) => SUMMARY_REQUESTS[k].resourceType;
  const read = keys.filter((k) => unavailableReason(k, state) === undefined);
  const missing = keys.flatMap((k) => {
    const why = unavailableReason(k, state);
    return why === undefined ? [] : [`${type(k)}s were not available: ${why}`];
  });
  return (
    <p className={missing.length > 0 ? 'notice' : 'sources'} data-testid="read-sources">
      Read from {read.map((k) => `${type(k)}s`).join(' and ')}.
      {missing.length > 0 &&
        ` ${missing.join('; ')}. What this section shows comes from these alone.`}
    </p>
  );
}

/** Records the server sent that the app could not read, so their absence is never silent. */
function Unreadable({ keys, state }: { keys: readonly SummaryKey[]; state: SummaryState }) {
  const counts = keys.flatMap((k) => {
    const entry = state[k];
    const data = entry.status === 'ok' || entry.status === 'refreshing' ? entry.data : undefined;
    const malformed = data !== undefined && 'malformed' in data ? data.malformed : 0;
    return malformed > 0 ? [`${malformed} ${SUMMARY_REQUESTS[k].resourceType}`] : [];
  });
  return counts.length === 0 ? null : (
    <p className="notice" data-testid="unreadable">
      Skipped as unreadable (not valid FHIR for what the app needs): {counts.join(', ')} record(s).
      What this section shows may be incomplete.
    </p>
  );
}

/**
 * One summary section with its own loading, error and off states: a failed or refused request the
 * section needs blanks only this section, names the request and offers a retry; one it only uses
 * leaves the content in place under a warning. Nothing that was not read is shown as "none".
 */
export function SectionFrame(props: SectionFrameProps) {
  const { id, title, state, needs, retry } = props;
  const uses = props.uses ?? [];
  const oneOf = props.needsOneOf ?? [];
  const headingId = `${id}-heading`;
  const all = [...needs, ...oneOf, ...uses];
  const unavailable = (k: SummaryKey) => unavailableReason(k, state) !== undefined;
  const offNeeded = [
    ...needs.filter(unavailable),
    ...(oneOf.length > 0 && oneOf.every(unavailable) ? oneOf : []),
  ];
  const whole = props.whole ?? [];
  const olderFailed = (k: SummaryKey) => incompleteOf(state[k])?.error !== undefined;
  const failedNeeded = [
    ...[...needs, ...oneOf].filter((k) => state[k].status === 'error'),
    ...whole.filter(olderFailed),
  ];
  const offUsed = uses.filter(unavailable);
  // A request whose older records failed still shows its newest ones, under the error.
  const failedUsed = [
    ...uses.filter((k) => state[k].status === 'error'),
    ...[...needs, ...oneOf].filter((k) => olderFailed(k) && !whole.includes(k)),
  ];
  const loading =
    all.some((k) => state[k].status === 'loading') || whole.some((k) => olderLoading(state[k]));
  let body: ReactNode;
  let status: string;
  if (offNeeded.length > 0) {
    const scopes = offNeeded.filter((k) => state[k].status === 'off').map(readScopeOf);
    status = 'off';
    body = (
      <p className="notice">
        This section is off: {offNeeded.map((k) => unavailableReason(k, state)).join('; ')}.
        {scopes.length > 0 &&
          ` Ask your EHR administrator to grant ${scopes.length === 1 ? 'it' : 'them'} to CLBP Pathway.`}
      </p>
    );
  } else if (failedNeeded.length > 0) {
    status = 'error';
    body = <Failures keys={failedNeeded} state={state} retry={retry} focusAfter={headingId} />;
  } else if (loading) {
    status = 'loading';
    body = <p className="loading">Loading…</p>;
  } else {
    status = failedUsed.length > 0 || offUsed.length > 0 ? 'partial' : 'ready';
    body = (
      <>
        {failedUsed.length > 0 && (
          <Failures
            keys={failedUsed}
            state={state}
            retry={retry}
            focusAfter={headingId}
            lead="Some data could not be loaded, so this section may be incomplete:"
          />
        )}
        {offUsed.length > 0 && (
          <p className="notice">
            Not checked, so this section may be incomplete:{' '}
            {offUsed.map((k) => unavailableReason(k, state)).join('; ')}.
          </p>
        )}
        {oneOf.length > 0 && <Sources keys={oneOf} state={state} />}
        <Unreadable keys={all} state={state} />
        {props.children()}
      </>
    );
  }
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      data-status={status}
      aria-busy={status === 'loading'}
    >
      <h2 id={headingId} tabIndex={-1}>
        {title}
      </h2>
      {body}
    </section>
  );
}
