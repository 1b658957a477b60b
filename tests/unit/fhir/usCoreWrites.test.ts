/**
 * The app's write builders against the US Core conformance check (tests/support/usCore), and the
 * check itself against resources that break each kind of rule: a check that cannot fail proves
 * nothing.
 */
import type {
  BundleEntry,
  FhirResource,
  Observation,
  QuestionnaireResponse,
  Resource,
  ServiceRequest,
  Task,
} from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { pegRequestTask } from '../../../src/domain/pathway/pegRequest.ts';
import { EVENT_BASED_ON_URL, pegEntries } from '../../../src/fhir/pegWrite.ts';
import { PEG_QUESTIONNAIRE } from '../../../src/fhir/questionnaires.ts';
import { referralEntries } from '../../../src/fhir/referralWrite.ts';
import { clbpProblem } from '../../../src/fhir/problemWrite.ts';
import { screeningEntries, screeningResponse } from '../../../src/fhir/screeningWrite.ts';
import type { WriteContext } from '../../../src/fhir/usCore.ts';
import { checkConformance, prepareConformanceCheck } from '../../support/usCore/conformance.ts';

beforeAll(() => {
  prepareConformanceCheck();
}, 60_000);

const CLINICIAN: WriteContext = {
  patientId: 'p1',
  enterer: 'Practitioner/pcp-1',
  encounter: 'Encounter/visit-1',
};
const AUTHORED = '2026-03-16T10:00:00-06:00';

/** What a server makes of a transaction: ids assigned, urn:uuid references resolved, meta set. */
function stored(entries: readonly BundleEntry[]): Resource[] {
  const ids = new Map<string, string>();
  entries.forEach((e, i) => {
    ids.set(e.fullUrl ?? '', `${e.resource?.resourceType ?? ''}/id-${i}`);
  });
  return entries.map((e, i) => {
    const json = JSON.stringify(e.resource).replace(/urn:uuid:[0-9a-f-]+/g, (u) => ids.get(u) ?? u);
    const resource = JSON.parse(json) as Resource;
    return {
      ...resource,
      id: `id-${i}`,
      meta: { ...resource.meta, versionId: '1', lastUpdated: AUTHORED },
    };
  });
}

const peg = (context: WriteContext, request?: Task) =>
  stored(
    pegEntries(
      {
        submissionId: '11111111-1111-4111-8111-111111111111',
        context,
        authored: AUTHORED,
        answers: {},
        items: { pain: 6, enjoyment: 7, activity: 4 },
        score: 5.67,
        request,
      },
      PEG_QUESTIONNAIRE,
    ),
  );

const PATIENT_SELF: WriteContext = { patientId: 'p1', enterer: 'Patient/p1', encounter: undefined };
const MONTH_6_REQUEST: Task = {
  ...pegRequestTask({
    patientId: 'p1',
    referral: 'ServiceRequest/r1',
    timePoint: 'month6',
    window: { start: '2026-03-01', end: '2026-04-30' },
    authoredOn: '2026-03-01T09:00:00-06:00',
  }),
  id: 'task-6',
  meta: { versionId: '3' },
};

const referral = (context: WriteContext) =>
  stored(
    referralEntries({
      submissionId: '22222222-2222-4222-8222-222222222222',
      context,
      programme: 'Organization/optimum-gmv-programme',
      authoredOn: AUTHORED,
      reason: 'Condition/c1',
      supportingInfo: ['QuestionnaireResponse/q1'],
      note: '',
      preferredStart: '2026-04-06',
    }),
  );

const screening = (context: WriteContext): Resource => ({
  ...screeningResponse({
    submissionId: '33333333-3333-4333-8333-333333333333',
    context,
    authored: AUTHORED,
    answers: {
      'clbp-duration': {
        kind: 'coding',
        coding: {
          system: 'http://fhir.clbp-pathway.org/CodeSystem/clbp-screening-answers',
          code: '1-5-years',
        },
      },
      'rf-saddle-anaesthesia': { kind: 'boolean', value: false },
    },
  }),
  id: 's1',
});

const SCREENING_ANSWERS = 'http://fhir.clbp-pathway.org/CodeSystem/clbp-screening-answers';

