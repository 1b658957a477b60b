/**
 * The screening's writes against the sandbox's own FHIR engine, in process: the screening with
 * its findings, the urgent red-flag record saved the moment it is answered, the clinician's
 * clearance of a red flag, and the app's Questionnaires published to the EHR. Each is read back as
 * stored (and by the reader the chart uses), and a repeat writes nothing twice. Expected values
 * are written out here, never computed by the code under test.
 */
import type { Observation, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { beforeEach, describe, expect, it } from 'vitest';
import { readClearanceResponse } from '../../src/domain/screening/clearance.ts';
import { RED_FLAGS } from '../../src/domain/screening/screening.ts';
import { saveClearance } from '../../src/fhir/clearanceWrite.ts';
import type { FormAnswers } from '../../src/fhir/questionnaireAnswers.ts';
import { ensureQuestionnaires } from '../../src/fhir/questionnairePublish.ts';
import { requestedScope } from '../../src/fhir/scopes.ts';
import { saveScreening } from '../../src/fhir/screeningWrite.ts';
import type { FhirTransport } from '../../src/fhir/transport.ts';
import { saveUrgentRedFlag } from '../../src/fhir/urgentRedFlagWrite.ts';
import { generateSeed } from '../../src/sandbox/seed/seed.ts';
import { failureOf, inProcessSandbox, type InProcessSandbox } from './support/inProcessSandbox.ts';

const SEED = generateSeed({ asOf: new Date('2026-03-16T21:00:00Z') }).resources;
const TRANSACTION = /^POST \/fhir\/?(\?|$)/;
const FINDINGS = 'http://fhir.clbp-pathway.org/CodeSystem/clbp-screening-findings';
const ANSWERS = 'http://fhir.clbp-pathway.org/CodeSystem/clbp-screening-answers';
const CONTEXT = { patientId: 'clbp-eligible', enterer: 'Practitioner/pcp-1', encounter: undefined };

let sandbox: InProcessSandbox;
let clinician: FhirTransport;

const signIn = (box: InProcessSandbox, extra: readonly string[] = []): FhirTransport =>
  box.transport({
    scopes: [...requestedScope('v2', 'ehr').split(' '), ...extra],
    patient: 'clbp-eligible',
    fhirUser: 'Practitioner/pcp-1',
  });

beforeEach(async () => {
  sandbox = await inProcessSandbox(SEED);
  clinician = signIn(sandbox);
});

const no = { kind: 'boolean', value: false } as const;
/** Back pain for 1–5 years, every day; no red flag; not pregnant; able to join by video. */
const SCREENING: FormAnswers = {
  'clbp-duration': { kind: 'coding', coding: { system: ANSWERS, code: '1-5-years' } },
  'clbp-frequency': { kind: 'coding', coding: { system: ANSWERS, code: 'every-day' } },
  'rf-urinary-retention-incontinence': no,
  'rf-saddle-anaesthesia': no,
  'rf-faecal-incontinence': no,
  'rf-bilateral-progressive-leg-weakness': no,
  'rf-progressive-neurological-deficit': no,
  'rf-cancer-or-weight-loss': no,
  'rf-fever-ivdu-immunosuppression': no,
  'rf-trauma': no,
  pregnant: no,
  'telehealth-able': { kind: 'boolean', value: true },
};

const derivedFrom = (o: Observation) => o.derivedFrom?.map((d) => d.reference);

describe('saving a screening', () => {
  it('stores the response and its findings, each derived from it; a retry stores nothing more', async () => {
    const screening = {
      submissionId: 'screen-1',
      context: CONTEXT,
      authored: '2026-03-16T10:00:00-06:00',
      answers: SCREENING,
    };
    sandbox.loseNextAnswer(TRANSACTION);
    expect((await failureOf(saveScreening(clinician, screening))).kind).toBe('network');
    const written = await saveScreening(clinician, screening);
    expect(written.status).toBe(200);

    const responses = await sandbox.storedWith<QuestionnaireResponse>(
      'QuestionnaireResponse',
      'screen-1',
    );
    expect(responses.map((r) => [r.id, r.status])).toEqual([[written.id, 'completed']]);
    const findings = (await sandbox.stored<Observation>('Observation')).filter((o) =>
      derivedFrom(o)?.includes(`QuestionnaireResponse/${written.id}`),
    );
    const byCode = new Map(findings.map((o) => [o.code.coding?.[0]?.code, o]));
    expect(findings).toHaveLength(3);
    // The Task Force definition met (≥ 3 months, at least half the days); no red flag present.
    expect(byCode.get('clbp-task-force-definition')?.code.coding?.[0]?.system).toBe(FINDINGS);
    expect(byCode.get('clbp-task-force-definition')?.valueBoolean).toBe(true);
    expect(byCode.get('low-back-pain-red-flags')?.valueBoolean).toBe(false);
    expect(byCode.get('82810-3')?.valueCodeableConcept?.coding?.[0]?.code).toBe('60001007');
  });
});

describe('an urgent red flag', () => {
  const cauda = RED_FLAGS.find((f) => f.linkId === 'rf-saddle-anaesthesia');

  it('is on the chart at once as a critical finding, once however often the form saves it', async () => {
    if (cauda === undefined) {
      throw new Error('the screening has no saddle anaesthesia question');
    }
    const urgent = {
      draftSubmissionId: 'draft-7',
      context: CONTEXT,
      authored: '2026-03-16T10:02:00-06:00',
      flag: cauda,
    };
    const [response] = await saveUrgentRedFlag(clinician, urgent);
    // The page is reloaded and the same answer saved again.
    await saveUrgentRedFlag(clinician, urgent);
    const stored = await sandbox.storedWith<QuestionnaireResponse>(
      'QuestionnaireResponse',
      'draft-7-rf-saddle-anaesthesia',
    );
    expect(stored.map((r) => [r.id, r.status])).toEqual([[response?.id, 'in-progress']]);
    const findings = (await sandbox.stored<Observation>('Observation')).filter((o) =>
      derivedFrom(o)?.includes(`QuestionnaireResponse/${response?.id ?? ''}`),
    );
    expect(findings.map((o) => [o.valueBoolean, o.interpretation?.[0]?.coding?.[0]?.code])).toEqual(
      [[true, 'AA']],
    );
  });
});

describe("a clinician's clearance of a red flag", () => {
  it('is read back by the chart as who cleared which finding on which record, with the note', async () => {
    const clearance = {
      submissionId: 'clear-1',
      context: { ...CONTEXT, patientId: 'clbp-red-flag' },
      authored: '2026-03-16T11:00:00-06:00',
      findings: [
        { redFlag: 'cancer-history', records: ['Condition/clbp-red-flag-prostate-cancer'] },
      ],
      note: 'Prostate cancer treated 2015, in remission; oncology agrees.',
    } as const;
    const redFlagPatient = sandbox.transport({
      scopes: requestedScope('v2', 'ehr').split(' '),
      patient: 'clbp-red-flag',
      fhirUser: 'Practitioner/pcp-1',
    });
    const written = await saveClearance(redFlagPatient, clearance);
    const again = await saveClearance(redFlagPatient, clearance);
    expect([written.status, again.status, again.id]).toEqual([201, 200, written.id]);

    const stored = (await redFlagPatient.json(`QuestionnaireResponse/${written.id}`, {
      label: 'read back',
    })) as QuestionnaireResponse;
    const reading = readClearanceResponse(stored);
    expect(reading.kind === 'clearance' && reading.clearance).toMatchObject({
      authored: '2026-03-16T11:00:00-06:00',
      author: 'Practitioner/pcp-1',
      note: 'Prostate cancer treated 2015, in remission; oncology agrees.',
      findings: [
        { redFlag: 'cancer-history', records: ['Condition/clbp-red-flag-prostate-cancer'] },
      ],
    });
  });
});

describe("publishing the app's Questionnaires", () => {
  const APP_CANONICALS = [
    'http://fhir.clbp-pathway.org/Questionnaire/peg|1.0.0',
    'http://fhir.clbp-pathway.org/Questionnaire/clbp-screening|1.1.0',
    'http://fhir.clbp-pathway.org/Questionnaire/clbp-red-flag-evaluation|1.0.0',
  ];
  const withoutQuestionnaires = SEED.filter((r) => r.resourceType !== 'Questionnaire');
  const canonicals = async (box: InProcessSandbox) =>
    (await box.stored<Questionnaire>('Questionnaire'))
      .map((q) => `${q.url ?? ''}|${q.version ?? ''}`)
      .sort();

  it('creates the missing ones once, even from two launches at the same moment', async () => {
    const empty = await inProcessSandbox(withoutQuestionnaires);
    const publisher = signIn(empty, ['user/Questionnaire.c']);
    const [a, b] = await Promise.all([
      ensureQuestionnaires(publisher, 'user/Questionnaire.c'),
      ensureQuestionnaires(signIn(empty, ['user/Questionnaire.c']), 'user/Questionnaire.c'),
    ]);
    expect([a.kind, b.kind]).toEqual(['created', 'created']);
    expect(await canonicals(empty)).toEqual([...APP_CANONICALS].sort());
    expect(await ensureQuestionnaires(publisher, 'user/Questionnaire.c')).toEqual({
      kind: 'on-ehr',
    });
  });

  it('without the grant to create them, says which are missing and writes nothing', async () => {
    const empty = await inProcessSandbox(withoutQuestionnaires);
    const status = await ensureQuestionnaires(signIn(empty), requestedScope('v2', 'ehr'));
    expect(status.kind === 'not-on-ehr' && [...status.missing].sort()).toEqual(
      [...APP_CANONICALS].sort(),
    );
    expect(await canonicals(empty)).toEqual([]);
  });
});
