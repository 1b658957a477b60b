import type { EligibilityResult, Finding } from '../../domain/screening/eligibility.ts';
import { evidenceText } from './evidenceText.ts';

const STATUS_TEXT: Record<Finding['status'], string> = {
  met: 'Met',
  'not-met': 'Not met',
  evaluate: 'Evaluate',
  unknown: 'Unknown',
};

/** The urgent banner of a verdict: what the red flag requires, in words a clinician acts on. */
export function UrgentVerdict({ result }: { result: EligibilityResult }) {
  switch (result.urgency) {
    case 'emergency':
      return (
        <p role="alert" className="urgent" data-testid="urgent">
          Emergency: a cauda equina sign is on record. Arrange same-day emergency evaluation; do not
          refer to the group programme.
        </p>
      );
    case 'urgent':
      return (
        <p role="alert" className="urgent" data-testid="urgent">
          Urgent: a progressive neurological deficit is on record. Urgent clinician evaluation; do
          not refer to the group programme before it.
        </p>
      );
    case 'evaluate':
    case null:
      return null;
  }
}

/** Every criterion's finding with the records it rests on. */
export function EligibilityFindings({ findings }: { findings: readonly Finding[] }) {
  return (
    <ul className="findings" aria-label="Eligibility criteria">
      {findings.map((f, i) => (
        <li
          key={`${f.criterion}-${f.redFlag ?? ''}-${i}`}
          data-criterion={f.criterion}
          data-status={f.status}
          data-red-flag={f.redFlag}
        >
          <span className={`status status-${f.status}`}>{STATUS_TEXT[f.status]}</span> {f.message}
          {f.evidence.length > 0 && (
            <ul className="evidence">
              {f.evidence.map((e, j) => (
                <li key={j}>{evidenceText(e)}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
