/**
 * THE PEG request: a Task asking the patient to answer the follow-up PEG of one time point, after
 * SDC's questionnaire Task (code `complete-questionnaire`, input the Questionnaire's canonical,
 * output the QuestionnaireResponse; SDC 3.0 CodeSystem `temp`). The programme workspace (or the
 * sandbox seed) creates them, the patient mode answers them, the clinician's and staff views read
 * them: everything that builds or reads one uses this module.
 *
 * Shape: status `requested`, intent `order`, `for` and `owner` the Patient (the patient is the one
 * who acts), `basedOn` the programme referral (ServiceRequest), `description` naming the time
 * point, `restriction.period` the time point's window (followUp.ts), an input naming the time point
 * by its id (`week8` | `month6` | `month12`).
 * @see https://hl7.org/fhir/uv/sdc/STU3/CodeSystem-temp.html
 */
import type { CodeableConcept, Task, TaskInput, TaskOutput } from 'fhir/r4';
import {
  PATHWAY_CODE_SYSTEM,
  PEG_QUESTIONNAIRE_URL,
  PEG_QUESTIONNAIRE_VERSION,
} from '../codes/canonical.ts';
import { calendarDayOf, instantOf } from '../fhir-primitives/dates.ts';
import { referenceTo } from '../fhir-primitives/references.ts';
import { FOLLOW_UP_TIME_POINTS, type FollowUpId } from './followUp.ts';

/** SDC's (temporary) code system for questionnaire Tasks. */
export const SDC_TASK_CODE_SYSTEM = 'http://hl7.org/fhir/uv/sdc/CodeSystem/temp';

/** Task.code of a request to complete a questionnaire (SDC task-code value set). */
export const COMPLETE_QUESTIONNAIRE = {
  system: SDC_TASK_CODE_SYSTEM,
  code: 'complete-questionnaire',
  display: 'Complete Questionnaire',
} as const;

/** Input/output types: the Questionnaire to answer, the response that answered it (SDC). */
const QUESTIONNAIRE_INPUT = { system: SDC_TASK_CODE_SYSTEM, code: 'questionnaire' } as const;
const RESPONSE_OUTPUT = { system: SDC_TASK_CODE_SYSTEM, code: 'questionnaire-response' } as const;
/** The project's input type naming the follow-up time point (value: a FollowUpId). */
const TIME_POINT_INPUT = { system: PATHWAY_CODE_SYSTEM, code: 'follow-up-time-point' } as const;
/** The project's output type for the PEG score Observation written with the response. */
const SCORE_OUTPUT = { system: PATHWAY_CODE_SYSTEM, code: 'peg-score-observation' } as const;

/** Statuses in which the patient is still asked to answer. */
const OPEN_STATUSES: readonly Task['status'][] = [
  'requested',
  'received',
  'accepted',
  'ready',
  'in-progress',
];

export interface PegRequestSpec {
  readonly patientId: string;
  /** The programme referral, 'ServiceRequest/<id>'. */
  readonly referral: string;
  readonly timePoint: FollowUpId;
  /** The time point's window, calendar days (followUp.ts timePointWindow). */
  readonly window: { readonly start: string; readonly end: string };
  /** When the request is made (ISO dateTime). */
  readonly authoredOn: string;
  /** Who asks: the programme Organization or a staff member ('Organization/…', 'Practitioner/…'). */
  readonly requester?: string | undefined;
}

function timePointLabel(id: FollowUpId): string {
  return FOLLOW_UP_TIME_POINTS.find((p) => p.id === id)?.label ?? id;
}

/** The words a patient reads for a time point: "Month 6 check-in". */
export function checkInTitle(label: string): string {
  return `${label} check-in`;
}

/** A new PEG request Task (no id: the writer or the seed gives one). */
export function pegRequestTask(spec: PegRequestSpec): Task {
  const label = timePointLabel(spec.timePoint);
  const patient = { reference: `Patient/${spec.patientId}` };
  return {
    resourceType: 'Task',
    status: 'requested',
    intent: 'order',
    priority: 'routine',
    code: { coding: [{ ...COMPLETE_QUESTIONNAIRE }], text: 'Answer the PEG pain questions' },
    description: `${checkInTitle(label)}: the three PEG questions about pain in the past week (${label} follow-up of the mindfulness programme).`,
    for: patient,
    owner: patient,
    basedOn: [{ reference: spec.referral }],
    authoredOn: spec.authoredOn,
    lastModified: spec.authoredOn,
    ...(spec.requester === undefined ? {} : { requester: { reference: spec.requester } }),
    restriction: { period: { start: spec.window.start, end: spec.window.end } },
    input: [
      {
        type: { coding: [{ ...QUESTIONNAIRE_INPUT }] },
        valueCanonical: `${PEG_QUESTIONNAIRE_URL}|${PEG_QUESTIONNAIRE_VERSION}`,
      },
      { type: { coding: [{ ...TIME_POINT_INPUT }] }, valueCode: spec.timePoint },
    ],
  };
}

