import type { QuestionnaireResponse } from 'fhir/r4';
import { SCREENING_ANSWER_CODE_SYSTEM, SCREENING_QUESTIONNAIRE_URL } from '../codes/canonical.ts';
import { flattenResponse } from '../fhir-primitives/questionnaires.ts';

/**
 * Screening for chronic low back pain: the NIH Research Task Force two questions (Deyo et al.,
 * "Report of the NIH Task Force on research standards for chronic low back pain", Spine
 * 2014;39(14):1128-43) and the red flags of the project's clinical reference. The linkIds are
 * the contract with questionnaires/clbp-screening.json; nothing else may spell them.
 */
export const SCREENING_LINK_IDS = {
  taskForceGroup: 'clbp-task-force',
  duration: 'clbp-duration',
  frequency: 'clbp-frequency',
  redFlagGroup: 'red-flags',
  caudaEquinaGroup: 'red-flags-cauda-equina',
  programmeGroup: 'programme',
  pregnant: 'pregnant',
  telehealthAble: 'telehealth-able',
} as const;

export const DURATION_QUESTION = 'How long has low back pain been an ongoing problem for you?';
export const FREQUENCY_QUESTION =
  'How often has low back pain been an ongoing problem for you over the past 6 months?';

/** Task Force Q1 answers; `chronic` = ongoing for at least 3 months (Deyo 2014). */
export const DURATION_ANSWERS = [
  { code: 'lt-1-month', display: '< 1 month', chronic: false },
  { code: '1-3-months', display: '1–3 months', chronic: false },
  { code: '3-6-months', display: '3–6 months', chronic: true },
  { code: '6-12-months', display: '6–12 months', chronic: true },
  { code: '1-5-years', display: '1–5 years', chronic: true },
  { code: 'gt-5-years', display: '> 5 years', chronic: true },
] as const;

/** Task Force Q2 answers; `atLeastHalf` = on at least half the days of the past 6 months. */
export const FREQUENCY_ANSWERS = [
  { code: 'every-day', display: 'Every day or nearly every day', atLeastHalf: true },
  { code: 'at-least-half', display: 'At least half the days', atLeastHalf: true },
  { code: 'less-than-half', display: 'Less than half the days', atLeastHalf: false },
] as const;

export type DurationCode = (typeof DURATION_ANSWERS)[number]['code'];
export type FrequencyCode = (typeof FREQUENCY_ANSWERS)[number]['code'];

export type RedFlagKey =
  | 'urinaryRetentionOrIncontinence'
  | 'saddleAnaesthesia'
  | 'faecalIncontinence'
  | 'bilateralOrProgressiveLegWeakness'
  | 'progressiveNeurologicalDeficit'
  | 'cancerOrWeightLoss'
  | 'feverIvDrugUseOrImmunosuppression'
  | 'trauma';

export interface RedFlag {
  readonly key: RedFlagKey;
  readonly linkId: string;
  readonly text: string;
  /** Cauda equina signs make the clinician evaluation urgent (clinical.md). */
  readonly caudaEquina: boolean;
}

/** Red flags, cauda equina signs first. Source: clinical.md "Red flags" (prompts, not diagnoses). */
export const RED_FLAGS: readonly RedFlag[] = [
  {
    key: 'urinaryRetentionOrIncontinence',
    linkId: 'rf-urinary-retention-incontinence',
    text: 'New urinary retention or incontinence',
    caudaEquina: true,
  },
  {
    key: 'saddleAnaesthesia',
    linkId: 'rf-saddle-anaesthesia',
    text: 'Saddle anaesthesia',
    caudaEquina: true,
  },
  {
    key: 'faecalIncontinence',
    linkId: 'rf-faecal-incontinence',
    text: 'Faecal incontinence',
    caudaEquina: true,
  },
  {
    key: 'bilateralOrProgressiveLegWeakness',
    linkId: 'rf-bilateral-progressive-leg-weakness',
    text: 'Bilateral or progressive leg weakness',
    caudaEquina: true,
  },
  {
    key: 'progressiveNeurologicalDeficit',
    linkId: 'rf-progressive-neurological-deficit',
    text: 'Progressive neurological deficit',
    caudaEquina: false,
  },
  {
    key: 'cancerOrWeightLoss',
    linkId: 'rf-cancer-or-weight-loss',
    text: 'History of cancer or unexplained weight loss',
    caudaEquina: false,
  },
  {
    key: 'feverIvDrugUseOrImmunosuppression',
    linkId: 'rf-fever-ivdu-immunosuppression',
    text: 'Fever, IV drug use or immunosuppression',
    caudaEquina: false,
  },
  {
    key: 'trauma',
    linkId: 'rf-trauma',
    text: 'Major trauma, or minor trauma with osteoporosis or long-term steroids',
    caudaEquina: false,
  },
];

/** Answers of one screening; `undefined` = not answered. */
export interface ScreeningAnswers {
  readonly duration?: DurationCode | undefined;
  readonly frequency?: FrequencyCode | undefined;
  readonly redFlags: Readonly<Partial<Record<RedFlagKey, boolean | undefined>>>;
  readonly pregnant?: boolean | undefined;
  readonly telehealthAble?: boolean | undefined;
  /** 'QuestionnaireResponse/id' of the response the answers came from, when known. */
  readonly source?: string | undefined;
  readonly authored?: string | undefined;
}

export type TaskForceResult =
  | { kind: 'clbp' }
  | { kind: 'not-clbp'; reasons: ('under-3-months' | 'less-than-half-the-days')[] }
  | { kind: 'needs-screening'; unanswered: ('duration' | 'frequency')[] };

