import { conditionsMatching, lowBackPainChart } from './chartEvidence.ts';
import { CONDITION_LIST_LABELS } from '../codes/codeLists.ts';
import { PREGNANCY_CODES } from '../codes/pregnancy.ts';
import {
  CANCER_HISTORY_CODES,
  IMMUNOSUPPRESSION_CODES,
  IV_DRUG_USE_CODES,
  LONG_TERM_STEROID_CODES,
  METASTATIC_CANCER_CODES,
  OSTEOPOROSIS_CODES,
  SPINAL_TRAUMA_CODES,
} from '../codes/redFlagConditions.ts';
import type {
  CriterionId,
  CriterionStatus,
  EligibilityInput,
  Evidence,
  Finding,
} from './eligibility.ts';
import type { EligibilityConfig } from './eligibilityConfig.ts';
import { localDayOf } from '../fhir-primitives/dates.ts';
import { RED_FLAGS, SCREENING_LINK_IDS, classifyTaskForce, evaluateRedFlags } from './screening.ts';
import type { ScreeningAnswers } from './screening.ts';

/** The criteria of programme eligibility, one function each; eligibility.ts combines them. */

const finding = (
  criterion: CriterionId,
  status: CriterionStatus,
  message: string,
  evidence: readonly Evidence[] = [],
  urgent = false,
): Finding => ({ criterion, status, message, evidence, urgent });

function answer(
  screening: ScreeningAnswers | undefined,
  linkId: string,
  value: string | boolean | undefined,
): Evidence[] {
  return value === undefined
    ? []
    : [{ kind: 'screening-answer', linkId, answer: value, response: screening?.source }];
}

/** The Task Force questions in the clinician's words (screening.ts keys them 'duration'/'frequency'). */
const TASK_FORCE_QUESTION_LABELS: Readonly<Record<'duration' | 'frequency', string>> = {
  duration: 'how long low back pain has been a problem',
  frequency: 'how often in the past 6 months',
};

/** Whole years between a (possibly partial) birth date and a day, lowest and highest possible. */
function ageRange(birthDate: string, asOf: Date): { min: number; max: number } | undefined {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(birthDate);
  if (match === null) {
    return undefined;
  }
  const [year, month, day] = localDayOf(asOf).split('-').map(Number) as [number, number, number];
  const age = (y: number, m: number, d: number): number =>
    year - y - (month < m || (month === m && day < d) ? 1 : 0);
  const y = Number(match[1]);
  const earliest: [number, number] =
    match[2] === undefined ? [1, 1] : [Number(match[2]), Number(match[3] ?? 1)];
  const latest: [number, number] =
    match[2] === undefined ? [12, 31] : [Number(match[2]), Number(match[3] ?? 31)];
  return { min: age(y, ...latest), max: age(y, ...earliest) };
}

export function adult(input: EligibilityInput, config: EligibilityConfig): Finding {
  if (input.birthDate === undefined) {
    return finding('adult', 'unknown', 'No birth date on record: age cannot be checked.');
  }
  const evidence: Evidence[] = [{ kind: 'birth-date', birthDate: input.birthDate }];
  const range = ageRange(input.birthDate, input.asOf);
  if (range === undefined) {
    return finding('adult', 'unknown', `Birth date "${input.birthDate}" cannot be read.`, evidence);
  }
  if (range.min >= config.minAgeYears) {
    return finding('adult', 'met', `Aged ${range.min} (at least ${config.minAgeYears}).`, evidence);
  }
  if (range.max < config.minAgeYears) {
    return finding('adult', 'not-met', `Aged ${range.max}: under ${config.minAgeYears}.`, evidence);
  }
  return finding(
    'adult',
    'unknown',
    `Partial birth date: may be under ${config.minAgeYears}.`,
    evidence,
  );
}

/**
 * CLBP by the Task Force definition. The screening answers decide. The chart can stand in for
 * question 1 only (duration): a current low back pain Condition with a chronic code, a chronic
 * pain code alongside, or onset ≥ chronicMonths ago. No code says "at least half the days", so
 * question 2 always needs an answer. A "no" answer is not overridden by the chart.
 */
export function chronicLowBackPain(input: EligibilityInput, config: EligibilityConfig): Finding {
  const { screening } = input;
  const chart = lowBackPainChart(input.conditions, config.chronicMonths, input.asOf);
  const answers = [
    ...answer(screening, SCREENING_LINK_IDS.duration, screening?.duration),
    ...answer(screening, SCREENING_LINK_IDS.frequency, screening?.frequency),
  ];
  const taskForce = classifyTaskForce(screening?.duration, screening?.frequency);
  switch (taskForce.kind) {
    case 'clbp':
      return finding(
        'chronic-low-back-pain',
        'met',
        'Low back pain for ≥ 3 months on at least half the days (NIH Task Force).',
        [...answers, ...chart.lowBackPain],
      );
    case 'not-clbp':
      return finding(
        'chronic-low-back-pain',
        'not-met',
        taskForce.reasons.includes('under-3-months')
          ? 'Low back pain for less than 3 months: not chronic by the NIH Task Force definition.'
          : 'Low back pain on less than half the days of the past 6 months: not chronic by the NIH Task Force definition.',
        answers,
      );
    case 'needs-screening': {
      const onlyDuration =
        taskForce.unanswered.length === 1 && taskForce.unanswered[0] === 'duration';
      if (onlyDuration && chart.chronic.length > 0) {
        return finding(
          'chronic-low-back-pain',
          'met',
          `Chart shows low back pain for ≥ ${config.chronicMonths} months; present on at least half the days (NIH Task Force).`,
          [...answers, ...chart.chronic],
        );
      }
      const chartNote =
        chart.chronic.length > 0
          ? ' The chart supports the duration; the frequency question still needs an answer.'
          : '';
      return finding(
        'chronic-low-back-pain',
        'unknown',
        `Ask the NIH Task Force questions (${taskForce.unanswered.map((q) => TASK_FORCE_QUESTION_LABELS[q]).join('; ')}).${chartNote}`,
        [...answers, ...chart.chronic],
      );
    }
  }
}