function hasCoding(
  concept: CodeableConcept | undefined,
  coding: { readonly system: string; readonly code: string },
): boolean {
  return (concept?.coding ?? []).some((c) => c.system === coding.system && c.code === coding.code);
}

function inputOf(task: Task, type: { system: string; code: string }): TaskInput | undefined {
  return (task.input ?? []).find((i) => hasCoding(i.type, type));
}

function isFollowUpId(value: string | undefined): value is FollowUpId {
  return FOLLOW_UP_TIME_POINTS.some((p) => p.id === value);
}

/** Whether a Task asks its patient to answer this project's PEG Questionnaire (any version). */
export function isPegRequest(task: Task): boolean {
  const canonical = inputOf(task, QUESTIONNAIRE_INPUT)?.valueCanonical;
  return (
    hasCoding(task.code, COMPLETE_QUESTIONNAIRE) &&
    canonical !== undefined &&
    canonical.split('|')[0] === PEG_QUESTIONNAIRE_URL
  );
}

export interface PegRequest {
  readonly task: Task;
  /** 'Task/<id>'. */
  readonly reference: string;
  readonly status: Task['status'];
  /** Still asking for an answer. */
  readonly open: boolean;
  readonly timePoint: FollowUpId | undefined;
  /** "Month 6", or the description when the time point is not one of ours. */
  readonly label: string;
  /** restriction.period as calendar days, when given. */
  readonly window: { readonly start: string | undefined; readonly end: string | undefined };
  /** 'ServiceRequest/<id>' of the referral. */
  readonly referral: string | undefined;
  /** The responses that answered it ('QuestionnaireResponse/<id>'). */
  readonly responses: readonly string[];
}

/** Reads a PEG request Task, or undefined for any other Task. */
export function readPegRequest(task: Task): PegRequest | undefined {
  if (!isPegRequest(task) || task.id === undefined) {
    return undefined;
  }
  const code = inputOf(task, TIME_POINT_INPUT)?.valueCode;
  const timePoint = isFollowUpId(code) ? code : undefined;
  const period = task.restriction?.period;
  const referral = (task.basedOn ?? [])
    .map((b) => referenceTo(b.reference, 'ServiceRequest'))
    .find((r) => r !== undefined);
  return {
    task,
    reference: `Task/${task.id}`,
    status: task.status,
    open: OPEN_STATUSES.includes(task.status),
    timePoint,
    label: timePoint === undefined ? (task.description ?? 'PEG') : timePointLabel(timePoint),
    window: {
      start: period?.start === undefined ? undefined : calendarDayOf(period.start),
      end: period?.end === undefined ? undefined : calendarDayOf(period.end),
    },
    referral,
    responses: (task.output ?? []).flatMap((o) => {
      const ref = hasCoding(o.type, RESPONSE_OUTPUT)
        ? referenceTo(o.valueReference?.reference, 'QuestionnaireResponse')
        : undefined;
      return ref === undefined ? [] : [ref];
    }),
  };
}

/** The PEG requests among Tasks, readable ones only, in the order given. */
export function pegRequests(tasks: readonly Task[]): PegRequest[] {
  return tasks.flatMap((t) => {
    const request = readPegRequest(t);
    return request === undefined ? [] : [request];
  });
}

export interface PegRequestAnswer {
  /** 'QuestionnaireResponse/<id>' or a transaction's 'urn:uuid:…' for it. */
  readonly response: string;
  /** 'Observation/<id>' or 'urn:uuid:…' of the PEG score Observation. */
  readonly observation: string;
  /** When it was answered (ISO dateTime). */
  readonly at: string;
}

/**
 * When the request was completed, as the Task records it: the answer's instant in UTC, never
 * before the request was made (Task inv-1: lastModified ≥ authoredOn; a patient's device clock may
 * lag the EHR's). UTC because some servers compare the two strings as written (medplum does).
 */
function completedAt(task: Task, at: string): string {
  const answered = instantOf(at);
  const made = task.authoredOn === undefined ? undefined : instantOf(task.authoredOn);
  if (answered === undefined) {
    return at;
  }
  return made !== undefined && made >= answered && task.authoredOn !== undefined
    ? task.authoredOn
    : new Date(answered).toISOString();
}

/** The request answered: completed, with the response (and the score) as its output. */
export function answeredPegRequest(task: Task, answer: PegRequestAnswer): Task {
  const at = completedAt(task, answer.at);
  const outputs: TaskOutput[] = [
    {
      type: { coding: [{ ...RESPONSE_OUTPUT }], text: 'PEG answers' },
      valueReference: { reference: answer.response },
    },
    {
      type: { coding: [{ ...SCORE_OUTPUT }], text: 'PEG score' },
      valueReference: { reference: answer.observation },
    },
  ];
  return {
    ...task,
    status: 'completed',
    lastModified: at,
    executionPeriod: { ...task.executionPeriod, end: at },
    output: outputs,
  };
}
