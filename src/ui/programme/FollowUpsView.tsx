import { useCallback, useMemo, useRef, useState } from 'react';
import { formatISO } from 'date-fns/formatISO';
import { localDayOf } from '../../domain/fhir-primitives/dates.ts';
import { humanNameText } from '../../domain/fhir-primitives/names.ts';
import {
  FOLLOW_UP_LIST_GRACE_DAYS,
  followUpRows,
  followUpStartRange,
  sortFollowUpRows,
  type FollowUpRow,
} from '../../domain/pathway/followUpList.ts';
import type { PegRequest } from '../../domain/pathway/pegRequest.ts';
import { nextStep, normalizeError, type FhirError } from '../../fhir/errors.ts';
import {
  closePegRequest,
  followedPatients,
  loadPegRequests,
  requestPeg,
} from '../../fhir/followUpWrite.ts';
import { PEG_REPORTER_TEXT } from '../../domain/peg/peg.ts';
import { PegForm, type SavedPegScore } from '../peg/PegForm.tsx';
import type { StaffViewProps } from './QueueView.tsx';
import { RequestError } from './RequestError.tsx';
import { usePatientPathways } from './usePatientPathways.ts';
import { useLoad } from './useLoad.ts';

/** Patients whose charts are read at a time (one chart batch). */
const PAGE = 100;

const STATUS_TEXT = { due: 'Due', overdue: 'Overdue', done: 'Done', upcoming: 'Upcoming' } as const;

const rowKey = (row: FollowUpRow) => `${row.patient}|${row.point.id}`;

const NO_REQUESTS: readonly PegRequest[] = [];

/**
 * Asking patients for a follow-up PEG, row by row: a row's submission id is kept until its request
 * is written, so a retry after a failure or a lost answer creates one request; each row's state.
 */
