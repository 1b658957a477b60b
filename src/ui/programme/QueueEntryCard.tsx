import type { QueueEntry } from '../../domain/pathway/queue.ts';
import type { FhirTransport } from '../../fhir/transport.ts';
import { DecisionControls } from './DecisionControls.tsx';

interface QueueEntryCardProps {
  readonly entry: QueueEntry;
  readonly transport: FhirTransport;
  readonly onDecided: Parameters<typeof DecisionControls>[0]['onDecided'];
}

/** One referral: who, from whom, when, the clinician's note and preferred start, and the answer. */
export function QueueEntryCard({ entry, transport, onDecided }: QueueEntryCardProps) {
  const headingId = `referral-${entry.task.id}-name`;
  return (
    <li
      className="queue-entry"
      aria-labelledby={headingId}
      data-task={entry.task.id}
      data-patient={entry.patientReference ?? ''}
      data-status={entry.task.status}
    >
      <h3 id={headingId}>
        {entry.patientName}
        {entry.birthDate !== undefined && <span className="muted"> · born {entry.birthDate}</span>}
      </h3>
      <dl className="queue-facts">
        <div>
          <dt>Referred</dt>
          <dd>{entry.referredOn ?? 'Date not recorded'}</dd>
        </div>
        <div>
          <dt>By</dt>
          <dd>{entry.referrer}</dd>
        </div>
        <div>
          <dt>Preferred start</dt>
          <dd>{entry.preferredStart ?? 'None given'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="queue-status">
            {entry.statusText}
            {entry.businessStatus !== undefined &&
              entry.businessStatus !== entry.statusText &&
              ` — ${entry.businessStatus}`}
            {entry.reason !== undefined && `: ${entry.reason}`}
          </dd>
        </div>
      </dl>
      <div className="queue-note">
        <span className="muted">Clinician's note: </span>
        {entry.note === undefined ? (
          <span className="muted">none</span>
        ) : (
          <q data-testid="queue-note">{entry.note}</q>
        )}
      </div>
      {entry.decidable && (
        <DecisionControls entry={entry} transport={transport} onDecided={onDecided} />
      )}
    </li>
  );
}
