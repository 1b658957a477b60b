import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PegAdministration } from '../../../src/domain/peg/peg.ts';
import { selectBaseline } from '../../../src/domain/pathway/baseline.ts';
import {
  changeFromBaseline,
  reaches30Percent,
  reachesMcid,
} from '../../../src/domain/peg/change.ts';
import { mergePegHistory } from '../../../src/domain/peg/history.ts';

function administration(overrides: Partial<PegAdministration>): PegAdministration {
  return {
    date: '2026-01-01T10:00:00Z',
    score: 5,
    subject: 'Patient/p1',
    sources: [],
    keys: [],
    derivedFrom: [],
    ...overrides,
  };
}

describe('mergePegHistory', () => {
  it('treats an Observation derived from a QuestionnaireResponse as the same administration', () => {
    const response = administration({
      items: { pain: 6, enjoyment: 7, activity: 4 },
      score: 5.67,
      sources: ['QuestionnaireResponse/qr1'],
      keys: ['QuestionnaireResponse/qr1'],
    });
    const observation = administration({
      date: '2026-01-01T10:00:05Z',
      score: 5.67,
      sources: ['Observation/o1'],
      keys: ['Observation/o1'],
      derivedFrom: ['QuestionnaireResponse/qr1'],
    });
    const merged = mergePegHistory([observation, response]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.date).toBe('2026-01-01T10:00:00Z');
    expect(merged[0]?.items).toEqual({ pain: 6, enjoyment: 7, activity: 4 });
    expect(merged[0]?.sources).toEqual(['Observation/o1', 'QuestionnaireResponse/qr1']);
  });

  it('treats records sharing an identifier as one administration', () => {
    const merged = mergePegHistory([
      administration({ keys: ['Observation/a', 'identifier:urn:s|1'], date: '2026-01-01' }),
      administration({ keys: ['Observation/b', 'identifier:urn:s|1'], date: '2026-01-02' }),
    ]);
    expect(merged).toHaveLength(1);
  });

  it('treats the same patient, instant and score without links as one administration', () => {
    const merged = mergePegHistory([
      administration({ keys: ['Observation/a'], date: '2026-01-01T03:00:00-07:00' }),
      administration({
        keys: ['QuestionnaireResponse/q'],
        date: '2026-01-01T10:00:00Z',
        sources: ['QuestionnaireResponse/q'],
      }),
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.sources).toEqual(['QuestionnaireResponse/q']);
  });

  it('keeps different administrations apart and sorts them oldest first', () => {
    const merged = mergePegHistory([
      administration({ keys: ['Observation/c'], date: '2026-03-01', score: 4 }),
      administration({ keys: ['Observation/a'], date: '2026-01-01', score: 6 }),
      administration({ keys: ['Observation/b'], date: '2026-01-01T10:00:00Z', score: 5 }),
    ]);
    expect(merged.map((a) => a.keys[0])).toEqual([
      'Observation/a',
      'Observation/b',
      'Observation/c',
    ]);
  });

  it('orders by the day each PEG was recorded on, so a date-only PEG follows the evening before', () => {
    // '2026-03-01' parses as UTC midnight, i.e. 17:00 on 28 Feb in Denver.
    const merged = mergePegHistory([
      administration({ keys: ['Observation/day'], date: '2026-03-01', score: 4 }),
      administration({ keys: ['Observation/eve'], date: '2026-02-28T18:00:00-07:00', score: 6 }),
    ]);
    expect(merged.map((a) => a.keys[0])).toEqual(['Observation/eve', 'Observation/day']);
    expect(selectBaseline(merged, '2026-03-01')).toMatchObject({
      administration: { keys: ['Observation/day'] },
    });
  });

  it('keeps the exact mean of the merged administration', () => {
    const merged = mergePegHistory([
      administration({
        keys: ['Observation/o'],
        derivedFrom: ['QuestionnaireResponse/q'],
        score: 5.67,
      }),
      administration({
        keys: ['QuestionnaireResponse/q'],
        sources: ['QuestionnaireResponse/q'],
        score: 5.67,
        mean: 17 / 3,
        items: { pain: 6, enjoyment: 7, activity: 4 },
      }),
    ]);
    expect(merged).toMatchObject([{ score: 5.67, mean: 17 / 3 }]);
  });

  it('merges transitively (QR ← Observation, Observation ≡ identifier copy)', () => {
    const merged = mergePegHistory([
      administration({
        keys: ['QuestionnaireResponse/q'],
        sources: ['QuestionnaireResponse/q'],
        date: '2026-01-01T10:00:00Z',
      }),
      administration({
        keys: ['Observation/o', 'identifier:urn:s|9'],
        derivedFrom: ['QuestionnaireResponse/q'],
        date: '2026-01-01T11:00:00Z',
      }),
      administration({
        keys: ['Observation/copy', 'identifier:urn:s|9'],
        date: '2026-01-01T12:00:00Z',
      }),
    ]);
    expect(merged).toHaveLength(1);
  });

  it('does not merge two PEGs of the same score whose dates cannot be read, unless recorded alike', () => {
    const merged = mergePegHistory([
      administration({ keys: ['Observation/a'], date: 'sometime' }),
      administration({ keys: ['Observation/b'], date: 'later' }),
      administration({ keys: ['Observation/c'], date: 'later' }),
    ]);
    expect(merged.map((a) => a.keys)).toEqual([
      ['Observation/b', 'Observation/c'],
      ['Observation/a'],
    ]);
  });

  /** The definition, pair by pair and closed transitively: the oracle for the fast merge. */
  function pairwiseGroups(records: readonly PegAdministration[]): string[][] {
    const same = (a: PegAdministration, b: PegAdministration): boolean =>
      a.keys.some((k) => b.keys.includes(k)) ||
      a.derivedFrom.some((k) => b.keys.includes(k)) ||
      b.derivedFrom.some((k) => a.keys.includes(k)) ||
      (a.subject === b.subject && a.score === b.score && Date.parse(a.date) === Date.parse(b.date));
    const group = records.map((_, i) => i);
    let changed = true;
    while (changed) {
      changed = false;
      records.forEach((a, i) => {
        records.forEach((b, j) => {
          const low = Math.min(group[i] ?? i, group[j] ?? j);
          if (same(a, b) && (group[i] !== low || group[j] !== low)) {
            group.forEach((g, k) => {
              if (g === group[i] || g === group[j]) {
                group[k] = low;
              }
            });
            changed = true;
          }
        });
      });
    }
    const byGroup = new Map<number, string[]>();
    records.forEach((r, i) => {
      byGroup.set(group[i] ?? i, [...(byGroup.get(group[i] ?? i) ?? []), ...r.sources]);
    });
    return [...byGroup.values()].map((g) => [...new Set(g)].sort()).sort();
  }

  it('groups exactly as the pair-by-pair definition does, for any records', () => {
    const key = fc.constantFrom(
      'QuestionnaireResponse/q1',
      'QuestionnaireResponse/q2',
      'Observation/o1',
      'identifier:urn:s|1',
      'identifier:urn:s|2',
    );
    const record = fc.record({
      keys: fc.array(key, { maxLength: 2 }),
      derivedFrom: fc.array(key, { maxLength: 1 }),
      date: fc.constantFrom(
        '2026-01-01T10:00:00Z',
        '2026-01-01T03:00:00-07:00',
        '2026-01-02',
        '2026-01-03T08:00:00Z',
      ),
      score: fc.constantFrom(4, 5.67),
      subject: fc.constantFrom('Patient/p1', 'Patient/p2'),
    });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 12 }), (raw) => {
        const records = raw.map((r, i) => administration({ ...r, sources: [`R/${String(i)}`] }));
        const merged = mergePegHistory(records);
        expect(merged.map((a) => [...a.sources].sort()).sort()).toEqual(pairwiseGroups(records));
        const days = merged.map((a) => a.date.slice(0, 10));
        expect(days).toEqual([...days].sort());
      }),
      { numRuns: 300 },
    );
  });
});

