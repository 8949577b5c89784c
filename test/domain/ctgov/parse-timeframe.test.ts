import { describe, expect, it } from 'vitest';
import { parseTimeframeMonths } from '../../../src/domain/ctgov';

describe('parseTimeframeMonths', () => {
  it.each([
    ['Month 12', 12],
    ['12 months', 12],
    ['12-month', 12],
    ['18 mos', 18],
    ['Week 52', 12], // 52 × 12/52
    ['52 weeks', 12],
    ['Week 24', 5.5], // 24 × 12/52 = 5.538…
    ['Week 26', 6],
    ['Baseline to Week 16', 3.7], // 16 × 12/52 = 3.692…
    ['1 year', 12],
    ['one year', 12],
    ['two years', 24],
    ['Year 1', 12],
    ['Year 2', 24],
    ['2 year/end of study', 24],
    ['4 years', 48],
    ['Day 180', 5.9], // 180 × 12/365.25 = 5.913…
    ['Day 365', 12], // 11.99…
    ['Baseline', 0],
    ['Baseline (single timepoint only)', 0],
    ['Baseline, Month 12', 12],
    ['Baseline, Month 6', 6],
    ['Baseline, 6 and 24 months', 24],
    ['Month 6, 12 and 24', 24],
    ['Weeks 12 and 24', 5.5],
    ['Day 1 through Week 24', 5.5],
    ['Up to 5 years', 60],
  ])('%s → %d months', (text, months) => {
    expect(parseTimeframeMonths(text)).toBe(months);
  });

  it.each([['At 2 hours'], ['End of study'], [''], [null], [undefined]])('%s → null', (text) => {
    expect(parseTimeframeMonths(text)).toBeNull();
  });

  it('refuses timepoints beyond 100 years', () => {
    expect(parseTimeframeMonths('101 years')).toBeNull();
  });
});
