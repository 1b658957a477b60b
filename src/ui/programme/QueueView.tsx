import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { QueueEntry } from '../../domain/pathway/queue.ts';
import type { ReferralDecision } from '../../domain/pathway/referralDecision.ts';
import { nextStep } from '../../fhir/errors.ts';
import type { DecisionResult, QueueFilter } from '../../fhir/programmeQueue.ts';
import type { StaffSession } from '../../fhir/session.ts';
import { QueueEntryCard } from './QueueEntryCard.tsx';
import { RequestError } from './RequestError.tsx';
import { usePatientPathways } from './usePatientPathways.ts';
import { useReferralQueue } from './useReferralQueue.ts';

const FILTERS: readonly { readonly value: QueueFilter; readonly label: string }[] = [
  { value: 'awaiting', label: 'Awaiting a decision' },
  { value: 'accepted', label: 'Accepted' },
  { value: 'declined', label: 'Declined' },
  { value: 'all', label: 'All referrals' },
];

export interface StaffViewProps {
  readonly session: StaffSession;
  /** `Organization/<id>` of the programme (config.json). */
  readonly programme: string;
  /** The day the workspace was opened (one "today" for every view). */
  readonly asOf: Date;
}

/** The referral queue, newest first, with accept and decline. */
export function QueueView({ session, programme, asOf }: StaffViewProps) {
  const { filter, changeFilter, state, reload, loadMore } = useReferralQueue(
    session.transport,
    programme,
  );
  const patientIds = useMemo(
    () =>
      state.status === 'ok'
        ? state.entries.flatMap((e) =>
            e.patientReference?.startsWith('Patient/') === true
              ? [e.patientReference.slice('Patient/'.length)]
              : [],
          )
        : [],
    [state],
  );
  const patients = usePatientPathways(session, patientIds, asOf);
  const pathwayPending =
    patients.error === undefined
      ? 'Reading the charts…'
      : `Could not be read: ${patients.error.message}`;
  const [announcement, setAnnouncement] = useState({ text: '', n: 0 });
  const announcementRef = useRef<HTMLParagraphElement>(null);

  // The decided row leaves the "awaiting" list: keyboard focus goes to the confirmation, not to the
  // top of the page. A layout effect, so focus moves in the same commit that shows the confirmation
  // (an effect runs a frame later under Preact, and a keyboard user could press a key meanwhile).
  useLayoutEffect(() => {
    if (announcement.n > 0) {
      announcementRef.current?.focus();
    }
  }, [announcement]);

  const onDecided = useCallback(
    (entry: QueueEntry, decision: ReferralDecision, result: DecisionResult) => {
      const done = decision.kind === 'accept' ? 'accepted' : 'declined';
      setAnnouncement((a) => ({
        text: `The referral of ${entry.patientName} was ${done}${result.outcome === 'already' ? ' (it already was)' : ''}.`,
        n: a.n + 1,
      }));
      reload();
    },
    [reload],
  );

  return (
    <div className="queue-view" aria-busy={state.status === 'loading'}>
      <p className="muted">
        Referrals sent to the programme, newest first. Accept a referral to offer the patient a
        cohort, or decline it with a reason the referring clinician will see.
      </p>
      <div className="queue-controls">
        <label htmlFor="queue-filter">Show</label>
        <select
          id="queue-filter"
          value={filter}
          onChange={(e) => {
            changeFilter(e.target.value as QueueFilter);
          }}
        >
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
        <button type="button" className="secondary" onClick={reload}>
          Refresh
        </button>
      </div>
      <p
        role="status"
        tabIndex={-1}
        ref={announcementRef}
        className="announcement"
        data-testid="queue-announcement"
      >
        {announcement.text}
      </p>
      {state.status === 'loading' && <p>Loading the referral queue…</p>}
      {state.status === 'error' && (
        <RequestError error={state.error} onRetry={reload} testId="queue-error" />
      )}
      {state.status === 'ok' && (
        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">
            {FILTERS.find((f) => f.value === filter)?.label} ({state.entries.length}
            {state.next === undefined ? '' : ' shown, more below'})
          </h2>
          {state.malformed > 0 && (
            <p className="request-error">
              {state.malformed} referral record(s) from the EHR could not be read and are not shown.
            </p>
          )}
          {state.entries.length === 0 ? (
            <p className="empty">No referrals here.</p>
          ) : (
            <ul className="queue" data-testid="referral-queue">
              {state.entries.map((entry) => (
                <QueueEntryCard
                  key={entry.task.id}
                  entry={entry}
                  transport={session.transport}
                  onDecided={onDecided}
                  pathway={
                    entry.patientReference === undefined
                      ? undefined
                      : patients.pathways.get(entry.patientReference.replace(/^Patient\//, ''))
                  }
                  pathwayPending={pathwayPending}
                />
              ))}
            </ul>
          )}
          {state.next !== undefined && (
            <button type="button" onClick={loadMore} disabled={state.more === 'loading'}>
              {state.more === 'loading' ? 'Loading older referrals…' : 'Show older referrals'}
            </button>
          )}
          {typeof state.more === 'object' && (
            <p role="alert" className="request-error">
              {state.more.message} {nextStep(state.more.kind)}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