function useAskPeg(
  session: StaffViewProps['session'],
  programme: string,
  onAsked: (announcement: string) => void,
) {
  const [busy, setBusy] = useState<ReadonlyMap<string, 'saving' | FhirError>>(new Map());
  const submissions = useRef(new Map<string, string>());
  const ask = useCallback(
    (row: FollowUpRow, name: string) => {
      const key = rowKey(row);
      const submissionId = submissions.current.get(key) ?? crypto.randomUUID();
      submissions.current.set(key, submissionId);
      setBusy((b) => new Map(b).set(key, 'saving'));
      requestPeg(session.transport, submissionId, {
        patientId: row.patient.replace(/^Patient\//, ''),
        referral: row.referral,
        timePoint: row.point.id,
        window: row.point.window,
        authoredOn: formatISO(new Date()),
        requester: session.fhirUser ?? programme,
      }).then(
        () => {
          submissions.current.delete(key);
          setBusy((b) => {
            const next = new Map(b);
            next.delete(key);
            return next;
          });
          onAsked(`${name} was asked for the ${row.point.label.toLowerCase()} PEG.`);
        },
        (error: unknown) => {
          setBusy((b) => new Map(b).set(key, normalizeError(error)));
        },
      );
    },
    [session, programme, onAsked],
  );
  return { busy, ask };
}

/** One patient's time point: when it is due, where it stands, and the staff's two actions. */
function FollowUpRowView(props: {
  readonly row: FollowUpRow;
  readonly name: string;
  /** Asking now, or why asking failed. */
  readonly state: 'saving' | FhirError | undefined;
  readonly onAsk: () => void;
  readonly onPhone: () => void;
}) {
  const { row, name, state } = props;
  const asked = row.request?.open === true ? row.request : undefined;
  const administration = row.point.administration;
  return (
    <tr data-patient={row.patient} data-point={row.point.id} data-status={row.point.status}>
      <th scope="row">{name}</th>
      <td data-label="Follow-up">{row.point.label}</td>
      <td data-label="Due (window)">
        {row.point.dueDate}{' '}
        <span className="muted">
          ({row.point.window.start} to {row.point.window.end})
        </span>
      </td>
      <td data-label="Status">
        {STATUS_TEXT[row.point.status]}
        {administration !== undefined &&
          `: ${administration.score.toFixed(2)} on ${administration.date.slice(0, 10)}${
            administration.reportedBy === undefined
              ? ''
              : `, ${PEG_REPORTER_TEXT[administration.reportedBy]}`
          }`}
        {asked !== undefined && (
          <span className="muted"> · asked {asked.task.authoredOn?.slice(0, 10)}</span>
        )}
      </td>
      <td>
        {row.point.status !== 'done' && (
          <span className="row-actions">
            <button
              type="button"
              className="secondary"
              disabled={state === 'saving' || asked !== undefined}
              data-testid="ask-peg"
              onClick={props.onAsk}
            >
              {asked !== undefined ? 'Asked' : state === 'saving' ? 'Asking…' : 'Ask the patient'}
              <span className="visually-hidden">
                {' '}
                for the {row.point.label} PEG: {name}
              </span>
            </button>
            <button
              type="button"
              className="secondary"
              data-testid="phone-peg"
              onClick={props.onPhone}
            >
              Record by phone
              <span className="visually-hidden">: {name}</span>
            </button>
          </span>
        )}
        {state !== undefined && state !== 'saving' && (
          <span role="alert" className="request-error">
            {state.message} {nextStep(state.kind)}
          </span>
        )}
      </td>
    </tr>
  );
}

/** Who is due, overdue or done for week 8, month 6 and month 12, with the window and the actions. */
export function FollowUpsView({ session, programme, asOf }: StaffViewProps) {
  const today = localDayOf(asOf);
  const { state: load, retry } = useLoad(
    useCallback(
      (signal: AbortSignal) =>
        followedPatients(session.transport, programme, followUpStartRange(today), signal),
      [session, programme, today],
    ),
  );
  const [shown, setShown] = useState(PAGE);
  const [generation, setGeneration] = useState(0);
  const [onlyOpen, setOnlyOpen] = useState(true);
  const [phone, setPhone] = useState<FollowUpRow | undefined>(undefined);
  // The row's "Record by phone" button: it takes focus back when the form is closed unsaved.
  const phoneOpener = useRef<HTMLElement | null>(null);
  const [done, setDone] = useState('');

  const ids = useMemo(
    () => (load.status === 'ok' ? load.value.slice(0, shown) : []),
    [load, shown],
  );
  const patients = usePatientPathways(session, ids, asOf, generation);

  const { state: requestsLoad, reload: reloadRequests } = useLoad(
    useCallback(
      async (signal: AbortSignal) => {
        const batches = [];
        for (let i = 0; i < ids.length; i += PAGE) {
          batches.push(loadPegRequests(session.transport, ids.slice(i, i + PAGE), signal));
        }
        return (await Promise.all(batches)).flat();
      },
      [session, ids],
    ),
  );
  // Shown without their requests while they load or when they cannot be read; asking again is
  // still safe (one request per submission).
  const requests = requestsLoad.status === 'ok' ? requestsLoad.value : NO_REQUESTS;

  const rows = useMemo(() => {
    const all = ids.flatMap((id) => {
      const pathway = patients.pathways.get(id);
      const patient = `Patient/${id}`;
      const own = requests.filter((r) => r.task.for?.reference === patient);
      return pathway === undefined ? [] : followUpRows(patient, pathway, own, today);
    });
    return sortFollowUpRows(onlyOpen ? all.filter((r) => r.point.status !== 'done') : all);
  }, [ids, patients.pathways, requests, today, onlyOpen]);

  const nameOf = (patient: string) =>
    humanNameText(patients.charts.get(patient.replace(/^Patient\//, ''))?.patient?.name, patient);

  const changed = useCallback(
    (announcement: string) => {
      setDone(announcement);
      setGeneration((g) => g + 1);
      reloadRequests();
    },
    [reloadRequests],
  );
  const { busy, ask } = useAskPeg(session, programme, changed);

  const onPhoneSaved = useCallback(
    (row: FollowUpRow, saved: SavedPegScore) => {
      const request = row.request;
      const close =
        request?.open === true
          ? closePegRequest(session.transport, request, {
              response: `QuestionnaireResponse/${saved.saved.questionnaireResponse.id}`,
              observation: `Observation/${saved.saved.observation.id}`,
              at: formatISO(new Date()),
            })
          : Promise.resolve();
      void close.finally(() => {
        setPhone(undefined);
        changed(
          `The ${row.point.label.toLowerCase()} PEG (${saved.score.toFixed(2)}) was recorded.`,
        );
      });
    },
    [session, changed],
  );

  if (load.status === 'loading') {
    return <p aria-busy="true">Finding the patients with follow-ups…</p>;
  }
  if (load.status === 'error') {
    return <RequestError error={load.error} onRetry={retry} />;
  }
  return (
    <section
      className="follow-ups"
      aria-labelledby="follow-ups-heading"
      aria-busy={patients.loading}
    >
      <h2 id="follow-ups-heading">
        Follow-up PEGs ({rows.length} {onlyOpen ? 'due or overdue' : 'on the list'})
      </h2>
      <p className="muted">
        Week 8, month 6 and month 12 from each patient's programme start (first attended session). A
        time point stays here up to {FOLLOW_UP_LIST_GRACE_DAYS} days after its window closed.
      </p>
      <label className="inline-check">
        <input
          type="checkbox"
          checked={!onlyOpen}
          onChange={(e) => {
            setOnlyOpen(!e.target.checked);
          }}
        />{' '}
        Show done time points too
      </label>
      <p role="status" className="announcement" data-testid="follow-up-announcement">
        {done}
      </p>
      {patients.error !== undefined && (
        <p role="alert" className="request-error">
          The charts could not be read: {patients.error.message}
        </p>
      )}
      <div className="table-scroll">
        <table className="follow-up-table reflow" data-testid="follow-ups">
          <thead>
            <tr>
              <th scope="col">Patient</th>
              <th scope="col">Follow-up</th>
              <th scope="col">Due (window)</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && !patients.loading && (
              <tr>
                <td colSpan={5} className="muted" data-testid="no-follow-ups">
                  {onlyOpen
                    ? 'No follow-up PEG is due or overdue.'
                    : 'No follow-up PEG on the list.'}
                </td>
              </tr>
            )}
            {rows.map((row) => (
              <FollowUpRowView
                key={rowKey(row)}
                row={row}
                name={nameOf(row.patient)}
                state={busy.get(rowKey(row))}
                onAsk={() => {
                  ask(row, nameOf(row.patient));
                }}
                onPhone={() => {
                  phoneOpener.current =
                    document.activeElement instanceof HTMLElement ? document.activeElement : null;
                  setPhone(row);
                }}
              />
            ))}
          </tbody>
        </table>
      </div>
      {load.value.length > shown && (
        <button
          type="button"
          onClick={() => {
            setShown((n) => n + PAGE);
          }}
        >
          Read {Math.min(PAGE, load.value.length - shown)} more patients (
          {load.value.length - shown} not read yet)
        </button>
      )}
      {phone !== undefined && (
        <div className="phone-peg">
          <PegForm
            key={rowKey(phone)}
            session={{
              transport: session.transport,
              patientId: phone.patient.replace(/^Patient\//, ''),
              fhirUser: session.fhirUser,
              encounter: undefined,
            }}
            form={`programme-phone-peg-${phone.point.id}`}
            now={() => new Date()}
            label={`${phone.point.label} follow-up PEG for ${nameOf(phone.patient)}, taken by phone`}
            focusOnOpen
            onCancel={() => {
              setPhone(undefined);
              phoneOpener.current?.focus();
            }}
            onSaved={(saved) => {
              onPhoneSaved(phone, saved);
            }}
          />
        </div>
      )}
    </section>
  );
}
