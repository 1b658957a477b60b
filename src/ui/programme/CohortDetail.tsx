import { useCallback, useMemo, useState } from 'react';
import { formatISO } from 'date-fns/formatISO';
import { cohortStage, type Cohort } from '../../domain/pathway/cohort.ts';
import { localDayOf } from '../../domain/fhir-primitives/dates.ts';
import type { QueueEntry } from '../../domain/pathway/queue.ts';
import { statusLine } from '../../domain/pathway/status.ts';
import { addToCohort, completeCohort } from '../../fhir/cohortWrite.ts';
import { normalizeError, type FhirError } from '../../fhir/errors.ts';
import { loadQueuePage, queueSearch } from '../../fhir/programmeQueue.ts';
import { AttendanceGrid } from './AttendanceGrid.tsx';
import { RequestError } from './RequestError.tsx';
import type { StaffViewProps } from './QueueView.tsx';
import { useLoad } from './useLoad.ts';
import { usePatientPathways } from './usePatientPathways.ts';

interface CohortDetailProps extends StaffViewProps {
  readonly cohort: Cohort;
  /** 'Patient/<id>' of everyone in any cohort (not offered again). */
  readonly inAnyCohort: ReadonlySet<string>;
  readonly onChanged: () => void;
}

type Action =
  | { readonly status: 'idle' | 'saving' }
  | { readonly status: 'failed'; readonly error: FhirError; readonly retry: () => void };

