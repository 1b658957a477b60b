import type { Observation } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { mergePegHistory } from '../../../src/domain/peg/history.ts';
import { pegFromObservations } from '../../../src/domain/peg/observations.ts';

const LOINC = 'http://loinc.org';
const code = (c: string) => ({ coding: [{ system: LOINC, code: c }] });
const qty = (value: number) => ({
  value,
  unit: '{score}',
  system: 'http://unitsofmeasure.org',
  code: '{score}',
});

function scoreObservation(extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id: 'o-score',
    status: 'final',
    code: code('91147-9'),
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-02-01T09:00:00-07:00',
    valueQuantity: qty(5.666666),
    ...extra,
  };
}

function itemObservation(
  id: string,
  loinc: string,
  value: number,
  extra: Partial<Observation> = {},
): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: code(loinc),
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: '2026-02-01T16:00:00Z',
    valueQuantity: { value },
    ...extra,
  };
}

describe('pegFromObservations', () => {
  it('reads a 91147-9 Observation with the three items as components (US Core shape)', () => {
    const observation = scoreObservation({
      component: [
        { code: code('75893-8'), valueQuantity: qty(6) },
        { code: code('91145-3'), valueQuantity: qty(7) },
        {
          code: code('91146-1'),
          valueCodeableConcept: { coding: [{ system: LOINC, code: 'LA6115-5' }] },
        },
      ],
      derivedFrom: [{ reference: 'https://ehr.example/fhir/QuestionnaireResponse/qr1' }],
      identifier: [{ system: 'urn:sub', value: 'u1' }],
    });
    const { administrations, skipped } = pegFromObservations([observation]);
    expect(skipped).toEqual([]);
    expect(administrations).toEqual([
      {
        date: '2026-02-01T09:00:00-07:00',
        score: 5.67,
        mean: 17 / 3,
        items: { pain: 6, enjoyment: 7, activity: 4 },
        subject: 'Patient/p1',
        sources: ['Observation/o-score'],
        keys: ['Observation/o-score', 'identifier:urn:sub|u1'],
        derivedFrom: ['QuestionnaireResponse/qr1'],
      },
    ]);
  });

  it('reads a 91147-9 Observation without components as a score-only administration', () => {
    const { administrations } = pegFromObservations([scoreObservation({ valueQuantity: qty(4) })]);
    expect(administrations).toHaveLength(1);
    expect(administrations[0]?.score).toBe(4);
    expect(administrations[0]?.items).toBeUndefined();
  });

  it('groups separate item Observations by patient and instant into one administration', () => {
    const observations = [
      itemObservation('a', '75893-8', 8),
      itemObservation('b', '91145-3', 6, { effectiveDateTime: '2026-02-01T09:00:00-07:00' }),
      itemObservation('c', '91146-1', 7),
      // Another patient at the same instant is another administration (and incomplete).
      itemObservation('d', '75893-8', 1, { subject: { reference: 'Patient/p2' } }),
    ];
    const { administrations, skipped } = pegFromObservations(observations);
    expect(administrations).toHaveLength(1);
    expect(administrations[0]).toMatchObject({
      score: 7,
      items: { pain: 8, enjoyment: 6, activity: 7 },
    });
    expect(administrations[0]?.sources).toEqual([
      'Observation/a',
      'Observation/b',
      'Observation/c',
    ]);
    expect(skipped.map((s) => s.reference)).toEqual(['Observation/d']);
  });

  it('attaches item Observations at the same instant to the score Observation (panel with members)', () => {
    const observations = [
      scoreObservation({ valueQuantity: qty(7), effectiveDateTime: '2026-02-01T16:00:00Z' }),
      itemObservation('a', '75893-8', 8),
      itemObservation('b', '91145-3', 6),
      itemObservation('c', '91146-1', 7),
    ];
    const { administrations } = pegFromObservations(observations);
    expect(administrations).toHaveLength(1);
    expect(administrations[0]?.items).toEqual({ pain: 8, enjoyment: 6, activity: 7 });
  });

  it.each([
    ['a recorded 5.67 with items 6/7/4', qty(5.67), true, 5.67, 17 / 3],
    ['a recorded 5.666666 with items 6/7/4', qty(5.666666), true, 5.67, 17 / 3],
    ['a recorded 5.666666 alone', qty(5.666666), false, 5.67, 5.666666],
    ['a recorded 5.7 that disagrees with items 6/7/4', qty(5.7), true, 5.7, 5.7],
  ])('keeps the unrounded mean of %s', (_, valueQuantity, withItems, score, mean) => {
    const components = [
      { code: code('75893-8'), valueQuantity: qty(6) },
      { code: code('91145-3'), valueQuantity: qty(7) },
      { code: code('91146-1'), valueQuantity: qty(4) },
    ];
    const observation = scoreObservation({
      valueQuantity,
      ...(withItems ? { component: components } : {}),
    });
    const [administration] = pegFromObservations([observation]).administrations;
    expect(administration).toMatchObject({ score, mean });
  });

  describe('a score Observation and item Observations of one administration, unlinked', () => {
    // Same instant written two ways, no derivedFrom, score without components.
    const score = scoreObservation({ valueQuantity: qty(5.67) });
    const items = [
      itemObservation('a', '75893-8', 6, { effectiveDateTime: '2026-02-01T16:00:00Z' }),
      itemObservation('b', '91145-3', 7, { effectiveDateTime: '2026-02-01T09:00:00-07:00' }),
      itemObservation('c', '91146-1', 4, { effectiveDateTime: '2026-02-01T16:00:00.000Z' }),
    ];
    const expected = {
      score: 5.67,
      mean: 17 / 3,
      items: { pain: 6, enjoyment: 7, activity: 4 },
    };

    it('count once when read together', () => {
      const history = mergePegHistory(pegFromObservations([score, ...items]).administrations);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject(expected);
      expect(history[0]?.sources).toEqual([
        'Observation/o-score',
        'Observation/a',
        'Observation/b',
        'Observation/c',
      ]);
    });

    it('count once when read apart and merged (as a streaming reader does)', () => {
      const history = mergePegHistory([
        ...pegFromObservations([score]).administrations,
        ...pegFromObservations(items).administrations,
      ]);
      expect(history).toHaveLength(1);
      expect(history[0]).toMatchObject(expected);
    });
  });

  it('skips entered-in-error, undated and out-of-range PEG Observations and says why', () => {
    const { administrations, skipped } = pegFromObservations([
      scoreObservation({ id: 'e', status: 'entered-in-error' }),
      scoreObservation({ id: 'n', effectiveDateTime: undefined }),
      scoreObservation({ id: 'r', valueQuantity: qty(12) }),
    ]);
    expect(administrations).toEqual([]);
    expect(skipped).toEqual([
      { reference: 'Observation/e', reason: 'status entered-in-error' },
      { reference: 'Observation/n', reason: 'no effective time' },
      { reference: 'Observation/r', reason: 'score 12 is outside 0-10' },
    ]);
  });

  it('ignores Observations that are not PEG codes', () => {
    const bp: Observation = { resourceType: 'Observation', status: 'final', code: code('85354-9') };
    expect(pegFromObservations([bp])).toEqual({ administrations: [], skipped: [] });
  });
});
