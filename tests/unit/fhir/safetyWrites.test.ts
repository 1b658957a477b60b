/**
 * What the app writes for clinical safety, read back by the app's own readers: the urgent red-flag
 * record (an in-progress screening response and a finding Observation) and a clinician's
 * clearance (a response to the red-flag evaluation Questionnaire).
 */
import type { Observation, QuestionnaireItem, QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  RED_FLAG_EVALUATION_QUESTIONNAIRE_URL,
  RED_FLAG_EVALUATION_QUESTIONNAIRE_VERSION,
} from '../../../src/domain/codes/canonical.ts';
import {
  DOES_NOT_PRECLUDE,
  RED_FLAG_EVALUATION_LINK_IDS,
  readClearanceResponse,
} from '../../../src/domain/screening/clearance.ts';
import { RED_FLAGS, readScreeningResponse } from '../../../src/domain/screening/screening.ts';
import { clearanceResponse } from '../../../src/fhir/clearanceWrite.ts';
import { RED_FLAG_EVALUATION_QUESTIONNAIRE } from '../../../src/fhir/questionnaires.ts';
import { screeningEntries } from '../../../src/fhir/screeningWrite.ts';
import { urgentRecordEntries, urgentRecordId } from '../../../src/fhir/urgentRedFlagWrite.ts';
import { SCREENING_FINDING_CODE_SYSTEM } from '../../../src/domain/screening/findings.ts';

const flag = (key: string) => {
  const found = RED_FLAGS.find((f) => f.key === key);
  if (found === undefined) {
    throw new Error(key);
  }
  return found;
};

const context = { patientId: 'p1', enterer: 'Practitioner/pcp-1', encounter: 'Encounter/e1' };
const submission = {
  draftSubmissionId: '6f1c2a9e-0000-4000-8000-000000000001',
  context,
  authored: '2026-03-15T10:42:00-06:00',
};

/** The response and the red-flag finding of an urgent record's transaction. */
function record(key: string) {
  const [response, finding] = urgentRecordEntries({ ...submission, flag: flag(key) });
  const qr = response?.resource as QuestionnaireResponse | undefined;
  const observation = finding?.resource as Observation | undefined;
  if (
    response === undefined ||
    finding === undefined ||
    qr?.resourceType !== 'QuestionnaireResponse' ||
    observation?.resourceType !== 'Observation'
  ) {
    throw new Error('unexpected entries');
  }
  return { response, finding, qr, observation };
}