const idOf = (reference: string) => reference.replace(/^Patient\//, '');

/**
 * One staff write on the cohort at a time: saving, or failed with a retry that sends the same
 * write again (each cohort write converges, so a retry never doubles it).
 */
function useCohortWrite(onWritten: (success: string) => void) {
  const [action, setAction] = useState<Action>({ status: 'idle' });
  const run = useCallback(
    (write: () => Promise<unknown>, success: string) => {
      const attempt = () => {
        setAction({ status: 'saving' });
        write().then(
          () => {
            setAction({ status: 'idle' });
            onWritten(success);
          },
          (error: unknown) => {
            setAction({ status: 'failed', error: normalizeError(error), retry: attempt });
          },
        );
      };
      attempt();
    },
    [onWritten],
  );
  return { action, run };
}

/** Choosing an accepted patient who is in no cohort yet, and adding them. */
function AddMemberForm(props: {
  readonly formId: string;
  readonly candidates: readonly QueueEntry[];
  readonly saving: boolean;
  readonly onAdd: (entry: QueueEntry, patient: string) => void;
}) {
  const { formId, candidates } = props;
  const [chosen, setChosen] = useState('');
  return (
    <form
      className="add-member"
      onSubmit={(event) => {
        event.preventDefault();
        const entry = candidates.find((c) => c.patientReference === chosen);
        if (entry?.patientReference === undefined) {
          return;
        }
        props.onAdd(entry, entry.patientReference);
        setChosen('');
      }}
    >
      <label htmlFor={formId}>Add an accepted patient</label>
      <select
        id={formId}
        value={chosen}
        onChange={(e) => {
          setChosen(e.target.value);
        }}
      >
        <option value="">
          {candidates.length === 0 ? 'No accepted patient waiting' : 'Choose a patient'}
        </option>
        {candidates.map((c) => (
          <option key={c.task.id} value={c.patientReference}>
            {c.patientName} (referred {c.referredOn ?? '?'}
            {c.preferredStart === undefined ? '' : `, prefers ${c.preferredStart}`})
          </option>
        ))}
      </select>
      <button type="submit" disabled={chosen === '' || props.saving}>
        Add to cohort
      </button>
    </form>
  );
}

/** One cohort: its members with their pathway, attendance per session, adding and completing. */
export function CohortDetail(props: CohortDetailProps) {
  const { session, programme, asOf, cohort, inAnyCohort, onChanged } = props;
  const today = localDayOf(asOf);
  const [generation, setGeneration] = useState(0);
  const memberIds = useMemo(() => cohort.members.map(idOf), [cohort.members]);
  const members = usePatientPathways(session, memberIds, asOf, generation);
  // The accepted referrals waiting for a cohort, read again after each write here: none while
  // they load or when they cannot be read ("No accepted patient waiting").
  const loadAccepted = useCallback(
    (signal: AbortSignal) =>
      loadQueuePage(session.transport, queueSearch(programme, 'accepted'), signal),
    [session, programme],
  );
  const { state: acceptedLoad, reload: reloadAccepted } = useLoad(loadAccepted);
  const accepted: readonly QueueEntry[] =
    acceptedLoad.status === 'ok' ? acceptedLoad.value.entries : [];
  const [done, setDone] = useState('');

  // After each write here: say what was done, and read the members and the accepted list again.
  const changed = useCallback(
    (announcement: string) => {
      setDone(announcement);
      setGeneration((g) => g + 1);
      reloadAccepted();
      onChanged();
    },
    [onChanged, reloadAccepted],
  );
  const { action, run } = useCohortWrite(changed);

  const candidates = accepted.filter(
    (e) => e.patientReference !== undefined && !inAnyCohort.has(e.patientReference),
  );
  const stage = cohortStage(cohort, today);
  const taskIds = [...members.pathways.values()].flatMap((p) =>
    p.referral?.task?.id === undefined ? [] : [p.referral.task.id],
  );
  const headingId = `cohort-${cohort.group.id}-heading`;
  return (
    <section aria-labelledby={headingId} className="cohort-detail" data-cohort={cohort.group.id}>
      <h2 id={headingId}>
        {cohort.name}: {cohort.start ?? '?'} to {cohort.end ?? '?'}
      </h2>
      <p role="status" className="announcement" data-testid="cohort-announcement">
        {done}
      </p>
      {members.error !== undefined && (
        <p role="alert" className="request-error">
          The members' charts could not be read: {members.error.message}
        </p>
      )}
      {cohort.members.length === 0 ? (
        <p className="empty">No patient in this cohort yet.</p>
      ) : (
        <AttendanceGrid
          cohort={cohort}
          today={today}
          transport={session.transport}
          programme={programme}
          pathways={members.pathways}
          charts={members.charts}
          onRecorded={changed}
          statusOf={(id) => {
            const pathway = members.pathways.get(id);
            return pathway === undefined ? 'Reading the chart…' : statusLine(pathway);
          }}
        />
      )}
      {stage !== 'completed' && (
        <AddMemberForm
          formId={`add-${cohort.group.id}`}
          candidates={candidates}
          saving={action.status === 'saving'}
          onAdd={(entry, patient) => {
            run(
              () =>
                addToCohort(session.transport, {
                  cohort,
                  patient,
                  taskId: entry.task.id,
                  day: today,
                  when: formatISO(new Date()),
                }),
              `${entry.patientName} was added to ${cohort.name}.`,
            );
          }}
        />
      )}
      {(stage === 'ended' || stage === 'running') && cohort.members.length > 0 && (
        <p>
          <button
            type="button"
            className="secondary"
            disabled={action.status === 'saving' || stage === 'running'}
            onClick={() => {
              run(
                () =>
                  completeCohort(session.transport, {
                    cohort,
                    taskIds,
                    when: formatISO(new Date()),
                  }),
                `${cohort.name} is completed: each referral is marked completed, or failed when no session was attended.`,
              );
            }}
          >
            Complete the programme
          </button>{' '}
          {stage === 'running' && (
            <span className="muted">after the last session ({cohort.end})</span>
          )}
        </p>
      )}
      {action.status === 'saving' && <p aria-live="polite">Saving…</p>}
      {action.status === 'failed' && (
        <RequestError error={action.error} onRetry={action.retry} testId="cohort-error" />
      )}
    </section>
  );
}
