import { useCallback, useState } from 'react';
import { cohortStage, type CohortStage } from '../../domain/pathway/cohort.ts';
import { localDayOf } from '../../domain/fhir-primitives/dates.ts';
import { createCohort } from '../../fhir/cohortWrite.ts';
import { loadCohorts } from '../../fhir/programmeCohorts.ts';
import { DraftStatus } from '../DraftStatus.tsx';
import type { SentDraft } from '../drafts.ts';
import { useDraftSave } from '../useDraftSave.ts';
import { CohortDetail } from './CohortDetail.tsx';
import { RequestError } from './RequestError.tsx';
import { useLoad } from './useLoad.ts';
import type { StaffViewProps } from './QueueView.tsx';

const STAGE_TEXT: Readonly<Record<CohortStage, string>> = {
  recruiting: 'Recruiting (before the first session)',
  running: 'Running',
  ended: 'Sessions over: complete the programme',
  completed: 'Completed',
};

const now = () => new Date();

/** The new-cohort form: name, first session day and time; 8 weekly sessions follow. */
function NewCohortForm({
  session,
  programme,
  onCreated,
}: StaffViewProps & { onCreated: (id: string) => void }) {
  const save = useCallback(
    async (draft: SentDraft) => {
      const { name = '', day = '', time = '18:00' } = draft.extra;
      const id = await createCohort(session.transport, {
        submissionId: draft.submissionId,
        name,
        firstSession: new Date(`${day}T${time}`).toISOString(),
        programme,
        staff: session.fhirUser,
      });
      onCreated(id);
      return id;
    },
    [session, programme, onCreated],
  );
  const form = useDraftSave('programme-new-cohort', 'programme', save, now);
  const { name = '', day = '', time = '18:00' } = form.draft.extra;
  return (
    <form
      className="new-cohort"
      aria-labelledby="new-cohort-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void form.submit();
      }}
    >
      <h2 id="new-cohort-heading">New cohort</h2>
      <p className="muted">8 weekly telehealth sessions of 90 minutes from the first session.</p>
      <label htmlFor="cohort-name">Name</label>
      <input
        id="cohort-name"
        required
        disabled={form.locked}
        value={name}
        onChange={(e) => {
          form.setExtra('name', e.target.value);
        }}
      />
      <label htmlFor="cohort-day">First session (day)</label>
      <input
        id="cohort-day"
        type="date"
        required
        disabled={form.locked}
        value={day}
        onChange={(e) => {
          form.setExtra('day', e.target.value);
        }}
      />
      <label htmlFor="cohort-time">Time</label>
      <input
        id="cohort-time"
        type="time"
        required
        disabled={form.locked}
        value={time}
        onChange={(e) => {
          form.setExtra('time', e.target.value);
        }}
      />
      <button
        type="submit"
        disabled={form.state.status === 'saving' || name.trim() === '' || day === ''}
      >
        {form.state.status === 'saving'
          ? 'Creating…'
          : form.locked
            ? 'Retry creating'
            : 'Create cohort'}
      </button>
      <DraftStatus
        state={form.state}
        locked={form.locked}
        onDiscard={form.discard}
        what="The cohort's details"
        testId="new-cohort-error"
      />
    </form>
  );
}

/** The programme's cohorts: each with its stage and members; one opened in detail. */
export function CohortsView(props: StaffViewProps) {
  const { session, programme, asOf } = props;
  const { state, reload } = useLoad(
    useCallback(
      (signal: AbortSignal) => loadCohorts(session.transport, programme, signal),
      [session, programme],
    ),
  );
  const [open, setOpen] = useState<string | undefined>(undefined);
  const today = localDayOf(asOf);

  const onCreated = useCallback(
    (id: string) => {
      setOpen(id);
      reload();
    },
    [reload],
  );

  if (state.status === 'loading') {
    return <p aria-busy="true">Loading the cohorts…</p>;
  }
  if (state.status === 'error') {
    return <RequestError error={state.error} onRetry={reload} testId="cohorts-error" />;
  }
  const opened = state.value.find((c) => c.group.id === open);
  const members = new Set(state.value.flatMap((c) => c.members));
  return (
    <div className="cohorts-view" aria-busy="false">
      <section aria-labelledby="cohorts-heading">
        <h2 id="cohorts-heading">Cohorts ({state.value.length})</h2>
        {state.value.length === 0 ? (
          <p className="empty">No cohort yet.</p>
        ) : (
          <ul className="cohort-list" data-testid="cohort-list">
            {state.value.map((c) => (
              <li key={c.group.id} data-cohort={c.group.id} data-stage={cohortStage(c, today)}>
                <button
                  type="button"
                  className="secondary"
                  aria-expanded={c.group.id === open}
                  onClick={() => {
                    setOpen(c.group.id === open ? undefined : c.group.id);
                  }}
                >
                  {c.name}
                </button>{' '}
                <span>
                  {c.start ?? '?'} to {c.end ?? '?'} · {c.members.length} patient
                  {c.members.length === 1 ? '' : 's'} · {STAGE_TEXT[cohortStage(c, today)]}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {opened !== undefined && (
        <CohortDetail {...props} cohort={opened} inAnyCohort={members} onChanged={reload} />
      )}
      <NewCohortForm {...props} onCreated={onCreated} />
    </div>
  );
}
