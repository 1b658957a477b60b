import { useState } from 'react';
import { isActiveReferral, TASK_STATUS_TEXT } from '../../domain/pathway/referral.ts';
import { PEG_REPORTER_TEXT } from '../../domain/peg/peg.ts';
import type { ProgrammeReferral } from '../../domain/pathway/referrals.ts';
import { nextStep, normalizeError, type FhirError } from '../../fhir/errors.ts';
import { cancelReferral } from '../../fhir/referralWrite.ts';
import type { NextAction } from '../../domain/pathway/state.ts';
import { olderMissing, type SectionProps } from './sectionProps.ts';

const FOLLOW_UP_TEXT = {
  done: 'Done',
  due: 'Due',
  overdue: 'Overdue',
  upcoming: 'Upcoming',
} as const;

function CancelReferral({ referral, props }: { referral: ProgrammeReferral; props: SectionProps }) {
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
          { ...referral.request, id: referral.request.id ?? '' },
          referral.task?.id === undefined ? undefined : { ...referral.task, id: referral.task.id },
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

export function ReferralSection(
  props: SectionProps & { readonly onAction: (action: NextAction) => void },
) {
  const { onAction, pathway } = props;
  const canWrite = !props.readOnly && props.missingWrite.length === 0;
  const all = pathway.referrals;
  if (all.length === 0) {
    return <p className="empty">No referral to the mindfulness group-visit programme on record.</p>;
  }
  const schedule = pathway.followUps;
  const open = all.find((r) => isActiveReferral(r.request, r.task));
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
            {/* The clinician's wish (occurrencePeriod), not the programme start the follow-ups
                count from (the first attended session, in the schedule's caption). */}
            {request.occurrencePeriod?.start !== undefined && (
              <span> · preferred start {request.occurrencePeriod.start.slice(0, 10)}</span>
            )}
            {request.status === 'revoked' && <span> · revoked</span>}
          </li>
        ))}
      </ul>
      {schedule !== undefined && (
        <table data-testid="follow-up">
          <caption>
            Follow-up PEG (
            {schedule.provisional ? 'provisional, from the referral' : 'from the programme start'}{' '}
            {schedule.anchor.day})
          </caption>
          <thead>
            <tr>
              <th scope="col">Time point</th>
              <th scope="col">Due</th>
              <th scope="col">Window</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {schedule.points.map((p) => (
              <tr key={p.id} data-follow-up={p.id} data-status={p.status}>
                <td>{p.label}</td>
                <td>{p.dueDate}</td>
                <td>
                  {p.window.start} – {p.window.end}
                </td>
                <td>
                  {FOLLOW_UP_TEXT[p.status]}
                  {p.administration &&
                    ` (PEG ${p.administration.score.toFixed(2)} on ${p.administration.date.slice(0, 10)}${
                      p.administration.reportedBy === undefined
                        ? ''
                        : `, ${PEG_REPORTER_TEXT[p.administration.reportedBy]}`
                    })`}
                  {(p.status === 'due' || p.status === 'overdue') && canWrite && (
                    <>
                      {' '}
                      <button
                        type="button"
                        onClick={() => {
                          onAction({ kind: 'record-follow-up-peg', point: p });
                        }}
                      >
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
      {pathway.peg.baselineWaits && (
        <p
          className={
            olderMissing([props.state.questionnaireResponses, props.state.pegObservations])
              ?.loading === true
              ? 'loading'
              : 'notice'
          }
          data-testid="follow-up-waits"
        >
          Follow-up PEG: the baseline (the PEG closest before the programme start) may be among the
          older PEGs not loaded yet.
        </p>
      )}
      {open !== undefined && canWrite && <CancelReferral referral={open} props={props} />}
    </>
  );
}
