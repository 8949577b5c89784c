import { describe, expect, it } from 'vitest';
import { chiSquareUpperTail } from '../../../src/domain/meta-analysis/distributions';

describe('chiSquareUpperTail (R pchisq(x, df, lower.tail = FALSE))', () => {
  it('matches closed forms near the centre: df = 2 → exp(−x/2); df = 1 → erfc(√(x/2))', () => {
    expect(chiSquareUpperTail(1, 2)).toBeCloseTo(0.6065306597, 10); // exp(−0.5)
    expect(chiSquareUpperTail(2, 1)).toBeCloseTo(0.1572992071, 10); // erfc(1)
    expect(chiSquareUpperTail(0, 3)).toBe(1);
  });

  it('keeps full relative precision far in the tail, where 1 − cdf would be 0', () => {
    const exp100 = 3.720075976020836e-44; // exp(−100) = P(χ²₂ > 200)
    expect(Math.abs(chiSquareUpperTail(200, 2) - exp100) / exp100).toBeLessThan(1e-12);
    const erfcSqrt50 = 1.5239706048320995e-23; // erfc(√50) = P(χ²₁ > 100)
    expect(Math.abs(chiSquareUpperTail(100, 1) - erfcSqrt50) / erfcSqrt50).toBeLessThan(1e-10);
  });
});