describe('the urgent red-flag record', () => {
  const saddle = record('saddleAnaesthesia');

  it('is an in-progress screening response holding only the urgent answer, read back as one', () => {
    expect(saddle.qr.status).toBe('in-progress');
    const reading = readScreeningResponse({ ...saddle.qr, id: 'u1' });
    expect(reading).toEqual({
      kind: 'screening',
      answers: {
        redFlags: { saddleAnaesthesia: true },
        source: 'QuestionnaireResponse/u1',
        authored: submission.authored,
      },
    });
  });

  it("is the screening's red-flag finding, critical abnormal, derived from that response", () => {
    expect(saddle.observation).toMatchObject({
      status: 'final',
      category: [{ coding: [{ code: 'survey' }] }],
      code: {
        coding: [{ system: SCREENING_FINDING_CODE_SYSTEM, code: 'low-back-pain-red-flags' }],
      },
      subject: { reference: 'Patient/p1' },
      encounter: { reference: 'Encounter/e1' },
      effectiveDateTime: submission.authored,
      performer: [{ reference: 'Practitioner/pcp-1' }],
      valueBoolean: true,
      interpretation: [{ coding: [{ code: 'AA', display: 'Critical abnormal' }] }],
      component: [{ code: { text: 'Saddle anaesthesia' }, valueBoolean: true }],
      derivedFrom: [{ reference: saddle.response.fullUrl }],
    });
  });

  it('marks a progressive neurological deficit abnormal (urgent), not critical', () => {
    const deficit = record('progressiveNeurologicalDeficit');
    expect(deficit.observation.interpretation?.[0]?.coding?.[0]?.code).toBe('A');
  });

  it('is keyed on the screening draft and the question, so a retry or reload writes it once', () => {
    const again = record('saddleAnaesthesia');
    const id = urgentRecordId(submission.draftSubmissionId, flag('saddleAnaesthesia'));
    expect(id).toBe(`${submission.draftSubmissionId}-rf-saddle-anaesthesia`);
    expect(again.qr.identifier?.value).toBe(id);
    expect(again.response.request?.ifNoneExist).toContain(id);
    expect(again.finding.request?.ifNoneExist).toContain(`${id}.red-flags`);
  });

  it('gives a full screening with a cauda equina "yes" the same critical interpretation', () => {
    const answers = Object.fromEntries(
      RED_FLAGS.map((f) => [
        f.linkId,
        { kind: 'boolean' as const, value: f.key === 'faecalIncontinence' },
      ]),
    );
    const entries = screeningEntries({
      submissionId: 's1',
      context,
      authored: submission.authored,
      answers,
    });
    const finding = entries
      .filter((e) => e.resource?.resourceType === 'Observation')
      .map((e) => e.resource as Observation)
      .find((r) => r.code.coding?.[0]?.code === 'low-back-pain-red-flags');
    expect(finding).toMatchObject({ interpretation: [{ coding: [{ code: 'AA' }] }] });
  });
});

describe("a clinician's clearance", () => {
  it('round-trips through the reader: who, when, which finding and records, the note', () => {
    const written = clearanceResponse({
      submissionId: 'c1',
      context,
      authored: submission.authored,
      note: '  Treated 2020.  ',
      findings: [
        { redFlag: 'cancer-history', records: ['Condition/prostate'] },
        { redFlag: 'cancerOrWeightLoss', records: ['QuestionnaireResponse/s1'] },
      ],
    });
    expect(readClearanceResponse({ ...written, id: 'clear-1' })).toEqual({
      kind: 'clearance',
      clearance: {
        source: 'QuestionnaireResponse/clear-1',
        authored: submission.authored,
        author: 'Practitioner/pcp-1',
        authorName: undefined,
        note: 'Treated 2020.',
        findings: [
          { redFlag: 'cancer-history', records: ['Condition/prostate'] },
          { redFlag: 'cancerOrWeightLoss', records: ['QuestionnaireResponse/s1'] },
        ],
      },
    });
  });
});

describe('questionnaires/clbp-red-flag-evaluation.json', () => {
  const linkIds = (items: readonly QuestionnaireItem[] | undefined): string[] =>
    (items ?? []).flatMap((item) => [item.linkId, ...linkIds(item.item)]);

  it('is the Questionnaire the clearance cites, with the linkIds the reader expects', () => {
    expect(RED_FLAG_EVALUATION_QUESTIONNAIRE.url).toBe(RED_FLAG_EVALUATION_QUESTIONNAIRE_URL);
    expect(RED_FLAG_EVALUATION_QUESTIONNAIRE.version).toBe(
      RED_FLAG_EVALUATION_QUESTIONNAIRE_VERSION,
    );
    expect(linkIds(RED_FLAG_EVALUATION_QUESTIONNAIRE.item).sort()).toEqual(
      Object.values(RED_FLAG_EVALUATION_LINK_IDS).sort(),
    );
  });

  it('offers exactly the one outcome a clearance records', () => {
    const outcome = RED_FLAG_EVALUATION_QUESTIONNAIRE.item?.find(
      (i) => i.linkId === RED_FLAG_EVALUATION_LINK_IDS.outcome,
    );
    expect(outcome?.answerOption?.map((o) => o.valueCoding)).toEqual([{ ...DOES_NOT_PRECLUDE }]);
  });
});
