/**
 * PEG administrations in the shapes an EHR may hold them (project clinical reference, "Reading
 * history"): our Questionnaire's response + a 91147-9 Observation derived from it; another
 * vendor's Questionnaire response alone; three item Observations without a score; a score
 * Observation without components.
 */
import type { Observation, Questionnaire, QuestionnaireResponse, Reference } from 'fhir/r4';
import {
  PEG_QUESTIONNAIRE_URL,
  PEG_QUESTIONNAIRE_VERSION,
  SUBMISSION_IDENTIFIER_SYSTEM,
} from '../../domain/codes/canonical.ts';
import { CLINIC_MINUTES, type Clock, instantAgo } from './clock.ts';
import {
  PEG_ITEMS,
  PEG_PANEL_LOINC,
  PEG_SCORE_LINK_ID,
  PEG_SCORE_LOINC,
  PEG_SCORE_UNIT,
  pegAnswerCodeFor,
  scorePeg,
} from '../../domain/peg/peg.ts';
import { SYSTEM } from './codes.ts';
import { PCP, ref } from './fhirBuilders.ts';
import type { Rng } from './prng.ts';

/** Pain, enjoyment, general activity: each an integer 0..10. */
export type PegAnswers = readonly [number, number, number];

export interface PegContext {
  clock: Clock;
  rng: Rng;
  patientId: string;
}

/** The stored score (2 decimals) of the domain's PEG scoring; throws on answers outside 0..10. */
export function pegScore(answers: PegAnswers): number {
  const score = scorePeg({ pain: answers[0], enjoyment: answers[1], activity: answers[2] });
  if (score.kind !== 'score') {
    throw new Error(`PEG answers must be integers 0..10, got ${answers.join(', ')}`);
  }
  return score.stored;
}

/** LOINC 91147-9 "Mean score [PEG]". */
const PEG_SCORE_DISPLAY = 'Mean score [PEG]';

const SURVEY = [
  { coding: [{ system: SYSTEM.observationCategory, code: 'survey', display: 'Survey' }] },
];
const scoreQuantity = (value: number) => ({ value, ...PEG_SCORE_UNIT });
const loinc = (code: string, display?: string) => ({
  coding: [{ system: SYSTEM.loinc, code, ...(display === undefined ? {} : { display }) }],
});

function answerCoding(value: number) {
  const code = pegAnswerCodeFor(value);
  if (code === undefined) {
    throw new Error(`No LOINC answer code for ${value}`);
  }
  return { system: SYSTEM.loinc, code, display: String(value) };
}

const when = (ctx: PegContext, daysAgo: number) =>
  instantAgo(ctx.clock, daysAgo, ctx.rng.int(CLINIC_MINUTES.first, CLINIC_MINUTES.last));

/**
 * A PEG recorded with the project's Questionnaire: the response and its 91147-9 Observation
 * (components, derivedFrom), each with a submission identifier as the app writes them.
 */
export function ourPeg(
  ctx: PegContext,
  ids: { response: string; observation: string },
  daysAgo: number,
  answers: PegAnswers,
  encounter?: Reference,
): [QuestionnaireResponse, Observation] {
  const authored = when(ctx, daysAgo);
  const score = pegScore(answers);
  const subject = ref('Patient', ctx.patientId);
  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    id: ids.response,
    identifier: { system: SUBMISSION_IDENTIFIER_SYSTEM, value: ctx.rng.uuid() },
    questionnaire: `${PEG_QUESTIONNAIRE_URL}|${PEG_QUESTIONNAIRE_VERSION}`,
    status: 'completed',
    subject,
    ...(encounter ? { encounter } : {}),
    authored,
    author: PCP,
    item: [
      ...PEG_ITEMS.map((item, i) => ({
        linkId: item.linkId,
        text: item.text,
        answer: [{ valueCoding: answerCoding(answers[i] ?? 0) }],
      })),
      { linkId: PEG_SCORE_LINK_ID, text: 'PEG score', answer: [{ valueDecimal: score }] },
    ],
  };
  const observation: Observation = {
    resourceType: 'Observation',
    id: ids.observation,
    identifier: [{ system: SUBMISSION_IDENTIFIER_SYSTEM, value: ctx.rng.uuid() }],
    status: 'final',
    category: SURVEY,
    code: { ...loinc(PEG_SCORE_LOINC, PEG_SCORE_DISPLAY), text: 'PEG score' },
    subject,
    ...(encounter ? { encounter } : {}),
    effectiveDateTime: authored,
    performer: [PCP],
    valueQuantity: scoreQuantity(score),
    derivedFrom: [ref('QuestionnaireResponse', ids.response)],
    component: PEG_ITEMS.map((item, i) => ({
      code: loinc(item.loinc),
      valueQuantity: scoreQuantity(answers[i] ?? 0),
    })),
  };
  return [response, observation];
}