export function painInterference(input: EligibilityInput, config: EligibilityConfig): Finding {
  const peg = input.latestPeg;
  if (peg === undefined) {
    return finding('pain-interference', 'unknown', 'No PEG on record: record a PEG.');
  }
  const evidence: Evidence[] = [
    { kind: 'peg', date: peg.date, score: peg.score, sources: peg.sources },
  ];
  return peg.score >= config.minPeg
    ? finding(
        'pain-interference',
        'met',
        `Latest PEG ${peg.score.toFixed(2)} (≥ ${config.minPeg}).`,
        evidence,
      )
    : finding(
        'pain-interference',
        'not-met',
        `Latest PEG ${peg.score.toFixed(2)} is below ${config.minPeg}.`,
        evidence,
      );
}

export function redFlags(input: EligibilityInput): Finding[] {
  const { screening, conditions } = input;
  const findings: Finding[] = [];
  const reported = evaluateRedFlags(screening?.redFlags ?? {});
  if (reported.kind === 'positive') {
    const evidence = reported.flags.flatMap((flag) => answer(screening, flag.linkId, true));
    const names = reported.flags.map((flag) => flag.text).join('; ');
    const message = reported.urgent
      ? `Possible cauda equina syndrome (${names}): urgent clinician evaluation.`
      : `Red flag reported (${names}): clinician evaluation needed.`;
    findings.push(finding('no-red-flags', 'evaluate', message, evidence, reported.urgent));
  }
  const chart = [
    ...conditionsMatching(conditions, CANCER_HISTORY_CODES, 'cancer-history', false),
    ...conditionsMatching(conditions, IMMUNOSUPPRESSION_CODES, 'immunosuppression', true),
    ...conditionsMatching(conditions, IV_DRUG_USE_CODES, 'iv-drug-use', true),
    ...conditionsMatching(conditions, SPINAL_TRAUMA_CODES, 'spinal-trauma', true),
  ];
  if (chart.length > 0) {
    const context = [
      ...conditionsMatching(conditions, OSTEOPOROSIS_CODES, 'osteoporosis', true),
      ...conditionsMatching(conditions, LONG_TERM_STEROID_CODES, 'long-term-steroids', true),
    ];
    const lists = [...new Set(chart.map((c) => CONDITION_LIST_LABELS[c.list]))].join(', ');
    findings.push(
      finding(
        'no-red-flags',
        'evaluate',
        `Chart shows a red flag (${lists}): clinician evaluation needed.`,
        [...chart, ...context],
      ),
    );
  }
  if (reported.kind === 'needs-screening') {
    findings.push(
      finding(
        'no-red-flags',
        'unknown',
        `Ask the red-flag questions (${reported.unanswered.length} unanswered).`,
      ),
    );
  }
  if (findings.length === 0) {
    const evidence = RED_FLAGS.flatMap((flag) => answer(screening, flag.linkId, false));
    findings.push(
      finding('no-red-flags', 'met', 'No red flag reported or on the chart.', evidence),
    );
  }
  return findings;
}

export function notPregnant(input: EligibilityInput): Finding {
  const { screening } = input;
  const evidence = answer(screening, SCREENING_LINK_IDS.pregnant, screening?.pregnant);
  const chart = conditionsMatching(input.conditions, PREGNANCY_CODES, 'pregnancy', true);
  if (screening?.pregnant === true) {
    return finding('not-pregnant', 'not-met', 'Pregnant.', [...evidence, ...chart]);
  }
  if (screening?.pregnant === false) {
    const note =
      chart.length > 0
        ? ' (the chart still lists a current pregnancy code: update the problem list)'
        : '';
    return finding('not-pregnant', 'met', `Not pregnant${note}.`, [...evidence, ...chart]);
  }
  return chart.length > 0
    ? finding(
        'not-pregnant',
        'evaluate',
        'The chart lists a current pregnancy code: confirm pregnancy status.',
        chart,
      )
    : finding('not-pregnant', 'unknown', 'Pregnancy question unanswered.');
}

export function noMetastaticCancer(input: EligibilityInput): Finding {
  const chart = conditionsMatching(
    input.conditions,
    METASTATIC_CANCER_CODES,
    'metastatic-cancer',
    true,
  );
  return chart.length > 0
    ? finding('no-metastatic-cancer', 'not-met', 'Current metastatic cancer on the chart.', chart)
    : finding('no-metastatic-cancer', 'met', 'No current metastatic cancer on the chart.');
}

export function telehealth(input: EligibilityInput): Finding {
  const { screening } = input;
  const evidence = answer(screening, SCREENING_LINK_IDS.telehealthAble, screening?.telehealthAble);
  switch (screening?.telehealthAble) {
    case true:
      return finding('telehealth', 'met', 'Able to join telehealth group sessions.', evidence);
    case false:
      return finding(
        'telehealth',
        'not-met',
        'Not able to join telehealth group sessions.',
        evidence,
      );
    case undefined:
      return finding('telehealth', 'unknown', 'Telehealth question unanswered.');
  }
}

export function noActiveReferral(input: EligibilityInput): Finding {
  const referral = input.activeReferral;
  return referral === undefined
    ? finding('no-active-referral', 'met', 'No active referral to the programme.')
    : finding('no-active-referral', 'not-met', 'Already has an active referral to the programme.', [
        { kind: 'referral', reference: referral.reference },
      ]);
}
