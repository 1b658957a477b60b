import { useState } from 'react';
import { TASK_STATUS_TEXT } from '../../domain/pathway/referral.ts';
import { nextStep, normalizeError, type FhirError } from '../../fhir/errors.ts';
import { cancelReferral } from '../../fhir/referralWrite.ts';
import type { Referral } from './referralData.ts';
import { referralsOf } from './referralData.ts';
import { loaded, type SectionProps } from './sectionProps.ts';

const FOLLOW_UP_TEXT = {
  done: 'Done',
  due: 'Due',
  overdue: 'Overdue',
  upcoming: 'Upcoming',
} as const;

function CancelReferral({ referral, props }: { referral: Referral; props: SectionProps }) {
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FhirError | undefined>();
  if (!open) {
    return (
      <button
        type="button"
        className="secondary"
        onClick={() => {
          setOpen(true);
        }}
      >
        Cancel this referral
      </button>
    );
  }
  return (
    <form
      aria-label="Cancel the referral"
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        cancelReferral(
          props.session.transport,
          referral.request,
          referral.task,
          reason.trim(),
          new Date().toISOString(),
        ).then(
          () => {
            setBusy(false);
            props.reload(['referrals']);
          },
          (e: unknown) => {
            setBusy(false);
            setError(normalizeError(e));
          },
        );
      }}
    >
      <label htmlFor="cancel-reason">Reason for cancelling (required)</label>
      <input
        id="cancel-reason"
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
        }}
      />
      <button type="submit" disabled={busy || reason.trim() === ''}>
        {busy ? 'Cancelling…' : 'Confirm cancellation'}
      </button>
      {error && (
        <p role="alert" className="request-error">
          {error.message} {nextStep(error.kind)}
        </p>
      )}
    </form>
  );
}

export function ReferralSection(props: SectionProps & { readonly onRecordPeg: () => void }) {
  const { state, missingWrite, onRecordPeg, followUp } = props;
  const referrals = loaded(state, 'referrals');
  const all = referrals ? referralsOf(referrals) : [];
  if (all.length === 0) {
    return <p className="empty">No referral to the mindfulness group-visit programme on record.</p>;
  }
  const standing = followUp.referral;
  return (
    <>
      <ul className="referrals">
        {all.map(({ request, task }) => (
          <li
            key={request.id}
            data-referral-status={task?.status ?? 'none'}
            data-request-status={request.status}
          >
            <strong>
              {TASK_STATUS_TEXT[task?.status ?? ''] ??
                (task ? task.status : 'Not yet seen by the programme')}
            </strong>
            <span> · {request.code?.text ?? 'Referral'}</span>
            <span> · referred {request.authoredOn?.slice(0, 10) ?? 'on an unknown date'}</span>
            {request.occurrencePeriod?.start !== undefined && (
              <span> · programme start {request.occurrencePeriod.start.slice(0, 10)}</span>
            )}
            {request.status === 'revoked' && <span> · revoked</span>}
          </li>
        ))}
      </ul>
      {standing && followUp.schedule?.kind === 'schedule' && (
        <table data-testid="follow-up">
          <caption>Follow-up PEG (baseline {followUp.schedule.baselineDate})</caption>
          <thead>
            <tr>
              <th scope="col">Time point</th>
              <th scope="col">Due</th>
              <th scope="col">Window</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {followUp.schedule.points.map((p) => (
              <tr key={p.id} data-follow-up={p.id} data-status={p.status}>
                <td>{p.label}</td>
                <td>{p.dueDate}</td>
                <td>
                  {p.window.start} – {p.window.end}
                </td>
                <td>
                  {FOLLOW_UP_TEXT[p.status]}
                  {p.administration &&
                    ` (PEG ${p.administration.score.toFixed(2)} on ${p.administration.date.slice(0, 10)})`}
                  {(p.status === 'due' || p.status === 'overdue') && missingWrite.length === 0 && (
                    <>
                      {' '}
                      <button type="button" onClick={onRecordPeg}>
                        Record the {p.label.toLowerCase()} PEG
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {standing && followUp.baselineWaits && (
        <p className={followUp.olderPegs?.loading === true ? 'loading' : 'notice'}>
          Follow-up PEG: the baseline (the last PEG on or before the referral) is among the older
          PEGs {followUp.olderPegs?.loading === true ? 'still loading' : 'that could not be loaded'}
          .
        </p>
      )}
      {standing && !followUp.baselineWaits && followUp.schedule === undefined && (
        <p>No baseline PEG on or before the referral date.</p>
      )}
      {followUp.active && missingWrite.length === 0 && (
        <CancelReferral referral={followUp.active} props={props} />
      )}
    </>
  );
}
