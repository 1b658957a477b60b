import type { Pathway } from '../../domain/pathway/evaluate.ts';
import { glance, type GlanceCell } from '../../domain/pathway/glance.ts';
import type { QueueEntry } from '../../domain/pathway/queue.ts';
import type { FhirTransport } from '../../fhir/transport.ts';
import { DecisionControls } from './DecisionControls.tsx';

interface QueueEntryCardProps {
  readonly entry: QueueEntry;
  readonly transport: FhirTransport;
  readonly onDecided: Parameters<typeof DecisionControls>[0]['onDecided'];
  /** The patient's pathway (latest PEG, MME/day), once their page's charts are read. */
  readonly pathway: Pathway | undefined;
  /** Why the pathway is not there: still loading, or the searches' failure. */
  readonly pathwayPending: string;
}

/** A glance cell of the clinician's first screen, as one fact of the row. */
function GlanceFact({ label, cell, testId }: { label: string; cell: GlanceCell; testId: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {cell.value}
        <span className="muted"> · {cell.detail}</span>
        {cell.flag !== undefined && <strong className="flag"> {cell.flag}</strong>}
      </dd>
    </div>
  );
}

/** One referral: who, from whom, when, the clinician's note and preferred start, and the answer. */
export function QueueEntryCard(props: QueueEntryCardProps) {
  const { entry, transport, onDecided, pathway, pathwayPending } = props;
  const headingId = `referral-${entry.task.id}-name`;
  const cells = pathway === undefined ? undefined : glance(pathway);
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
        {cells === undefined ? (
          <div>
            <dt>Latest PEG, MME/day</dt>
            <dd className="muted">{pathwayPending}</dd>
          </div>
        ) : (
          <>
            <GlanceFact label="Latest PEG" cell={cells.peg} testId="queue-peg" />
            <GlanceFact label="Opioids" cell={cells.mme} testId="queue-mme" />
          </>
        )}
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
