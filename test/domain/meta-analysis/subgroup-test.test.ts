import { describe, expect, it } from 'vitest';
import { CannotPoolError, subgroupDifferenceTest } from '../../../src/domain/meta-analysis';

describe('subgroupDifferenceTest (RevMan test for subgroup differences)', () => {
  it('two equally precise subgroups, hand-worked', () => {
    // w = 1/1² = 1 each; μ̄ = (1 + 3)/2 = 2; Q = 1·(1−2)² + 1·(3−2)² = 2; df = 1
    // p = P(χ²₁ > 2) = erfc(1) = 0.1572992071 (tables)
    const result = subgroupDifferenceTest([
      { estimate: 1, se: 1 },
      { estimate: 3, se: 1 },
    ]);
    expect(result.qBetween).toBeCloseTo(2, 12);
    expect(result.df).toBe(1);
    expect(result.pValue).toBeCloseTo(0.1572992071, 9);
  });

  it('three unequally precise subgroups, hand-worked', () => {
    // w = 1/0.5² = 4, 1/1² = 1, 1/2² = 0.25; Σw = 5.25
    // μ̄ = (4·0 + 1·1 + 0.25·2)/5.25 = 1.5/5.25 = 2/7
    // Q = 4·(2/7)² + 1·(5/7)² + 0.25·(12/7)² = (16 + 25 + 36)/49 = 77/49 = 11/7; df = 2
    // p = P(χ²₂ > 11/7) = exp(−11/14) = 0.4557940183
    const result = subgroupDifferenceTest([
      { estimate: 0, se: 0.5 },
      { estimate: 1, se: 1 },
      { estimate: 2, se: 2 },
    ]);
    expect(result.qBetween).toBeCloseTo(11 / 7, 12);
    expect(result.df).toBe(2);
    expect(result.pValue).toBeCloseTo(0.4557940183, 9);
  });

  it('fewer than two subgroups: nothing to test', () => {
    expect(subgroupDifferenceTest([{ estimate: 1, se: 1 }])).toEqual({ qBetween: 0, df: 0, pValue: null });
    expect(subgroupDifferenceTest([])).toEqual({ qBetween: 0, df: 0, pValue: null });
  });

  it('rejects a zero or non-finite standard error', () => {
    expect(() =>
      subgroupDifferenceTest([
        { estimate: 1, se: 0 },
        { estimate: 2, se: 1 },
      ]),
    ).toThrow(CannotPoolError);
    expect(() =>
      subgroupDifferenceTest([
        { estimate: 1, se: Number.POSITIVE_INFINITY },
        { estimate: 2, se: 1 },
      ]),
    ).toThrow(CannotPoolError);
  });
});
