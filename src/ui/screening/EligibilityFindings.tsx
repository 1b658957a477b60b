import type { EligibilityResult, Finding } from '../../domain/screening/eligibility.ts';
import { evidenceRecords, evidenceText } from './evidenceText.ts';

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

/** Each finding's evidence in words, the same line once. */
function evidenceLines(f: Finding): string[] {
  return [...new Set(f.evidence.map(evidenceText))];
}

/**
 * Every criterion's finding with what it rests on, in words; the FHIR records they cite are
 * listed once each, behind a disclosure.
 */
export function EligibilityFindings({ findings }: { findings: readonly Finding[] }) {
  const records = [...new Set(findings.flatMap((f) => f.evidence.flatMap(evidenceRecords)))];
  return (
    <>
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
                {evidenceLines(f).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {records.length > 0 && (
        <details className="records" data-testid="records-used">
          <summary>Records these findings rest on ({records.length})</summary>
          <ul>
            {records.map((r) => (
              <li key={r}>
                <code>{r}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
