import type { Task } from 'fhir/r4';
import { referralsOf } from './referralData.ts';
import { loaded, type SectionProps } from './sectionProps.ts';

const TASK_STATUS_LABEL: Partial<Record<Task['status'], string>> = {
  requested: 'Requested',
  received: 'Received by the programme',
  accepted: 'Accepted',
  rejected: 'Declined',
  cancelled: 'Cancelled',
  'in-progress': 'In progress',
  completed: 'Completed',
  'on-hold': 'On hold',
  failed: 'Failed',
};

export function ReferralSection({ state }: SectionProps) {
  const referrals = loaded(state, 'referrals');
  if (!referrals || referrals.matches.length === 0) {
    return <p className="empty">No referral to the mindfulness group-visit programme on record.</p>;
  }
  return (
    <ul className="referrals">
      {referralsOf(referrals).map(({ request: sr, task }) => {
        const status = task ? (TASK_STATUS_LABEL[task.status] ?? task.status) : 'No task from the programme yet';
        return (
          <li key={sr.id} data-referral-status={task?.status ?? 'none'}>
            <strong>{sr.code?.text ?? 'Referral'}</strong>
            <span> · referred {sr.authoredOn?.slice(0, 10) ?? 'on an unknown date'}</span>
            <span> · {status}</span>
            {sr.occurrencePeriod?.start !== undefined && (
              <span> · programme start {sr.occurrencePeriod.start.slice(0, 10)}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
