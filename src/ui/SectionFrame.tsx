import type { ReactNode } from 'react';
import { nextStep } from '../fhir/errors.ts';
import type { SummaryKey } from '../fhir/summary.ts';
import type { SummaryState } from './useSummary.ts';

interface SectionFrameProps {
  readonly id: string;
  readonly title: string;
  readonly state: SummaryState;
  /** The requests whose data this section shows. */
  readonly needs: readonly SummaryKey[];
  readonly retry: (key: SummaryKey) => void;
  /** Scopes the grant lacks for this section, when it is off. */
  readonly missingScopes: readonly string[];
  readonly children: () => ReactNode;
}

/**
 * One summary section with its own loading, error and off states: a failed request blanks only the
 * sections that need it, names the request and offers a retry.
 */
export function SectionFrame(props: SectionFrameProps) {
  const { id, title, state, needs, retry, missingScopes } = props;
  const headingId = `${id}-heading`;
  const failed = needs.filter((k) => state[k].status === 'error');
  const loading = needs.some((k) => state[k].status === 'loading');
  let body: ReactNode;
  let status: string;
  if (missingScopes.length > 0) {
    status = 'off';
    body = (
      <p className="notice">
        This section is off: the EHR did not grant {missingScopes.join(', ')}. Ask your EHR
        administrator to grant {missingScopes.length === 1 ? 'it' : 'them'} to CLBP Pathway.
      </p>
    );
  } else if (failed.length > 0) {
    status = 'error';
    const errors = failed.flatMap((key) => {
      const entry = state[key];
      return entry.status === 'error' ? [entry.error] : [];
    });
    const steps = [...new Set(errors.map((e) => nextStep(e.kind)))];
    body = (
      <div role="alert" className="request-error">
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
            failed.forEach(retry);
          }}
        >
          Retry{' '}
          {errors.length === 1
            ? (errors[0]?.request ?? 'the request')
            : `the ${errors.length} failed requests`}
        </button>
      </div>
    );
  } else if (loading) {
    status = 'loading';
    body = <p className="loading">Loading…</p>;
  } else {
    status = 'ready';
    body = props.children();
  }
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      data-status={status}
      aria-busy={status === 'loading'}
    >
      <h2 id={headingId}>{title}</h2>
      {body}
    </section>
  );
}
