import type { Condition } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { changeFromBaseline } from '../../../src/domain/peg/change.ts';
import { evaluatePathway } from '../../../src/domain/pathway/pathway.ts';
import { glance, pegChangeText } from '../../../src/domain/pathway/glance.ts';
import { answerContradictions } from '../../../src/domain/screening/contradictions.ts';
import { chartFromResources, patientOf } from '../../../src/fhir/pathwayChart.ts';
import { generateSeed } from '../../../src/sandbox/seed/seed.ts';
import { CLBP, chart, on, peg, referral, screening, session } from './chartBuilders.ts';
import { pathwayRecord } from '../../../src/domain/pathway/record.ts';
import { RX, dosage, rxnorm, statement } from '../mme/builders.ts';

const items = (pain: number, enjoyment: number, activity: number) => ({
  score: Math.round(((pain + enjoyment + activity) / 3) * 100) / 100,
  items: { pain, enjoyment, activity },
});

describe('a PEG change in words', () => {
  it.each([
    [items(4, 4, 4), items(7, 8, 7), '+3.33 points (+83%): worse'],
    [
      items(7, 7, 6),
      items(5, 5, 4),
      '−2.00 points (−30%): better, reaches the 1-point MCID and a 30% improvement',
    ],
    [items(6, 6, 6), items(5, 5, 6), '−0.67 points (−11%): better'],
    [items(5, 5, 5), items(5, 5, 5), '±0.00 points (±0%): unchanged'],
  ])('%j → %j: %s', (from, to, text) => {
    const change = changeFromBaseline(from, to);
    expect(change.kind === 'change' ? pegChangeText(change) : change.reason).toBe(text);
  });
});

describe('the first screen row', () => {
  it('flags a worsening from baseline, names the referral stage and the next follow-up', () => {
    const resources = [
      CLBP,
      peg('baseline', '2026-01-05', [4, 4, 4]),
      peg('week8', '2026-03-06', [7, 8, 7]),
      ...referral('2026-01-05', 'in-progress', { start: '2026-01-11' }),
      session('2026-01-05', '2026-01-11', 0),
    ];
    const row = glance(evaluatePathway(chart(resources), on('2026-03-10')));
    expect(row.peg).toEqual({
      value: '7.33',
      detail: 'on 2026-03-06; from baseline 4.00: +3.33 points (+83%): worse',
      flag: 'Worse than baseline',
    });
    expect(row.referral.value).toBe('In programme');
    expect(row.referral.detail).toBe('referred 2026-01-05; month-6 PEG due 2026-07-11');
  });

  it('says provisional for follow-ups timed from the referral', () => {
    const row = glance(
      evaluatePathway(chart([CLBP, ...referral('2026-03-02', 'requested')]), on('2026-03-10')),
    );
    expect(row.referral).toEqual({
      value: 'Referred',
      detail: 'referred 2026-03-02; week-8 PEG due 2026-04-27 (provisional)',
    });
    expect(row.peg).toEqual({ value: 'No PEG', detail: 'None on record' });
  });
});

describe('a screening answer the chart contradicts', () => {
  const cancer: Condition = {
    ...CLBP,
    id: 'prostate-cancer',
    clinicalStatus: { coding: [{ code: 'resolved' }] },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C61' }] },
  };

  it('points out a "No" to cancer history with a cancer Condition on file', () => {
    const pathway = evaluatePathway(
      chart([CLBP, cancer, screening('2026-03-01')]),
      on('2026-03-10'),
    );
    expect(answerContradictions(pathway.eligibility.redFlags, pathway.screening)).toEqual([
      {
        question: 'History of cancer or unexplained weight loss',
        answered: '2026-03-01',
        chart: 'History of cancer on the chart',
        conditions: ['Malignant neoplasms (C61)'],
      },
    ]);
  });

  it('says nothing when the answer agrees with the chart', () => {
    const pathway = evaluatePathway(
      chart([CLBP, cancer, screening('2026-03-01', { redFlag: 'rf-cancer-or-weight-loss' })]),
      on('2026-03-10'),
    );
    expect(answerContradictions(pathway.eligibility.redFlags, pathway.screening)).toEqual([]);
  });
});

describe("the first screen row's opioid dose", () => {
  const asOf = new Date('2026-11-21T19:35:00Z');
  const seed = generateSeed({ asOf });
  const shared = seed.resources.filter(
    (r) => r.resourceType === 'Questionnaire' || r.resourceType === 'Medication',
  );
  const rowOf = (id: string) =>
    glance(
      evaluatePathway(
        chartFromResources([...seed.resources.filter((r) => patientOf(r) === id), ...shared]),
        asOf,
      ),
    );

  it('calls a stop 21 days ago a stop, without a three-month average that reads as a taper', () => {
    expect(rowOf('opioid-stopped').mme).toEqual({
      value: '0 MME/day',
      detail: 'stopped, faster than the usual taper',
      flag: undefined,
    });
  });

  it('gives a reduction its rate a month over three months', () => {
    expect(rowOf('opioid-taper').mme.detail).toBe(
      'decreasing (−17% a month), faster than the usual taper',
    );
  });
});

describe('an opioid started two months ago and halved two weeks ago', () => {
  // Oxycodone (CDC 2022 factor 1.5): 10 mg four times a day = 60 MME/day from 2026-09-21, then
  // 10 mg twice a day = 30 MME/day from 2026-11-06; evaluated on 2026-11-21.
  const oxycodone = (id: string, perDay: number, period: { start: string; end?: string }) =>
    statement(
      { medicationCodeableConcept: rxnorm(RX.oxycodone10) },
      {
        id,
        subject: { reference: 'Patient/p' },
        dosage: [dosage(10, 'mg', perDay)],
        effectivePeriod: period,
      },
    );
  const pathway = evaluatePathway(
    chart([CLBP], {
      medications: {
        statements: [
          oxycodone('first', 4, { start: '2026-09-21', end: '2026-11-05' }),
          oxycodone('halved', 2, { start: '2026-11-06' }),
        ],
        requests: [],
        medications: [],
      },
    }),
    on('2026-11-21'),
  );

  it('reads decreasing at −50% a month, started within 3 months, faster than the usual taper', () => {
    expect(glance(pathway).mme).toEqual({
      value: '30 MME/day',
      detail:
        'decreasing (−50% a month), started within the last 3 months, faster than the usual taper',
      flag: undefined,
    });
  });

  it('gives clbp pathway the same trajectory and rate', () => {
    expect(pathwayRecord('p', pathway).mme).toEqual({
      current: 30,
      trajectory: 'decreasing',
      percentPerMonth: -50,
      fasterThanGuideline: true,
    });
  });
});
