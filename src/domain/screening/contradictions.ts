/**
 * Screening answers the chart contradicts: a "No" to a red-flag question while the chart lists a
 * red flag that question asks about (a "No" to cancer history with a cancer Condition on file).
 * Pointed out so the clinician checks with the patient; the chart's red flag stands either way.
 */
import type { RedFlagFinding } from './eligibility.ts';
import type { ChartRedFlag } from './eligibilityConfig.ts';
import { RED_FLAGS, type RedFlagKey, type ScreeningAnswers } from './screening.ts';

/**
 * Which screening question covers each chart red flag (clinical.md "Red flags" groups them the
 * same way). A cauda equina syndrome code has no single question: each sign is asked apart.
 */
const QUESTION_OF_CHART_FLAG: Readonly<Record<ChartRedFlag, RedFlagKey | undefined>> = {
  'cancer-history': 'cancerOrWeightLoss',
  immunosuppression: 'feverIvDrugUseOrImmunosuppression',
  'immunosuppressive-drugs': 'feverIvDrugUseOrImmunosuppression',
  'iv-drug-use': 'feverIvDrugUseOrImmunosuppression',
  'spinal-infection': 'feverIvDrugUseOrImmunosuppression',
  'vertebral-fracture': 'trauma',
  'cauda-equina-syndrome': undefined,
};

export interface Contradiction {
  /** The question answered "No", in the form's words. */
  readonly question: string;
  readonly answered: string | undefined;
  /** The chart's red flag, in words, and the Conditions it rests on ("Malignant neoplasms (C61)"). */
  readonly chart: string;
  readonly conditions: readonly string[];
}

/** The chart red flags the latest screening answered "No" to. */
export function answerContradictions(
  flags: readonly RedFlagFinding[],
  screening: ScreeningAnswers | undefined,
): Contradiction[] {
  if (screening === undefined) {
    return [];
  }
  return flags.flatMap((flag) => {
    if (flag.origin !== 'chart') {
      return [];
    }
    const key = QUESTION_OF_CHART_FLAG[flag.id as ChartRedFlag];
    const question = RED_FLAGS.find((q) => q.key === key);
    if (question === undefined || screening.redFlags[question.key] !== false) {
      return [];
    }
    return [
      {
        question: question.text,
        answered: screening.authored?.slice(0, 10),
        chart: flag.label,
        conditions: flag.evidence.flatMap((e) =>
          e.kind === 'condition' ? [`${e.display} (${e.code})`] : [],
        ),
      },
    ];
  });
}