const screeningWithFindings = (answers: Parameters<typeof screeningEntries>[0]['answers']) =>
  stored(
    screeningEntries({
      submissionId: '44444444-4444-4444-8444-444444444444',
      context: CLINICIAN,
      authored: AUTHORED,
      answers,
    }),
  );

describe('what the app writes meets the US Core profiles it claims', () => {
  it.each([
    [
      'a screening with its findings (Task Force met, a red flag, pregnant)',
      () =>
        screeningWithFindings({
          'clbp-duration': {
            kind: 'coding',
            coding: { system: SCREENING_ANSWERS, code: '1-5-years' },
          },
          'clbp-frequency': {
            kind: 'coding',
            coding: { system: SCREENING_ANSWERS, code: 'every-day' },
          },
          'rf-saddle-anaesthesia': { kind: 'boolean', value: true },
          pregnant: { kind: 'boolean', value: true },
        }),
    ],
    [
      'the confirmed problem-list entry',
      () => [
        {
          ...clbpProblem({
            submissionId: '55555555-5555-4555-8555-555555555555',
            context: CLINICIAN,
            confirmedAt: AUTHORED,
            screening: 'QuestionnaireResponse/s1',
          }),
          id: 'c1',
          meta: {
            profile: [
              'http://hl7.org/fhir/us/core/StructureDefinition/us-core-condition-problems-health-concerns',
            ],
            lastUpdated: AUTHORED,
          },
        },
      ],
    ],
    ['the PEG response and score', () => peg(CLINICIAN)],
    ['the referral ServiceRequest and Task', () => referral(CLINICIAN)],
    ['the screening response', () => [screening(CLINICIAN)]],
    ['a PEG in a launch without encounter', () => peg({ ...CLINICIAN, encounter: undefined })],
    ['a patient-reported PEG completing its request', () => peg(PATIENT_SELF, MONTH_6_REQUEST)],
  ])('%s', (_name, build) => {
    expect(build().flatMap((r) => checkConformance(r))).toEqual([]);
  });

  it('records the clinician as author, the patient as source and as performer of the PEG', () => {
    const [response, observation] = peg(CLINICIAN) as [QuestionnaireResponse, Observation];
    expect(response.author).toEqual({ reference: 'Practitioner/pcp-1' });
    expect(response.source).toEqual({ reference: 'Patient/p1' });
    expect(observation.performer).toEqual([{ reference: 'Patient/p1' }]);
    expect(observation.derivedFrom).toEqual([{ reference: 'QuestionnaireResponse/id-0' }]);
  });

  it('links a patient-reported PEG to the request it answers and completes the request, if still open, in the same transaction', () => {
    const open = pegEntries(
      {
        submissionId: '11111111-1111-4111-8111-111111111111',
        context: PATIENT_SELF,
        authored: AUTHORED,
        answers: {},
        items: { pain: 5, enjoyment: 4, activity: 4 },
        score: 4.33,
        request: MONTH_6_REQUEST,
      },
      PEG_QUESTIONNAIRE,
    );
    expect(open.map((e) => `${e.request?.method ?? ''} ${e.request?.url ?? ''}`)).toEqual([
      'POST QuestionnaireResponse',
      'POST Observation',
      'PUT Task/task-6',
    ]);
    expect(open[2]?.request?.ifMatch).toBe('W/"3"');
    const [response, observation, task] = stored(open) as [
      QuestionnaireResponse,
      Observation,
      Task,
    ];
    expect(response.author).toEqual({ reference: 'Patient/p1' });
    for (const written of [response, observation]) {
      expect(written.basedOn).toEqual([{ reference: 'ServiceRequest/r1' }]);
      expect(written.extension).toEqual([
        { url: EVENT_BASED_ON_URL, valueReference: { reference: 'Task/task-6' } },
      ]);
    }
    expect(task.status).toBe('completed');
    expect(task.output?.map((o) => o.valueReference?.reference)).toEqual([
      'QuestionnaireResponse/id-0',
      'Observation/id-1',
    ]);
    // A request already completed (by an earlier attempt whose answer was lost) is left alone.
    const again = peg(PATIENT_SELF, { ...MONTH_6_REQUEST, ...task });
    expect(again.map((r) => r.resourceType)).toEqual(['QuestionnaireResponse', 'Observation']);
  });

  it('puts every write of a launch within a visit on that encounter', () => {
    const all = [...peg(CLINICIAN), ...referral(CLINICIAN), screening(CLINICIAN)];
    expect(
      all.map((r) => (r as { encounter?: { reference?: string } }).encounter?.reference),
    ).toEqual(all.map(() => 'Encounter/visit-1'));
  });

  it('gives the referral a US Core category, a standard service code beside the project code, and a priority', () => {
    const [request, task] = referral(CLINICIAN) as [ServiceRequest, Task];
    expect(request.category?.map((c) => c.coding?.[0]?.code)).toEqual(['409063005', '3457005']);
    expect(request.code?.coding?.map((c) => `${c.system ?? ''}|${c.code ?? ''}`)).toEqual([
      'http://snomed.info/sct|409063005',
      'http://fhir.clbp-pathway.org/CodeSystem/clbp-pathway|mindfulness-gmv',
    ]);
    expect(task.priority).toBe('routine');
  });
});