/** Another EHR vendor's PEG form: different canonical and linkIds, LOINC codes on its items. */
export const FOREIGN_PEG_QUESTIONNAIRE: Questionnaire = {
  resourceType: 'Questionnaire',
  id: 'acme-peg-3',
  url: 'http://fhir.acme-ehr.example.org/Questionnaire/peg-3',
  version: '2.1',
  name: 'AcmePeg3',
  title: 'PEG 3-item pain scale (Acme EHR)',
  status: 'active',
  subjectType: ['Patient'],
  code: [{ system: SYSTEM.loinc, code: PEG_PANEL_LOINC }],
  item: PEG_ITEMS.map((item, i) => ({
    linkId: String(i + 1),
    code: [{ system: SYSTEM.loinc, code: item.loinc }],
    text: item.text,
    type: 'integer',
    required: true,
  })),
};

/** A PEG the patient completed on the other vendor's form (portal): a response, no Observation. */
export function foreignPeg(
  ctx: PegContext,
  id: string,
  daysAgo: number,
  answers: PegAnswers,
): QuestionnaireResponse {
  pegScore(answers);
  return {
    resourceType: 'QuestionnaireResponse',
    id,
    questionnaire: `${FOREIGN_PEG_QUESTIONNAIRE.url ?? ''}|${FOREIGN_PEG_QUESTIONNAIRE.version ?? ''}`,
    status: 'completed',
    subject: ref('Patient', ctx.patientId),
    authored: when(ctx, daysAgo),
    author: ref('Patient', ctx.patientId),
    source: ref('Patient', ctx.patientId),
    item: PEG_ITEMS.map((item, i) => ({
      linkId: String(i + 1),
      text: item.text,
      answer: [{ valueInteger: answers[i] ?? 0 }],
    })),
  };
}

/** The three items as separate Observations at one time, with no score. */
export function itemPegObservations(
  ctx: PegContext,
  idBase: string,
  daysAgo: number,
  answers: PegAnswers,
  valueAs: 'quantity' | 'integer',
  encounter?: Reference,
): Observation[] {
  pegScore(answers);
  const effectiveDateTime = when(ctx, daysAgo);
  return PEG_ITEMS.map((item, i) => {
    const value = answers[i] ?? 0;
    return {
      resourceType: 'Observation',
      id: `${idBase}-${String(i + 1)}`,
      status: 'final',
      category: SURVEY,
      code: { ...loinc(item.loinc), text: item.text },
      subject: ref('Patient', ctx.patientId),
      ...(encounter ? { encounter } : {}),
      effectiveDateTime,
      ...(valueAs === 'integer'
        ? { valueInteger: value }
        : { valueQuantity: scoreQuantity(value) }),
    };
  });
}

/** A 91147-9 score Observation with no components (e.g. a score typed into a flowsheet). */
export function scoreOnlyPeg(
  ctx: PegContext,
  id: string,
  daysAgo: number,
  answers: PegAnswers,
  encounter?: Reference,
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: SURVEY,
    code: { ...loinc(PEG_SCORE_LOINC, PEG_SCORE_DISPLAY), text: 'PEG score' },
    subject: ref('Patient', ctx.patientId),
    ...(encounter ? { encounter } : {}),
    effectiveDateTime: when(ctx, daysAgo),
    valueQuantity: scoreQuantity(pegScore(answers)),
  };
}