describe('the baseline: the PEG closest before the anchor, at most 30 days before it', () => {
  const history = [
    administration({ date: '2026-01-05T09:00:00-07:00', keys: ['a'] }),
    administration({ date: '2026-02-10T15:00:00-07:00', keys: ['b'] }),
    administration({ date: '2026-04-01T09:00:00-06:00', keys: ['c'] }),
  ];

  it.each([
    ['2026-02-10', 'b'],
    ['2026-02-04', 'a'],
    ['2026-03-12', 'b'],
    ['2026-04-01', 'c'],
    ['2026-05-01', 'c'],
  ])('for a programme start on %s takes %s', (anchor, expected) => {
    expect(selectBaseline(history, anchor)).toMatchObject({
      kind: 'baseline',
      administration: { keys: [expected] },
    });
  });

  it.each(['2026-02-05', '2026-03-13', '2026-05-02'])(
    'has none when the closest PEG before %s is more than 30 days before it',
    (anchor) => {
      expect(selectBaseline(history, anchor)).toEqual({ kind: 'none', reason: 'none-in-window' });
    },
  );

  it('has none when every PEG is after the anchor, or there is none at all', () => {
    expect(selectBaseline(history, '2026-01-04')).toEqual({
      kind: 'none',
      reason: 'none-in-window',
    });
    expect(selectBaseline([], '2026-01-04')).toEqual({ kind: 'none', reason: 'no-peg' });
  });
});

