import { describe, expect, it } from 'vitest';
import { appendCompact, decodeCompact, hash53 } from '../../../src/domain/outcomes/compactPeg.ts';
import type { PegAdministration } from '../../../src/domain/peg/peg.ts';
import { mergePegHistory } from '../../../src/domain/peg/history.ts';

function administration(over: Partial<PegAdministration>): PegAdministration {
  return {
    date: '2025-03-01T23:30:00-07:00',
    score: 5.67,
    sources: [],
    keys: [],
    derivedFrom: [],
    ...over,
  };
}

describe('compact PEG administrations', () => {
  it.each([
    ['2025-03-01T23:30:00-07:00', '2025-03-01'],
    ['2025-03-01T00:15:00+05:30', '2025-03-01'],
    ['2025-03-01T12:00:00Z', '2025-03-01'],
    ['2025-03-01', '2025-03-01'],
  ])('keeps %s on its recorded calendar day and instant', (date, day) => {
    const out: number[] = [];
    expect(appendCompact(out, administration({ date }))).toBe(true);
    const [decoded] = decodeCompact(out, 'Patient/1');
    expect(decoded?.date.slice(0, 10)).toBe(day);
    expect(Date.parse(decoded?.date ?? '')).toBe(Date.parse(date));
    expect(decoded?.score).toBe(5.67);
  });

  it('refuses a partial date, which no window can place', () => {
    expect(appendCompact([], administration({ date: '2025-03' }))).toBe(false);
  });

  it('still lets the history merge see a response and the Observation derived from it as one', () => {
    const out: number[] = [];
    appendCompact(
      out,
      administration({ sources: ['QuestionnaireResponse/q1'], keys: ['QuestionnaireResponse/q1'] }),
    );
    appendCompact(
      out,
      administration({
        date: '2025-03-01T23:31:00-07:00',
        sources: ['Observation/o1'],
        keys: ['Observation/o1'],
        derivedFrom: ['QuestionnaireResponse/q1'],
      }),
    );
    const merged = mergePegHistory(decodeCompact(out, 'Patient/1'));
    expect(merged).toHaveLength(1);
    // the response leads (its time is kept)
    expect(merged[0]?.date).toBe('2025-03-01T23:30:00.000-07:00');
  });

  it('hashes equal keys equally and different keys differently', () => {
    expect(hash53('QuestionnaireResponse/q1')).toBe(hash53('QuestionnaireResponse/q1'));
    expect(hash53('QuestionnaireResponse/q1')).not.toBe(hash53('QuestionnaireResponse/q2'));
    expect(Number.isSafeInteger(hash53('x'))).toBe(true);
  });
});