/**
 * NIH Task Force definition: CLBP = low back pain ongoing for at least 3 months AND on at least
 * half the days of the past 6 months. A "no" on either answered question decides "not CLBP" even
 * if the other is unanswered; otherwise an unanswered question means "needs screening".
 */
export function classifyTaskForce(
  duration: DurationCode | undefined,
  frequency: FrequencyCode | undefined,
): TaskForceResult {
  const durationAnswer = DURATION_ANSWERS.find((answer) => answer.code === duration);
  const frequencyAnswer = FREQUENCY_ANSWERS.find((answer) => answer.code === frequency);
  const reasons: ('under-3-months' | 'less-than-half-the-days')[] = [];
  if (durationAnswer !== undefined && !durationAnswer.chronic) {
    reasons.push('under-3-months');
  }
  if (frequencyAnswer !== undefined && !frequencyAnswer.atLeastHalf) {
    reasons.push('less-than-half-the-days');
  }
  if (reasons.length > 0) {
    return { kind: 'not-clbp', reasons };
  }
  const unanswered: ('duration' | 'frequency')[] = [];
  if (durationAnswer === undefined) {
    unanswered.push('duration');
  }
  if (frequencyAnswer === undefined) {
    unanswered.push('frequency');
  }
  return unanswered.length > 0 ? { kind: 'needs-screening', unanswered } : { kind: 'clbp' };
}

export type RedFlagResult =
  | { kind: 'none' }
  | { kind: 'positive'; flags: RedFlag[]; urgent: boolean; unanswered: RedFlag[] }
  | { kind: 'needs-screening'; unanswered: RedFlag[] };

/**
 * Any positive red flag → clinician evaluation (urgent when it is a cauda equina sign), whatever
 * else is unanswered; all answered "no" → none; otherwise → needs screening.
 */
export function evaluateRedFlags(answers: ScreeningAnswers['redFlags']): RedFlagResult {
  const flags = RED_FLAGS.filter((flag) => answers[flag.key] === true);
  const unanswered = RED_FLAGS.filter((flag) => answers[flag.key] === undefined);
  if (flags.length > 0) {
    return { kind: 'positive', flags, urgent: flags.some((flag) => flag.caudaEquina), unanswered };
  }
  return unanswered.length > 0 ? { kind: 'needs-screening', unanswered } : { kind: 'none' };
}

export type ScreeningReading =
  | { kind: 'screening'; answers: ScreeningAnswers }
  | { kind: 'not-screening'; reason: string }
  | { kind: 'invalid'; problems: string[] };

/**
 * Reads a QuestionnaireResponse to the CLBP screening Questionnaire (any version) into answers.
 * Unanswered items stay undefined; a coded answer outside the project CodeSystem is a problem.
 */
export function readScreeningResponse(response: QuestionnaireResponse): ScreeningReading {
  const canonical = response.questionnaire?.split('|')[0];
  if (canonical !== SCREENING_QUESTIONNAIRE_URL) {
    return {
      kind: 'not-screening',
      reason: `answers ${response.questionnaire ?? 'no Questionnaire'}`,
    };
  }
  // 'in-progress': the record of an urgent answer saved before the form was finished; its answers
  // were given, so they count (each answer is dated by its response, newest wins).
  if (!['completed', 'amended', 'in-progress'].includes(response.status)) {
    return { kind: 'not-screening', reason: `status ${response.status}` };
  }
  const byLinkId = new Map(
    flattenResponse(response.item).map((item) => [item.linkId, item.answer?.[0]]),
  );
  const problems: string[] = [];
  const code = <T extends { code: string }>(
    linkId: string,
    options: readonly T[],
  ): T['code'] | undefined => {
    const coding = byLinkId.get(linkId)?.valueCoding;
    if (coding === undefined) {
      return undefined;
    }
    const option = options.find(
      (o) => coding.system === SCREENING_ANSWER_CODE_SYSTEM && o.code === coding.code,
    );
    if (option === undefined) {
      problems.push(
        `${linkId}: ${coding.system ?? '?'}|${coding.code ?? '?'} is not one of its answers`,
      );
    }
    return option?.code;
  };
  const bool = (linkId: string): boolean | undefined => byLinkId.get(linkId)?.valueBoolean;
  const redFlags: Partial<Record<RedFlagKey, boolean>> = {};
  for (const flag of RED_FLAGS) {
    const value = bool(flag.linkId);
    if (value !== undefined) {
      redFlags[flag.key] = value;
    }
  }
  const duration = code(SCREENING_LINK_IDS.duration, DURATION_ANSWERS);
  const frequency = code(SCREENING_LINK_IDS.frequency, FREQUENCY_ANSWERS);
  const pregnant = bool(SCREENING_LINK_IDS.pregnant);
  const telehealthAble = bool(SCREENING_LINK_IDS.telehealthAble);
  if (problems.length > 0) {
    return { kind: 'invalid', problems };
  }
  return {
    kind: 'screening',
    answers: {
      redFlags,
      ...(duration === undefined ? {} : { duration }),
      ...(frequency === undefined ? {} : { frequency }),
      ...(pregnant === undefined ? {} : { pregnant }),
      ...(telehealthAble === undefined ? {} : { telehealthAble }),
      ...(response.id === undefined ? {} : { source: `QuestionnaireResponse/${response.id}` }),
      ...(response.authored === undefined ? {} : { authored: response.authored }),
    },
  };
}

/**
 * The answers of every completed screening among `responses` (responses to other Questionnaires
 * are ignored), newest first by authored.
 */
export function readScreenings(responses: readonly QuestionnaireResponse[]): ScreeningAnswers[] {
  return responses
    .map((response) => readScreeningResponse(response))
    .flatMap((reading) => (reading.kind === 'screening' ? [reading.answers] : []))
    .sort((a, b) => (b.authored ?? '').localeCompare(a.authored ?? ''));
}