describe('change from baseline', () => {
  it.each([
    [6, 5, -1, true],
    [6, 5.01, -0.99, false],
    [5.67, 4.67, -1, true],
    [3.33, 2.33, -1, true],
    [4, 5, 1, false],
  ])(
    'from a recorded %f to %f is %f points; MCID (≥ 1-point drop) reached: %s',
    (baseline, current, points, mcid) => {
      const change = changeFromBaseline({ score: baseline }, { score: current });
      expect(change).toMatchObject({ kind: 'change', points, reachesMcid: mcid });
      expect(reachesMcid(baseline, current)).toBe(mcid);
    },
  );

  it.each([
    [10, 7, true, -30],
    [10, 7.01, false, -29.9],
    [3.33, 2.33, true, -30.03],
    [6, 4.2, true, -30],
    [6, 4.21, false, -29.83],
  ])(
    'from a recorded %f to %f reaches the 30%% drop: %s (%f%%)',
    (baseline, current, reached, percent) => {
      expect(reaches30Percent(baseline, current)).toBe(reached);
      expect(changeFromBaseline({ score: baseline }, { score: current })).toMatchObject({
        percent: { kind: 'percent', value: percent },
        reaches30Percent: reached,
      });
    },
  );

  it('has no percent change from a baseline of 0 and never reaches 30%', () => {
    expect(changeFromBaseline({ score: 0 }, { score: 0 })).toEqual({
      kind: 'change',
      direction: 'unchanged',
      points: 0,
      percent: { kind: 'undefined', reason: 'zero-baseline' },
      reachesMcid: false,
      reaches30Percent: false,
    });
    expect(reaches30Percent(0, 0)).toBe(false);
  });

  it('refuses scores outside 0-10 instead of computing a change', () => {
    expect(changeFromBaseline({ score: 11 }, { score: 5 }).kind).toBe('invalid');
    expect(changeFromBaseline({ score: 5 }, { score: Number.NaN }).kind).toBe('invalid');
    expect(changeFromBaseline({ score: 5, mean: 10.5 }, { score: 5 }).kind).toBe('invalid');
  });

  it('uses the unrounded mean, not the stored 2-decimal score, when one is known', () => {
    // 7/7/6 → 5/5/4 stored as 6.67 → 4.67 (−29.99%) but exactly a 30% drop.
    expect(
      changeFromBaseline({ score: 6.67, mean: 20 / 3 }, { score: 4.67, mean: 14 / 3 }),
    ).toMatchObject({ points: -2, percent: { value: -30 }, reaches30Percent: true });
    // Items known but no mean set: the items give the exact mean.
    expect(
      changeFromBaseline(
        { score: 6.67, items: { pain: 7, enjoyment: 7, activity: 6 } },
        { score: 4.67, items: { pain: 5, enjoyment: 5, activity: 4 } },
      ),
    ).toMatchObject({ reaches30Percent: true });
    // Only the stored scores known: they are all there is.
    expect(changeFromBaseline({ score: 6.67 }, { score: 4.67 })).toMatchObject({
      percent: { value: -29.99 },
      reaches30Percent: false,
    });
  });
});
