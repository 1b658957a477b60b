/**
 * "Not pregnant": the newest pregnancy information decides (pregnancyStatus.ts), and it holds for
 * the screening window like any screening answer. A pregnancy code on the problem list only
 * prompts a clinician to confirm (ICD-10-CM chapter 15 also holds puerperal codes); an explicit
 * "pregnant" (screening answer or pregnancy status Observation) excludes.
 */
import { calendarDayOf } from '../fhir-primitives/dates.ts';
import type { CriterionContext } from './criterionSupport.ts';
import { answerEvidence, dayText, finding } from './criterionSupport.ts';
import type { Evidence, Finding } from './eligibility.ts';
import type { PregnancyRecord } from './pregnancyStatus.ts';
import { pregnancyRecords } from './pregnancyStatus.ts';
import { SCREENING_LINK_IDS } from './screening.ts';

function evidenceOf(record: PregnancyRecord, since: string): Evidence[] {
  switch (record.kind) {
    case 'answer':
      return answerEvidence(SCREENING_LINK_IDS.pregnant, record.answer, record.outOfDate);
    case 'observation': {
      const day =
        record.observation.date === undefined ? undefined : calendarDayOf(record.observation.date);
      return [
        {
          kind: 'pregnancy-observation',
          reference: record.observation.reference,
          value: record.observation.value,
          date: record.observation.date,
          outOfDate: day === undefined || day < since,
        },
      ];
    }
    case 'condition':
      return [record.condition];
  }
}

/**
 * What the newest explicit statement says (a screening answer or a pregnancy status Observation):
 * pregnant excludes, unknown asks for confirmation, out of date asks again.
 */
function statedPregnancy(
  newest: Extract<PregnancyRecord, { kind: 'answer' | 'observation' }>,
  evidence: readonly Evidence[],
  outOfDate: boolean,
  chartCodes: boolean,
): Finding {
  const status =
    newest.kind === 'answer'
      ? newest.answer.value
        ? 'pregnant'
        : 'not-pregnant'
      : newest.observation.status;
  const source =
    newest.kind === 'answer'
      ? `screening answer of ${dayText(newest.answer.authored)}`
      : `pregnancy status "${newest.observation.value}" of ${dayText(newest.observation.date)}`;
  if (outOfDate) {
    return finding(
      'not-pregnant',
      'unknown',
      `Pregnancy: the newest information (${source}) is out of date — ask again.`,
      evidence,
    );
  }
  switch (status) {
    case 'pregnant':
      return finding('not-pregnant', 'not-met', `Pregnant (${source}).`, evidence);
    case 'unknown':
      return finding(
        'not-pregnant',
        'evaluate',
        `Pregnancy status unknown (${source}): confirm pregnancy status.`,
        evidence,
      );
    case 'not-pregnant': {
      const note = chartCodes
        ? ' The chart still lists an older current pregnancy code: update the problem list.'
        : '';
      return finding('not-pregnant', 'met', `Not pregnant (${source}).${note}`, evidence);
    }
  }
}

export function notPregnant({ input, screening, config }: CriterionContext): Finding {
  const current = screening.current.pregnant;
  const stale = screening.outOfDate.pregnant;
  const answer =
    current !== undefined
      ? { answer: current, outOfDate: false }
      : stale === undefined
        ? undefined
        : { answer: stale, outOfDate: true };
  const records = pregnancyRecords({
    answer,
    observations: input.observations ?? [],
    conditions: input.conditions,
  });
  const [newest] = records;
  const evidence = records.flatMap((r) => evidenceOf(r, screening.since));
  const newestEvidence = newest === undefined ? undefined : evidenceOf(newest, screening.since)[0];
  if (newest === undefined) {
    return input.sex === 'male' && !config.askPregnancyWhenMale
      ? finding('not-pregnant', 'met', "Not asked: the chart's sex is male.")
      : finding('not-pregnant', 'unknown', 'Pregnancy question unanswered.');
  }
  const outOfDate =
    newestEvidence !== undefined && 'outOfDate' in newestEvidence && newestEvidence.outOfDate;
  const chartCodes = records.some((r) => r.kind === 'condition');
  switch (newest.kind) {
    case 'condition':
      return finding(
        'not-pregnant',
        'evaluate',
        `The chart lists a current pregnancy code (${newest.condition.display}, recorded ${dayText(newest.condition.recorded)})${answer === undefined ? '' : ', newer than the screening answer'}: confirm pregnancy status.`,
        evidence,
      );
    case 'observation':
    case 'answer':
      return statedPregnancy(newest, evidence, outOfDate, chartCodes);
  }
}
