/**
 * The PEG save against the sandbox's own FHIR engine, in process: what a clinician or a patient
 * relies on when they press Save. The record is read back as the EHR stores it; a retry after a
 * lost answer or a failed save leaves one record; a second tab with other answers is refused; a
 * race with the request being closed leaves nothing half-written. Expected values are written out
 * here, from the form's answers, never computed by the code under test.
 */
import type { Observation, QuestionnaireResponse, Task } from 'fhir/r4';
import { beforeEach, describe, expect, it } from 'vitest';
import { nextStep } from '../../src/fhir/errors.ts';
import { savePeg, saveRequestedPeg, type PegSubmission } from '../../src/fhir/pegWrite.ts';
import { PEG_QUESTIONNAIRE } from '../../src/fhir/questionnaires.ts';
import { patientSelfScope, requestedScope } from '../../src/fhir/scopes.ts';
import type { FhirTransport } from '../../src/fhir/transport.ts';
import { generateSeed } from '../../src/sandbox/seed/seed.ts';
import { failureOf, inProcessSandbox, type InProcessSandbox } from './support/inProcessSandbox.ts';

const SEED = generateSeed({ asOf: new Date('2026-03-16T21:00:00Z') }).resources;
const TRANSACTION = /^POST \/fhir\/?(\?|$)/;
const SUBMISSION_SYSTEM = 'http://fhir.clbp-pathway.org/identifier/submission';

const LOINC = 'http://loinc.org';
/** The form's answers: pain 6, enjoyment 7, activity 4 (LOINC answer codes of the PEG). */
const ANSWERS = {
  'peg-pain': { kind: 'coding', coding: { system: LOINC, code: 'LA10138-8', display: '6' } },
  'peg-enjoyment': { kind: 'coding', coding: { system: LOINC, code: 'LA10139-6', display: '7' } },
  'peg-activity': { kind: 'coding', coding: { system: LOINC, code: 'LA6115-5', display: '4' } },
} as const;

function submission(patientId: string, enterer: string, submissionId: string): PegSubmission {
  return {
    submissionId,
    context: { patientId, enterer, encounter: undefined },
    authored: '2026-03-16T10:00:00-06:00',
    answers: ANSWERS,
    items: { pain: 6, enjoyment: 7, activity: 4 },
    // (6 + 7 + 4) / 3 = 5.666…, stored to two decimals.
    score: 5.67,
  };
}

let sandbox: InProcessSandbox;
let clinician: FhirTransport;

beforeEach(async () => {
  sandbox = await inProcessSandbox(SEED);
  clinician = sandbox.transport({
    scopes: requestedScope('v2', 'ehr').split(' '),
    patient: 'clbp-eligible',
    fhirUser: 'Practitioner/pcp-1',
  });
});

describe("a clinician's PEG save", () => {
  it('is stored as the response and the 91147-9 score, read back with what was entered', async () => {
    const saved = await savePeg(
      clinician,
      submission('clbp-eligible', 'Practitioner/pcp-1', 'peg-1'),
      PEG_QUESTIONNAIRE,
    );
    expect([saved.questionnaireResponse.status, saved.observation.status]).toEqual([201, 201]);

    const response = (await clinician.json(
      `QuestionnaireResponse/${saved.questionnaireResponse.id}`,
      { label: 'read back' },
    )) as QuestionnaireResponse;
    expect(response.identifier).toEqual({ system: SUBMISSION_SYSTEM, value: 'peg-1' });
    expect(response.subject?.reference).toBe('Patient/clbp-eligible');
    expect(response.author?.reference).toBe('Practitioner/pcp-1');
    expect(response.source?.reference).toBe('Patient/clbp-eligible');
    expect(response.questionnaire).toBe('http://fhir.clbp-pathway.org/Questionnaire/peg|1.0.0');
    expect(
      response.item?.map((i) => [
        i.linkId,
        i.answer?.[0]?.valueCoding?.code ?? i.answer?.[0]?.valueDecimal,
      ]),
    ).toEqual([
      ['peg-pain', 'LA10138-8'],
      ['peg-enjoyment', 'LA10139-6'],
      ['peg-activity', 'LA6115-5'],
      ['peg-score', 5.67],
    ]);

    const observation = (await clinician.json(`Observation/${saved.observation.id}`, {
      label: 'read back',
    })) as Observation;
    expect(observation.code.coding?.[0]).toMatchObject({ system: LOINC, code: '91147-9' });
    expect(observation.valueQuantity?.value).toBe(5.67);
    expect(
      observation.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value]),
    ).toEqual([
      ['75893-8', 6],
      ['91145-3', 7],
      ['91146-1', 4],
    ]);
    expect(observation.performer).toEqual([{ reference: 'Patient/clbp-eligible' }]);
    expect(observation.effectiveDateTime).toBe('2026-03-16T10:00:00-06:00');
    // The transaction's urn:uuid became the stored response's reference.
    expect(observation.derivedFrom).toEqual([
      { reference: `QuestionnaireResponse/${saved.questionnaireResponse.id}` },
    ]);
  });

  it('saved again after the answer was lost finds the first records and creates none', async () => {
    const peg = submission('clbp-eligible', 'Practitioner/pcp-1', 'peg-lost');
    sandbox.loseNextAnswer(TRANSACTION);
    const lost = await failureOf(savePeg(clinician, peg, PEG_QUESTIONNAIRE));
    expect(lost.kind).toBe('network');

    const retried = await savePeg(clinician, peg, PEG_QUESTIONNAIRE);
    expect([retried.questionnaireResponse.status, retried.observation.status]).toEqual([200, 200]);
    expect(await sandbox.storedWith('QuestionnaireResponse', 'peg-lost')).toHaveLength(1);
    expect(await sandbox.storedWith('Observation', 'peg-lost')).toHaveLength(1);
  });

  it('refused by the EHR (500) stores nothing, and the retry stores it once', async () => {
    const peg = submission('clbp-eligible', 'Practitioner/pcp-1', 'peg-500');
    sandbox.faults.failNext({ status: 500, match: TRANSACTION });
    const failed = await failureOf(savePeg(clinician, peg, PEG_QUESTIONNAIRE));
    expect([failed.kind, failed.status]).toEqual(['server', 500]);
    expect(await sandbox.storedWith('QuestionnaireResponse', 'peg-500')).toEqual([]);
    expect(await sandbox.storedWith('Observation', 'peg-500')).toEqual([]);

    const saved = await savePeg(clinician, peg, PEG_QUESTIONNAIRE);
    expect([saved.questionnaireResponse.status, saved.observation.status]).toEqual([201, 201]);
    expect(await sandbox.storedWith('Observation', 'peg-500')).toHaveLength(1);
  });

  it('from a second tab with other answers under the same submission is a conflict, not "saved"', async () => {
    const peg = submission('clbp-eligible', 'Practitioner/pcp-1', 'peg-tabs');
    await savePeg(clinician, peg, PEG_QUESTIONNAIRE);
    const otherTab: PegSubmission = {
      ...peg,
      answers: {
        ...ANSWERS,
        'peg-pain': { kind: 'coding', coding: { system: LOINC, code: 'LA10140-4', display: '8' } },
      },
      items: { pain: 8, enjoyment: 7, activity: 4 },
      score: 6.33,
    };
    const conflict = await failureOf(savePeg(clinician, otherTab, PEG_QUESTIONNAIRE));
    expect(conflict.kind).toBe('conflict');
    expect(conflict.message).toContain(
      'already holds a record of this submission with other answers',
    );
    const [stored] = await sandbox.storedWith<Observation>('Observation', 'peg-tabs');
    expect(stored?.valueQuantity?.value).toBe(5.67);
  });
});

