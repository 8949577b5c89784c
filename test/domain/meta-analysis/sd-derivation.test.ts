import { describe, expect, it } from 'vitest';
import { deriveSd } from '../../../src/domain/meta-analysis';

const none = { sd: null, se: null, ciLower: null, ciUpper: null };

describe('deriveSd (Cochrane Handbook 6.5.2)', () => {
  it('prefers the reported SD', () => {
    expect(deriveSd({ n: 10, sd: 3, se: 1, ciLower: 0, ciUpper: 1 })).toEqual({
      sdEffective: 3,
      sdSource: 'REPORTED',
    });
    expect(deriveSd({ ...none, n: 1, sd: 0 })).toEqual({ sdEffective: 0, sdSource: 'REPORTED' });
  });

  it('SE → SD: SD = SE·√n, hand-worked', () => {
    // n = 25, SE = 2 → SD = 2·√25 = 10
    expect(deriveSd({ ...none, n: 25, se: 2, ciLower: 8, ciUpper: 12 })).toEqual({
      sdEffective: 10,
      sdSource: 'FROM_SE',
    });
  });

  it('CI → SD: SD = √n·(upper − lower)/(2·t_{0.975, n−1}), hand-worked with t from tables', () => {
    // n = 10, 95% CI [8, 12]; t_{0.975, 9} = 2.262157
    // SD = √10 · 4 / (2 · 2.262157) = 12.6491106 / 4.524314 = 2.7958074
    const derived = deriveSd({ ...none, n: 10, ciLower: 8, ciUpper: 12 });
    expect(derived.sdSource).toBe('FROM_CI');
    expect(derived.sdEffective).toBeCloseTo(2.7958074, 6);
  });

  it('an unusable SE falls through to the CI', () => {
    expect(deriveSd({ ...none, n: 10, se: -1, ciLower: 8, ciUpper: 12 }).sdSource).toBe('FROM_CI');
  });

  it('n < 2 cannot be derived from: nulls', () => {
    expect(deriveSd({ ...none, n: 1, se: 2 })).toEqual({ sdEffective: null, sdSource: null });
    expect(deriveSd({ ...none, n: 1, ciLower: 8, ciUpper: 12 })).toEqual({
      sdEffective: null,
      sdSource: null,
    });
    expect(deriveSd({ ...none, n: 0, se: 2 })).toEqual({ sdEffective: null, sdSource: null });
  });

  it('nothing usable: nulls', () => {
    expect(deriveSd({ ...none, n: 30 })).toEqual({ sdEffective: null, sdSource: null });
    expect(deriveSd({ ...none, n: 30, ciLower: 8 })).toEqual({ sdEffective: null, sdSource: null });
    expect(deriveSd({ ...none, n: 30, ciLower: 12, ciUpper: 8 })).toEqual({
      sdEffective: null,
      sdSource: null,
    });
  });
});
