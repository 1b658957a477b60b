import type { Observation, Questionnaire, QuestionnaireResponse } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import pegQuestionnaireJson from '../../../questionnaires/peg.json' with { type: 'json' };
import { PEG_ITEMS, pegAnswerCodeFor, roundScore } from '../../../src/domain/peg/peg.ts';
import type { PegAdministration, PegItemValues } from '../../../src/domain/peg/peg.ts';
import { changeFromBaseline } from '../../../src/domain/peg/change.ts';
import { mergePegHistory } from '../../../src/domain/peg/history.ts';
import { pegFromObservations } from '../../../src/domain/peg/observations.ts';
import { pegFromQuestionnaireResponse } from '../../../src/domain/peg/questionnaireResponse.ts';

const LOINC = 'http://loinc.org';
const questionnaire = pegQuestionnaireJson as Questionnaire;

/** Three 0-10 items adding up to `sum` (0-30). */
function itemsWithSum(sum: number): PegItemValues {
  const pain = Math.min(10, sum);
  const enjoyment = Math.min(10, sum - pain);
  return { pain, enjoyment, activity: sum - pain - enjoyment };
}

/** The app's own write shape: 91147-9 with the mean stored to 2 decimals and item components. */
function usCoreObservation(id: string, items: PegItemValues): Observation {
  const mean = (items.pain + items.enjoyment + items.activity) / 3;
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: LOINC, code: '91147-9' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-02-01T09:00:00-07:00',
    valueQuantity: { value: roundScore(mean), unit: '{score}' },
    component: PEG_ITEMS.map((item) => ({
      code: { coding: [{ system: LOINC, code: item.loinc }] },
      valueQuantity: { value: items[item.key] },
    })),
  };
}

function readOne(observation: Observation): PegAdministration {
  const [administration] = pegFromObservations([observation]).administrations;
  if (administration === undefined) {
    throw new Error(`no administration from ${observation.id ?? '?'}`);
  }
  return administration;
}

const SUMS = Array.from({ length: 31 }, (_, sum) => sum);
const bySum = SUMS.map((sum) => readOne(usCoreObservation(`o${String(sum)}`, itemsWithSum(sum))));

describe('change from baseline on every pair of PEG scores (thirds 0, 1/3, … 10)', () => {
  // Exact rational arithmetic on item sums: mean = sum / 3.
  const pairs = SUMS.flatMap((baseline) => SUMS.map((current) => [baseline, current] as const));

  it('reaches the 1-point MCID exactly when the item sum drops by 3 or more', () => {
    const wrong = pairs.filter(([b, c]) => {
      const change = changeFromBaseline(
        bySum[b] as PegAdministration,
        bySum[c] as PegAdministration,
      );
      return change.kind !== 'change' || change.reachesMcid !== b - c >= 3;
    });
    expect(wrong).toEqual([]);
  });

  it('reaches the 30% drop exactly when 10 × (sum drop) ≥ 3 × baseline sum (never from 0)', () => {
    const wrong = pairs.filter(([b, c]) => {
      const change = changeFromBaseline(
        bySum[b] as PegAdministration,
        bySum[c] as PegAdministration,
      );
      return (
        change.kind !== 'change' || change.reaches30Percent !== (b > 0 && 10 * (b - c) >= 3 * b)
      );
    });
    expect(wrong).toEqual([]);
  });

  it('reports points and percent rounded from the exact means', () => {
    const wrong = pairs.filter(([b, c]) => {
      const change = changeFromBaseline(
        bySum[b] as PegAdministration,
        bySum[c] as PegAdministration,
      );
      const points = Math.round((100 * (c - b)) / 3) / 100;
      const percent = b === 0 ? undefined : Math.round((10000 * (c - b)) / b) / 100;
      return (
        change.kind !== 'change' ||
        change.points !== points ||
        (change.percent.kind === 'percent' ? change.percent.value : undefined) !== percent
      );
    });
    expect(wrong).toEqual([]);
  });

  it('counts 7/7/6 → 5/5/4 (stored 6.67 → 4.67) as exactly a 30% drop', () => {
    const baseline = readOne(usCoreObservation('b', { pain: 7, enjoyment: 7, activity: 6 }));
    const current = readOne(usCoreObservation('c', { pain: 5, enjoyment: 5, activity: 4 }));
    expect([baseline.score, current.score]).toEqual([6.67, 4.67]);
    expect(changeFromBaseline(baseline, current)).toEqual({
      kind: 'change',
      direction: 'better',
      points: -2,
      percent: { kind: 'percent', value: -30 },
      reachesMcid: true,
      reaches30Percent: true,
    });
  });
});

describe('referred-followup: baseline 7/7/6, week 8 6/5/5', () => {
  function response(id: string, authored: string, items: PegItemValues): QuestionnaireResponse {
    return {
      resourceType: 'QuestionnaireResponse',
      id,
      status: 'completed',
      questionnaire: questionnaire.url ?? '',
      subject: { reference: 'Patient/referred-followup' },
      authored,
      item: PEG_ITEMS.map((item) => ({
        linkId: item.linkId,
        answer: [{ valueCoding: { system: LOINC, code: pegAnswerCodeFor(items[item.key]) ?? '' } }],
      })),
    };
  }

  function administration(id: string, authored: string, items: PegItemValues): PegAdministration {
    const reading = pegFromQuestionnaireResponse(response(id, authored, items), questionnaire);
    if (reading.kind !== 'administration') {
      throw new Error(reading.kind);
    }
    return reading.administration;
  }

  it('shows −1.33 points and −20% (6.666… → 5.333…), not the −1.34 of 6.67 → 5.33', () => {
    const baselineItems = { pain: 7, enjoyment: 7, activity: 6 };
    const week8Items = { pain: 6, enjoyment: 5, activity: 5 };
    const observation = (id: string, qr: string, date: string, items: PegItemValues) => ({
      ...usCoreObservation(id, items),
      subject: { reference: 'Patient/referred-followup' },
      effectiveDateTime: date,
      derivedFrom: [{ reference: `QuestionnaireResponse/${qr}` }],
    });
    const history = mergePegHistory([
      ...pegFromObservations([
        observation('o1', 'qr1', '2026-01-05T10:00:00-07:00', baselineItems),
        observation('o2', 'qr2', '2026-03-02T10:00:00-07:00', week8Items),
      ]).administrations,
      administration('qr1', '2026-01-05T10:00:00-07:00', baselineItems),
      administration('qr2', '2026-03-02T10:00:00-07:00', week8Items),
    ]);
    expect(history.map((a) => a.score)).toEqual([6.67, 5.33]);
    const [baseline, week8] = history as [PegAdministration, PegAdministration];
    expect(changeFromBaseline(baseline, week8)).toEqual({
      kind: 'change',
      direction: 'better',
      points: -1.33,
      percent: { kind: 'percent', value: -20 },
      reachesMcid: true,
      reaches30Percent: false,
    });
  });
});
