import { describe, expect, it } from 'vitest';
import { combineGroups, combineManyGroups } from '../../../src/domain/meta-analysis';

describe('combineGroups (Cochrane Handbook Table 6.5.a)', () => {
  const a = { n: 10, mean: 2, sd: 1 };
  const b = { n: 20, mean: 5, sd: 2 };
  const c = { n: 10, mean: 1, sd: 3 };

  it('combines two groups, hand-worked', () => {
    // N = 10 + 20 = 30; M = (10·2 + 20·5)/30 = 120/30 = 4
    // SS = (10−1)·1² + (20−1)·2² + (10·20/30)·(2 − 5)² = 9 + 76 + 60 = 145
    // SD = √(145/29) = √5 = 2.2360679775
    const combined = combineGroups(a, b);
    expect(combined.n).toBe(30);
    expect(combined.mean).toBeCloseTo(4, 12);
    expect(combined.sd).toBeCloseTo(2.2360679775, 10);
  });

  it('with equal means only the within-group spread remains, hand-worked', () => {
    // N = 10; M = 1; SS = 4·2² + 4·2² + (25/10)·0 = 32; SD = √(32/9) = 1.8856180832
    const combined = combineGroups({ n: 5, mean: 1, sd: 2 }, { n: 5, mean: 1, sd: 2 });
    expect(combined).toEqual({ n: 10, mean: 1, sd: expect.closeTo(1.8856180832, 10) });
  });

  it('combineManyGroups folds left, hand-worked for three groups, in any order', () => {
    // (a ⊕ b) = {30, 4, √5}; ⊕ c: N = 40; M = (30·4 + 10·1)/40 = 130/40 = 3.25
    // SS = 29·5 + 9·3² + (30·10/40)·(4 − 1)² = 145 + 81 + 67.5 = 293.5
    // SD = √(293.5/39) = √7.5256410256 = 2.7432901825
    for (const order of [
      [a, b, c],
      [c, b, a],
      [b, c, a],
    ]) {
      const combined = combineManyGroups(order);
      expect(combined.n).toBe(40);
      expect(combined.mean).toBeCloseTo(3.25, 12);
      expect(combined.sd).toBeCloseTo(2.7432901825, 9);
    }
  });

  it('a single group is returned unchanged; none is an error', () => {
    expect(combineManyGroups([a])).toEqual(a);
    expect(() => combineManyGroups([])).toThrow(RangeError);
  });
});
