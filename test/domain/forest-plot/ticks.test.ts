import { describe, expect, it } from 'vitest';
import { dataRange, niceStep, niceTicks } from '../../../src/domain/forest-plot/scale';
import type { ForestStudy } from '../../../src/domain/forest-plot/types';

// Rule: step = smallest {1, 2, 5} × 10ⁿ ≥ (hi − lo) / 6; ticks run from the largest multiple of
// the step ≤ lo to the smallest multiple ≥ hi.
describe('niceTicks (hand-checked)', () => {
  it('[-3.2, 7.9]: 11.1 / 6 = 1.85 → step 2 → -4 … 8', () => {
    expect(niceTicks(-3.2, 7.9)).toEqual({ values: [-4, -2, 0, 2, 4, 6, 8], step: 2 });
  });

  it('[0, 1]: 1 / 6 = 0.167 → step 0.2, without floating-point noise', () => {
    expect(niceTicks(0, 1).values).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('[-0.5, 12]: 12.5 / 6 = 2.08 → step 5 → -5 … 15', () => {
    expect(niceTicks(-0.5, 12)).toEqual({ values: [-5, 0, 5, 10, 15], step: 5 });
  });

  it('[0.013, 0.087]: 0.074 / 6 = 0.0123 → step 0.02 → 0 … 0.1', () => {
    expect(niceTicks(0.013, 0.087).values).toEqual([0, 0.02, 0.04, 0.06, 0.08, 0.1]);
  });

  it('[-30, -3]: 27 / 6 = 4.5 → step 5 → -30 … 0 (ends already on multiples stay)', () => {
    expect(niceTicks(-30, -3).values).toEqual([-30, -25, -20, -15, -10, -5, 0]);
  });

  it('a degenerate range is widened by 1 each side', () => {
    expect(niceTicks(0, 0).values).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('non-finite ends fall back to [-1, 1] and never produce -0', () => {
    const { values } = niceTicks(Number.NaN, Number.POSITIVE_INFINITY);
    expect(values).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(values.some((v) => Object.is(v, -0))).toBe(false);
  });
});

describe('niceStep', () => {
  it.each([
    [1.85, 2],
    [2, 2],
    [2.01, 5],
    [5.5, 10],
    [0.03, 0.05],
    [0.0011, 0.002],
    [730, 1000],
  ])('%f → %f', (rough, step) => {
    expect(niceStep(rough)).toBeCloseTo(step, 12);
  });
});

describe('dataRange', () => {
  const study = (estimate: number, ciLower: number, ciUpper: number): ForestStudy => ({
    label: 's',
    estimate,
    ciLower,
    ciUpper,
    weight: 10,
  });

  it('contains 0 and all CIs when they are of similar width', () => {
    expect(dataRange([study(1, 0.5, 1.5), study(2, 1.4, 2.6)], null)).toEqual([0, 2.6]);
  });

  it('limits one very wide CI to one reach beyond the core (estimates, pooled CI and 0)', () => {
    // core [0, 2]; median CI width 1 → reach max(2 / 2, 1) = 1 → at most [-1, 3].
    const range = dataRange([study(1, 0.5, 1.5), study(2, 1.5, 2.5), study(1.5, -40, 60)], null);
    expect(range).toEqual([-1, 3]);
  });

  it('ignores infinite bounds (they are drawn clipped)', () => {
    expect(dataRange([study(1, 0.5, Number.POSITIVE_INFINITY)], null)).toEqual([0, 1]);
  });
});