describe('the conformance check finds what breaks a profile', () => {
  const [response, observation] = peg(CLINICIAN) as [QuestionnaireResponse, Observation];
  const [request, task] = referral(CLINICIAN) as [ServiceRequest, Task];
  it.each<[string, FhirResource, RegExp]>([
    [
      'a PEG Observation without the survey category',
      { ...observation, category: [] },
      /category.*0 found, 1\.\.\* required|survey.*0 found/,
    ],
    [
      'a referral whose only category is outside the US Core value set (3457005)',
      {
        ...request,
        category: [{ coding: [{ system: 'http://snomed.info/sct', code: '3457005' }] }],
      },
      /category\.coding: no coding from the bound value set/,
    ],
    [
      'a referral coded only with the project code',
      { ...request, code: { coding: [request.code?.coding?.[1] ?? {}], text: 'x' } },
      /code\.coding: no coding from the bound value set/,
    ],
    [
      'a response without source',
      { ...response, source: undefined },
      /source: must-support element missing/,
    ],
    [
      'a PEG performed by a Device',
      { ...observation, performer: [{ reference: 'Device/d1' }] },
      /performer: refers to Device/,
    ],
    [
      'a Task without priority',
      { ...task, priority: undefined },
      /priority: 0 found, 1\.\.1 required/,
    ],
    [
      'an Observation that claims no profile',
      { ...observation, meta: {} },
      /claims no profile although/,
    ],
    [
      'a profile the check does not know',
      { ...observation, meta: { profile: ['http://example.org/StructureDefinition/x'] } },
      /claims a profile the conformance check has no rules for/,
    ],
    [
      'a type the check has no rules for',
      {
        resourceType: 'Flag',
        id: 'f1',
        status: 'active',
        code: { text: 'x' },
        subject: { reference: 'Patient/p1' },
      },
      /no rules for Flag/,
    ],
    [
      'a response with an invalid status (base R4)',
      { ...response, status: 'finished' } as unknown as FhirResource,
      /FHIR R4|status/,
    ],
  ])('%s', (_name, resource, message) => {
    const issues = checkConformance(resource);
    expect(issues.map((i) => `${i.profile}: ${i.message}`).join('\n')).toMatch(message);
  });
});

describe("a screening's findings", () => {
  it('writes only what the answers decide: one red flag asked and absent is no verdict on the others', () => {
    const written = screeningWithFindings({
      'clbp-duration': {
        kind: 'coding',
        coding: { system: SCREENING_ANSWERS, code: '1-3-months' },
      },
      'rf-trauma': { kind: 'boolean', value: false },
    }) as Observation[];
    const [response, taskForce, redFlags] = written;
    expect(response?.resourceType).toBe('QuestionnaireResponse');
    // Under 3 months decides "not CLBP" even without the frequency answer.
    expect(taskForce?.valueBoolean).toBe(false);
    expect(redFlags?.valueBoolean).toBeUndefined();
    expect(redFlags?.dataAbsentReason?.coding?.[0]?.code).toBe('not-asked');
    expect(redFlags?.component?.map((c) => c.valueBoolean)).toEqual([false]);
    expect(written).toHaveLength(3);
    expect(new Set(written.map((r) => r.identifier?.[0]?.value)).size).toBe(3);
  });
});
