import type { Task } from 'fhir/r4';
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
  const tasks = [...referrals.included.values()].filter((r): r is Task & { id: string } => r.resourceType === 'Task');
  return (
    <ul className="referrals">
      {referrals.matches.map((sr) => {
        const task = tasks.find((t) => t.focus?.reference === `ServiceRequest/${sr.id}`);
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
