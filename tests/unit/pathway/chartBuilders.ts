/**
 * Small charts for pathway tests, written as FHIR resources the way an EHR holds them (the
 * expectations in the tests are written by hand, not computed with the code under test).
 */
import type {
  Condition,
  Encounter,
  Observation,
  QuestionnaireResponse,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import type { PathwayChart } from '../../../src/domain/pathway/chart.ts';
import pegQuestionnaire from '../../../questionnaires/peg.json' with { type: 'json' };
import type { Questionnaire } from 'fhir/r4';

export const PATIENT = { resourceType: 'Patient', id: 'p', birthDate: '1970-05-01' } as const;

export const CLBP: Condition = {
  resourceType: 'Condition',
  id: 'clbp',
  subject: { reference: 'Patient/p' },
  clinicalStatus: { coding: [{ code: 'active' }] },
  code: { coding: [{ system: 'http://snomed.info/sct', code: '278860009' }] },
  onsetDateTime: '2023-01-01',
};

/** A PEG score Observation (91147-9) with its three items, on a day at 10:00 Denver time. */
export function peg(id: string, day: string, items: [number, number, number]): Observation {
  const q = (value: number) => ({ value, unit: '{score}' });
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    subject: { reference: 'Patient/p' },
    code: { coding: [{ system: 'http://loinc.org', code: '91147-9' }] },
    effectiveDateTime: `${day}T10:00:00-07:00`,
    valueQuantity: q(Math.round(((items[0] + items[1] + items[2]) / 3) * 100) / 100),
    component: ['75893-8', '91145-3', '91146-1'].map((code, i) => ({
      code: { coding: [{ system: 'http://loinc.org', code }] },
      valueQuantity: q(items[i] ?? 0),
    })),
  };
}

const ANSWERS = 'http://fhir.clbp-pathway.org/CodeSystem/clbp-screening-answers';
const RED_FLAG_IDS = [
  'rf-urinary-retention-incontinence',
  'rf-saddle-anaesthesia',
  'rf-faecal-incontinence',
  'rf-bilateral-progressive-leg-weakness',
  'rf-progressive-neurological-deficit',
  'rf-cancer-or-weight-loss',
  'rf-fever-ivdu-immunosuppression',
  'rf-trauma',
];

/** A completed screening: chronic, every day, no red flag unless named, not pregnant, telehealth ok. */
export function screening(
  day: string,
  options: { redFlag?: string; frequency?: string; omit?: string } = {},
): QuestionnaireResponse {
  const answers: { linkId: string; answer: object[] }[] = [
    { linkId: 'clbp-duration', answer: [{ valueCoding: { system: ANSWERS, code: '1-5-years' } }] },
    {
      linkId: 'clbp-frequency',
      answer: [{ valueCoding: { system: ANSWERS, code: options.frequency ?? 'every-day' } }],
    },
    ...RED_FLAG_IDS.map((linkId) => ({
      linkId,
      answer: [{ valueBoolean: linkId === options.redFlag }],
    })),
    { linkId: 'pregnant', answer: [{ valueBoolean: false }] },
    { linkId: 'telehealth-able', answer: [{ valueBoolean: true }] },
  ];
  return {
    resourceType: 'QuestionnaireResponse',
    id: `screening-${day}`,
    questionnaire: 'http://fhir.clbp-pathway.org/Questionnaire/clbp-screening|1.0.0',
    status: 'completed',
    subject: { reference: 'Patient/p' },
    authored: `${day}T09:00:00-07:00`,
    item: answers.filter((a) => a.linkId !== options.omit),
  };
}

export function referral(
  day: string,
  taskStatus?: Task['status'],
  extra: { start?: string; reason?: string; requestStatus?: ServiceRequest['status'] } = {},
): [ServiceRequest, ...Task[]] {
  const request: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: `ref-${day}`,
    status: extra.requestStatus ?? 'active',
    intent: 'order',
    subject: { reference: 'Patient/p' },
    code: {
      coding: [
        { system: 'http://fhir.clbp-pathway.org/CodeSystem/clbp-pathway', code: 'mindfulness-gmv' },
      ],
    },
    authoredOn: `${day}T16:00:00-07:00`,
  };
  if (taskStatus === undefined) {
    return [request];
  }
  const task: Task = {
    resourceType: 'Task',
    id: `task-${day}`,
    status: taskStatus,
    intent: 'order',
    focus: { reference: `ServiceRequest/ref-${day}` },
    authoredOn: `${day}T16:00:00-07:00`,
    lastModified: `${extra.start ?? day}T17:00:00-07:00`,
    ...(extra.start === undefined
      ? {}
      : { executionPeriod: { start: `${extra.start}T17:00:00-07:00` } }),
    ...(extra.reason === undefined ? {} : { statusReason: { text: extra.reason } }),
  };
  return [request, task];
}

export function session(referralDay: string, day: string, n: number): Encounter {
  return {
    resourceType: 'Encounter',
    id: `session-${String(n)}`,
    status: 'finished',
    class: { code: 'VR' },
    subject: { reference: 'Patient/p' },
    basedOn: [{ reference: `ServiceRequest/ref-${referralDay}` }],
    period: { start: `${day}T17:00:00-07:00` },
  };
}

type Part = Condition | Observation | QuestionnaireResponse | ServiceRequest | Task | Encounter;

/** A chart where everything was read, holding these resources (and the patient). */
export function chart(
  resources: readonly Part[],
  overrides: Partial<PathwayChart> = {},
): PathwayChart {
  const of = <T extends Part>(type: T['resourceType']) =>
    resources.filter((r): r is T => r.resourceType === type);
  return {
    patient: PATIENT,
    conditions: of<Condition>('Condition'),
    questionnaireResponses: of<QuestionnaireResponse>('QuestionnaireResponse'),
    pegObservations: of<Observation>('Observation'),
    questionnaires: [pegQuestionnaire as Questionnaire],
    medications: { statements: [], requests: [], medications: [] },
    referrals: { requests: of<ServiceRequest>('ServiceRequest'), tasks: of<Task>('Task') },
    sessions: of<Encounter>('Encounter'),
    ...overrides,
  };
}

/** Local noon of a day: the clinic's "today". */
export function on(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, 12);
}
