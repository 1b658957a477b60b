/**
 * ANCOVA checked against an independent computation: ordinary least squares of
 * change = β0 + β1·arm + β2·baseline solved from the normal equations (XᵀX)β = Xᵀy with a 3×3
 * inverse written out here, and SE(β1) = √(s²·[(XᵀX)⁻¹]₁₁). Nothing of ancova.ts is reused.
 */
import { describe, expect, it } from 'vitest';
import { ancova, armSums } from '../../../src/domain/stats/ancova.ts';

type Point = { x: number; y: number };

/** Inverse of a 3×3 matrix by cofactors. */
function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [
    [number, number, number],
    [number, number, number],
    [number, number, number],
  ];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

function olsArmEffect(a: Point[], b: Point[]): { beta1: number; se: number; slope: number } {
  const rows = [
    ...a.map((p) => ({ x: [1, 1, p.x], y: p.y })),
    ...b.map((p) => ({ x: [1, 0, p.x], y: p.y })),
  ];
  const xtx = [0, 1, 2].map((r) =>
    [0, 1, 2].map((c) => rows.reduce((s, row) => s + row.x[r]! * row.x[c]!, 0)),
  );
  const xty = [0, 1, 2].map((r) => rows.reduce((s, row) => s + row.x[r]! * row.y, 0));
  const inv = inverse3(xtx);
  const beta = inv.map((row) => row.reduce((s, v, k) => s + v * xty[k]!, 0));
  const sse = rows.reduce(
    (s, row) => s + (row.y - row.x.reduce((t, v, k) => t + v * beta[k]!, 0)) ** 2,
    0,
  );
  const s2 = sse / (rows.length - 3);
  return { beta1: beta[1]!, se: Math.sqrt(s2 * inv[1]![1]!), slope: beta[2]! };
}

const REFERRED: Point[] = [
  { x: 4, y: -1 },
  { x: 6, y: -2.5 },
  { x: 8, y: -3 },
  { x: 7.33, y: -1.67 },
  { x: 5.67, y: -0.33 },
];
const COMPARISON: Point[] = [
  { x: 5, y: 0 },
  { x: 7, y: -1.5 },
  { x: 9, y: -2 },
  { x: 3.67, y: 0.67 },
];

describe('ANCOVA adjusted for baseline PEG', () => {
  it('matches ordinary least squares solved from the normal equations', () => {
    const ols = olsArmEffect(REFERRED, COMPARISON);
    const result = ancova(armSums(REFERRED), armSums(COMPARISON));
    expect(result.kind).toBe('estimate');
    if (result.kind !== 'estimate') {
      return;
    }
    expect(result.difference).toBeCloseTo(ols.beta1, 10);
    expect(result.standardError).toBeCloseTo(ols.se, 10);
    expect(result.slope).toBeCloseTo(ols.slope, 10);
    expect(result.df).toBe(REFERRED.length + COMPARISON.length - 3);
  });

  it('moves the raw difference by the slope times the baseline imbalance (hand-worked)', () => {
    // Both arms lose exactly 0.5 point per baseline point: slope −0.5. Means: x̄ 6 vs 7,
    // ȳ −2 vs −1, so the adjusted difference is (−2 − −1) − (−0.5)(6 − 7) = −1.5; one point off
    // the line in each arm keeps a residual variance.
    const a = [
      { x: 4, y: -1 },
      { x: 6, y: -2 },
      { x: 8, y: -3 },
      { x: 6, y: -2 },
    ];
    const b = [
      { x: 5, y: 0 },
      { x: 7, y: -1 },
      { x: 9, y: -2 },
      { x: 7, y: -1 },
    ];
    const noisyA = [...a, { x: 6, y: -2.2 }, { x: 6, y: -1.8 }];
    const noisyB = [...b, { x: 7, y: -1.2 }, { x: 7, y: -0.8 }];
    const result = ancova(armSums(noisyA), armSums(noisyB));
    expect(result).toMatchObject({ kind: 'estimate' });
    expect(result.kind === 'estimate' && result.slope).toBeCloseTo(-0.5, 10);
    expect(result.kind === 'estimate' && result.difference).toBeCloseTo(-1.5, 10);
  });

  it.each([
    ['an arm with one patient', [{ x: 5, y: -1 }], COMPARISON, 'fewer-than-two'],
    [
      'every baseline equal',
      [
        { x: 5, y: -1 },
        { x: 5, y: -2 },
      ],
      [
        { x: 5, y: 0 },
        { x: 5, y: 1 },
      ],
      'no-baseline-spread',
    ],
  ])('says why it cannot estimate with %s', (_label, a, b, reason) => {
    expect(ancova(armSums(a), armSums(b))).toEqual({ kind: 'insufficient', reason });
  });
});
