import { conditionsMatching, lowBackPainChart } from './chartEvidence.ts';
import { METASTATIC_CANCER_CODES } from '../codes/redFlagConditions.ts';
import {
  addDays,
  calendarDayOf,
  isoDate,
  localDayIndex,
  localDayOf,
} from '../fhir-primitives/dates.ts';
import type { CriterionContext } from './criterionSupport.ts';
import { answerEvidence, dayText, finding } from './criterionSupport.ts';
import type { Evidence, Finding } from './eligibility.ts';
import { SCREENING_LINK_IDS, classifyTaskForce } from './screening.ts';

/**
 * The criteria of programme eligibility, one function each; eligibility.ts combines them (red
 * flags: redFlagCriterion.ts; pregnancy: pregnancyCriterion.ts).
 */

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

export function adult({ input, config }: CriterionContext): Finding {
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
 * CLBP by the Task Force definition. The current screening answers decide (an answer older than
 * the screening window is out of date: ask again). The chart can stand in for question 1 only
 * (duration): a current low back pain Condition with a chronic code, a chronic pain code
 * alongside, or onset ≥ chronicMonths ago. No code says "at least half the days", so question 2
 * always needs an answer. A "no" answer is not overridden by the chart.
 */
export function chronicLowBackPain({ input, config, screening }: CriterionContext): Finding {
  const { duration, frequency } = screening.current;
  const chart = lowBackPainChart(input.conditions, config.chronicMonths, input.asOf);
  const answers = [
    ...answerEvidence(SCREENING_LINK_IDS.duration, duration),
    ...answerEvidence(SCREENING_LINK_IDS.frequency, frequency),
  ];
  const stale = [
    ...answerEvidence(SCREENING_LINK_IDS.duration, screening.outOfDate.duration, true),
    ...answerEvidence(SCREENING_LINK_IDS.frequency, screening.outOfDate.frequency, true),
  ];
  const taskForce = classifyTaskForce(duration?.value, frequency?.value);
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
      const staleNote = outOfDateNote(stale);
      return finding(
        'chronic-low-back-pain',
        'unknown',
        `Ask the NIH Task Force questions (${taskForce.unanswered.map((q) => TASK_FORCE_QUESTION_LABELS[q]).join('; ')}).${staleNote}${chartNote}`,
        [...answers, ...stale, ...chart.chronic],
      );
    }
  }
}

/** " Answers of 2025-08-01 are out of date — ask again." for answers older than the window. */
export function outOfDateNote(stale: readonly Evidence[]): string {
  const days = [
    ...new Set(stale.flatMap((e) => (e.kind === 'screening-answer' ? [dayText(e.authored)] : []))),
  ];
  return days.length === 0
    ? ''
    : ` The answer${stale.length > 1 ? 's' : ''} of ${days.join(', ')} ${stale.length > 1 ? 'are' : 'is'} out of date — ask again.`;
}

/**
 * PEG ≥ minPeg, from a PEG of the last `pegMaxAgeDays` days (clinical.md: "use one from the last
 * 30 days"); an older latest PEG is out of date: record a new one.
 */
export function painInterference({ input, config }: CriterionContext): Finding {
  const peg = input.latestPeg;
  if (peg === undefined) {
    return finding('pain-interference', 'unknown', 'No PEG on record: record a PEG.');
  }
  const earliest = isoDate(addDays(localDayIndex(input.asOf), -config.pegMaxAgeDays));
  const day = calendarDayOf(peg.date);
  const outOfDate = day === undefined || day < earliest;
  const evidence: Evidence[] = [
    { kind: 'peg', date: peg.date, score: peg.score, sources: peg.sources, outOfDate },
  ];
  if (outOfDate) {
    return finding(
      'pain-interference',
      'unknown',
      `Latest PEG ${peg.score.toFixed(2)} on ${dayText(peg.date)} is out of date (older than ${config.pegMaxAgeDays} days) — ask again: record a new PEG.`,
      evidence,
    );
  }
  return peg.score >= config.minPeg
    ? finding(
        'pain-interference',
        'met',
        `Latest PEG ${peg.score.toFixed(2)} (≥ ${config.minPeg}) on ${dayText(peg.date)}.`,
        evidence,
      )
    : finding(
        'pain-interference',
        'not-met',
        `Latest PEG ${peg.score.toFixed(2)} on ${dayText(peg.date)} is below ${config.minPeg}.`,
        evidence,
      );
}

export function noMetastaticCancer({ input }: CriterionContext): Finding {
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

export function telehealth({ screening }: CriterionContext): Finding {
  const answer = screening.current.telehealthAble;
  const evidence = answerEvidence(SCREENING_LINK_IDS.telehealthAble, answer);
  switch (answer?.value) {
    case true:
      return finding('telehealth', 'met', 'Able to join telehealth group sessions.', evidence);
    case false:
      return finding(
        'telehealth',
        'not-met',
        'Not able to join telehealth group sessions.',
        evidence,
      );
    case undefined: {
      const stale = answerEvidence(
        SCREENING_LINK_IDS.telehealthAble,
        screening.outOfDate.telehealthAble,
        true,
      );
      return finding(
        'telehealth',
        'unknown',
        `Telehealth question unanswered.${outOfDateNote(stale)}`,
        stale,
      );
    }
  }
}

export function noActiveReferral({ input }: CriterionContext): Finding {
  const referral = input.activeReferral;
  return referral === undefined
    ? finding('no-active-referral', 'met', 'No active referral to the programme.')
    : finding('no-active-referral', 'not-met', 'Already has an active referral to the programme.', [
        { kind: 'referral', reference: referral.reference },
      ]);
}
