/**
 * THE chart as it stood on a past day: what the pathway may read when it is evaluated `asOf` a
 * day (`clbp pathway --as-of`, the EHR simulator, the seed's patient table all go through
 * evaluatePathway, pathway.ts, which applies it). A record dated after that day is left out: a
 * screening, PEG, diagnosis, medication, referral or group session the clinic did not have yet.
 *
 * A Bundle or an export holds each resource's last version, not its history, so a record changed
 * in place after the day is read back from its own dates: a referral's Task modified after it is
 * "requested" as it was authored, or "in-progress" when its executionPeriod started by then (a
 * decline, a cancellation, a completion or a schedule recorded later is not yet there), and its
 * ServiceRequest is active again when that later change (or a later cancellation note) ended it;
 * a Condition resolved after the day is active on it. What a record said between two changes is
 * not in a last version and is not guessed.
 *
 * The day rule is dates.ts's: a record belongs to the calendar day written in it; a partial date
 * ('2026-03') counts from its first day.
 */
import type {
  Condition,
  Encounter,
  MedicationRequest,
  MedicationStatement,
  Observation,
  QuestionnaireResponse,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import { dayIndex, parseIsoDay } from '../fhir-primitives/dates.ts';
import { normalizeReference } from '../fhir-primitives/references.ts';
import type { PathwayChart } from './chart.ts';

/** Whether a FHIR date/dateTime lies after day `asOf` (a day number); an unreadable one does not. */
function after(value: string | undefined, asOf: number): boolean {
  const day = value === undefined ? undefined : dayIndex(value);
  return day !== undefined && day > asOf;
}

/** Keeps the records dated on or before the day; the same array when none is later. */
function upTo<T>(
  records: readonly T[] | undefined,
  dates: (record: T) => readonly (string | undefined)[],
  asOf: number,
): readonly T[] | undefined {
  if (records === undefined) {
    return undefined;
  }
  const kept = records.filter((r) => !dates(r).some((date) => after(date, asOf)));
  return kept.length === records.length ? records : kept;
}

const observationDates = (o: Observation) => [
  o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.effectiveInstant ?? o.issued,
];
const responseDates = (r: QuestionnaireResponse) => [r.authored];
const conditionDates = (c: Condition) => [
  c.recordedDate ?? c.onsetDateTime ?? c.onsetPeriod?.start,
];
const statementDates = (s: MedicationStatement) => [
  s.dateAsserted,
  s.effectiveDateTime ?? s.effectivePeriod?.start,
];
const requestDates = (r: MedicationRequest) => [r.authoredOn];
const encounterDates = (e: Encounter) => [e.period?.start];

const ENDED_CLINICAL = ['inactive', 'remission', 'resolved'];
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';

/** A Condition resolved after the day was still current on it. */
function conditionAsOf(condition: Condition, asOf: number): Condition {
  const ended = (condition.clinicalStatus?.coding ?? []).some((c) =>
    ENDED_CLINICAL.includes(c.code ?? ''),
  );
  const abated = condition.abatementDateTime ?? condition.abatementPeriod?.start;
  if (!ended || !after(abated, asOf)) {
    return condition;
  }
  const current: Condition = {
    ...condition,
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active' }] },
  };
  delete current.abatementDateTime;
  delete current.abatementPeriod;
  return current;
}

/** The Task as its own dates say it stood on the day (see the module comment). */
function taskAsOf(task: Task, asOf: number): Task {
  if (!after(task.lastModified, asOf)) {
    return task;
  }
  const started = task.executionPeriod?.start;
  const earlier: Task = { ...task };
  delete earlier.statusReason;
  delete earlier.businessStatus;
  delete earlier.executionPeriod;
  if (started !== undefined && !after(started, asOf)) {
    return { ...earlier, status: 'in-progress', executionPeriod: { start: started } };
  }
  const authored = task.authoredOn;
  delete earlier.lastModified;
  return {
    ...earlier,
    status: 'requested',
    ...(authored === undefined ? {} : { lastModified: authored }),
  };
}

const ENDED_REQUEST: readonly ServiceRequest['status'][] = ['revoked', 'completed', 'on-hold'];

/** A referral ended by a change recorded after the day was still active on it. */
function requestAsOf(request: ServiceRequest, changedLater: boolean, asOf: number): ServiceRequest {
  const notedLater = (request.note ?? []).some((n) => after(n.time, asOf));
  return ENDED_REQUEST.includes(request.status) && (changedLater || notedLater)
    ? { ...request, status: 'active' }
    : request;
}

function referralsAsOf(
  referrals: PathwayChart['referrals'],
  asOf: number,
): PathwayChart['referrals'] {
  if (referrals === undefined) {
    return undefined;
  }
  const tasks = upTo(referrals.tasks, (t) => [t.authoredOn], asOf) ?? [];
  const changedLater = new Set(
    tasks.flatMap((t) =>
      after(t.lastModified, asOf) && t.focus?.reference !== undefined
        ? [normalizeReference(t.focus.reference)]
        : [],
    ),
  );
  const requests = (upTo(referrals.requests, (r) => [r.authoredOn], asOf) ?? []).map((r) =>
    requestAsOf(r, changedLater.has(`ServiceRequest/${r.id ?? ''}`), asOf),
  );
  return { requests, tasks: tasks.map((t) => taskAsOf(t, asOf)) };
}

/**
 * The chart as it stood at the end of `asOfDay` ('YYYY-MM-DD'): records dated after it left out,
 * records changed after it read back (module comment). Parts not read stay not read. An invalid
 * day leaves the chart as it is.
 */
export function chartAsOf(chart: PathwayChart, asOfDay: string): PathwayChart {
  const asOf = parseIsoDay(asOfDay);
  if (asOf === undefined) {
    return chart;
  }
  const medications = chart.medications;
  return {
    ...chart,
    conditions: upTo(chart.conditions, conditionDates, asOf)?.map((c) => conditionAsOf(c, asOf)),
    questionnaireResponses: upTo(chart.questionnaireResponses, responseDates, asOf),
    pegObservations: upTo(chart.pegObservations, observationDates, asOf),
    medications:
      medications === undefined
        ? undefined
        : {
            statements: upTo(medications.statements, statementDates, asOf) ?? [],
            requests: upTo(medications.requests, requestDates, asOf) ?? [],
            medications: medications.medications,
          },
    referrals: referralsAsOf(chart.referrals, asOf),
    sessions: upTo(chart.sessions, encounterDates, asOf),
  };
}
