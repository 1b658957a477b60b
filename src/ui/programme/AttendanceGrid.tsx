import { useState } from 'react';
import { formatISO } from 'date-fns/formatISO';
import type { Encounter } from 'fhir/r4';
import type { PathwayChart } from '../../domain/pathway/chart.ts';
import type { Cohort, CohortSession } from '../../domain/pathway/cohort.ts';
import type { Pathway } from '../../domain/pathway/evaluate.ts';
import { humanNameText } from '../../domain/fhir-primitives/names.ts';
import { normalizeReference } from '../../domain/fhir-primitives/references.ts';
import { recordAttendance } from '../../fhir/cohortWrite.ts';
import { nextStep, normalizeError, type FhirError } from '../../fhir/errors.ts';
import type { FhirTransport } from '../../fhir/transport.ts';

interface AttendanceGridProps {
  readonly cohort: Cohort;
  readonly today: string;
  readonly transport: FhirTransport;
  readonly programme: string;
  readonly pathways: ReadonlyMap<string, Pathway>;
  readonly charts: ReadonlyMap<string, PathwayChart>;
  readonly statusOf: (patientId: string) => string;
  /** After a write, with what was recorded in words. */
  readonly onRecorded: (what: string) => void;
}

type Cell =
  | { readonly status: 'saving'; readonly attended: boolean }
  | { readonly status: 'failed'; readonly attended: boolean; readonly error: FhirError };

/** The patient's Encounter for a session (the Appointment it is for), if recorded. */
function encounterFor(
  chart: PathwayChart | undefined,
  session: CohortSession,
): Encounter | undefined {
  return chart?.sessions?.find((e) =>
    (e.appointment ?? []).some(
      (a) =>
        a.reference !== undefined &&
        normalizeReference(a.reference) === `Appointment/${session.appointment.id}`,
    ),
  );
}

/**
 * One member's cell for one session: a dot before it is held, else a checkbox (checked = attended)
 * showing the write in progress or the stored Encounter ("absent" when recorded as not attended).
 */
function SessionCell(props: {
  readonly session: CohortSession;
  readonly name: string;
  readonly held: boolean;
  readonly cell: Cell | undefined;
  readonly stored: Encounter | undefined;
  readonly canRecord: boolean;
  readonly onChange: (attended: boolean) => void;
}) {
  const { session, cell, stored } = props;
  if (!props.held) {
    return (
      <td className="muted">
        <span aria-label={`Session ${String(session.number)} not held yet`}>·</span>
      </td>
    );
  }
  return (
    <td data-session={session.number}>
      <input
        type="checkbox"
        checked={cell?.attended ?? stored?.status === 'finished'}
        disabled={cell?.status === 'saving' || !props.canRecord}
        aria-label={`${props.name} attended session ${String(session.number)} on ${session.day ?? ''}`}
        onChange={(e) => {
          props.onChange(e.target.checked);
        }}
      />
      {stored?.status === 'cancelled' && cell === undefined && (
        <span className="muted absent"> absent</span>
      )}
    </td>
  );
}

/**
 * Recording attendance from the grid: each cell's write in progress or its failure (kept for its
 * retry), and what was recorded said in words once written.
 */
function useAttendanceWrites(props: AttendanceGridProps) {
  const { cohort, transport, programme, pathways, charts, onRecorded } = props;
  const [cells, setCells] = useState<ReadonlyMap<string, Cell>>(new Map());
  const setCell = (key: string, cell: Cell | undefined) => {
    setCells((current) => {
      const next = new Map(current);
      if (cell === undefined) {
        next.delete(key);
      } else {
        next.set(key, cell);
      }
      return next;
    });
  };

  const record = (patient: string, session: CohortSession, attended: boolean) => {
    const pathway = pathways.get(patient.replace(/^Patient\//, ''));
    const referral = pathway?.referral;
    const key = `${patient}|${String(session.number)}`;
    if (referral?.task?.id === undefined) {
      return;
    }
    setCell(key, { status: 'saving', attended });
    recordAttendance(transport, {
      session,
      cohort,
      patient,
      referral: referral.reference,
      programme,
      attended,
      taskId: referral.task.id,
      when: formatISO(new Date()),
    }).then(
      () => {
        setCell(key, undefined);
        const name = humanNameText(
          charts.get(patient.replace(/^Patient\//, ''))?.patient?.name,
          patient,
        );
        onRecorded(
          `${name}: session ${String(session.number)} recorded as ${attended ? 'attended' : 'not attended'}.`,
        );
      },
      (error: unknown) => {
        setCell(key, { status: 'failed', attended, error: normalizeError(error) });
      },
    );
  };

  return { cells, record };
}

/** Attendance per member and session: a checkbox per session held so far (checked = attended). */
export function AttendanceGrid(props: AttendanceGridProps) {
  const { cohort, today, pathways, charts, statusOf } = props;
  const { cells, record } = useAttendanceWrites(props);

  const failures = [...cells].filter(
    (entry): entry is [string, Extract<Cell, { status: 'failed' }>] => entry[1].status === 'failed',
  );
  return (
    <div className="table-scroll">
      <table className="attendance" data-testid="attendance">
        <caption>Attendance (checked = attended; sessions held so far)</caption>
        <thead>
          <tr>
            <th scope="col">Patient and pathway</th>
            {cohort.sessions.map((s) => (
              <th scope="col" key={s.appointment.id}>
                {s.number}
                <span className="muted session-day"> {s.day?.slice(5) ?? '?'}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohort.members.map((patient) => {
            const id = patient.replace(/^Patient\//, '');
            const chart = charts.get(id);
            const name = humanNameText(chart?.patient?.name, id);
            const canRecord = pathways.get(id)?.referral?.task?.id !== undefined;
            return (
              <tr key={patient} data-patient={patient}>
                <th scope="row">
                  {name}
                  <span className="muted member-status" data-testid="member-status">
                    {statusOf(id)}
                  </span>
                </th>
                {cohort.sessions.map((session) => (
                  <SessionCell
                    key={session.appointment.id}
                    session={session}
                    name={name}
                    held={session.day !== undefined && session.day <= today}
                    cell={cells.get(`${patient}|${String(session.number)}`)}
                    stored={encounterFor(chart, session)}
                    canRecord={canRecord}
                    onChange={(attended) => {
                      record(patient, session, attended);
                    }}
                  />
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {failures.map(([key, cell]) => {
        const [patient = '', n = ''] = key.split('|');
        const session = cohort.sessions.find((s) => String(s.number) === n);
        return (
          <div role="alert" className="request-error" key={key} data-testid="attendance-error">
            <p>{cell.error.message}</p>
            <p>
              {nextStep(cell.error.kind)}{' '}
              <button
                type="button"
                onClick={() => {
                  if (session !== undefined) {
                    record(patient, session, cell.attended);
                  }
                }}
              >
                Retry session {n}
              </button>
            </p>
          </div>
        );
      })}
    </div>
  );
}