describe("a patient's answer to the programme's PEG request", () => {
  const REQUEST = 'referred-followup-peg-request-month6';
  let patient: FhirTransport;

  beforeEach(() => {
    patient = sandbox.transport({
      scopes: patientSelfScope('v2', 'ehr').split(' '),
      patient: 'referred-followup',
      fhirUser: 'Patient/referred-followup',
    });
  });

  const readRequest = async (): Promise<Task> =>
    (await patient.json(`Task/${REQUEST}`, { label: 'read' })) as Task;

  it('completes the request with the response and the score as its output', async () => {
    const saved = await saveRequestedPeg(
      patient,
      submission('referred-followup', 'Patient/referred-followup', 'self-1'),
      PEG_QUESTIONNAIRE,
      REQUEST,
    );
    const task = await readRequest();
    expect(task.status).toBe('completed');
    expect(task.output?.map((o) => o.valueReference?.reference)).toEqual([
      `QuestionnaireResponse/${saved.questionnaireResponse.id}`,
      `Observation/${saved.observation.id}`,
    ]);
    const response = (await patient.json(
      `QuestionnaireResponse/${saved.questionnaireResponse.id}`,
      { label: 'read back' },
    )) as QuestionnaireResponse;
    expect(response.author?.reference).toBe('Patient/referred-followup');
  });

  it('retried after a lost answer finds the request completed and adds nothing', async () => {
    const peg = submission('referred-followup', 'Patient/referred-followup', 'self-lost');
    sandbox.loseNextAnswer(TRANSACTION);
    expect((await failureOf(saveRequestedPeg(patient, peg, PEG_QUESTIONNAIRE, REQUEST))).kind).toBe(
      'network',
    );
    const version = (await readRequest()).meta?.versionId;
    const retried = await saveRequestedPeg(patient, peg, PEG_QUESTIONNAIRE, REQUEST);
    expect(retried.observation.status).toBe(200);
    expect((await readRequest()).meta?.versionId).toBe(version);
    expect(await sandbox.storedWith('QuestionnaireResponse', 'self-lost')).toHaveLength(1);
  });

  it('closed by the staff between the read and the save leaves nothing half-written; the retry saves the PEG', async () => {
    const stale = await readRequest();
    // Staff record the PEG by phone meanwhile: the request moves on to a new version.
    const staff = sandbox.transport({
      scopes: ['user/Task.cruds'],
      fhirUser: 'Practitioner/coordinator-1',
    });
    await staff.json(`Task/${REQUEST}`, {
      label: 'close',
      method: 'PUT',
      body: { ...stale, status: 'cancelled', statusReason: { text: 'taken by phone' } },
    });

    const peg = submission('referred-followup', 'Patient/referred-followup', 'self-race');
    const failed = await failureOf(savePeg(patient, { ...peg, request: stale }, PEG_QUESTIONNAIRE));
    // What the form shows: someone changed the record; nothing was overwritten.
    expect([failed.kind, failed.status]).toEqual(['changed', 412]);
    expect(nextStep(failed.kind)).toContain('nothing was overwritten');
    // The transaction is all or nothing: no response and no score without the request's update.
    expect(await sandbox.storedWith('QuestionnaireResponse', 'self-race')).toEqual([]);
    expect(await sandbox.storedWith('Observation', 'self-race')).toEqual([]);

    // The form's retry reads the request again: closed, so the PEG is saved and the request left.
    const saved = await saveRequestedPeg(patient, peg, PEG_QUESTIONNAIRE, REQUEST);
    expect(saved.observation.status).toBe(201);
    expect((await readRequest()).status).toBe('cancelled');
  });
});
