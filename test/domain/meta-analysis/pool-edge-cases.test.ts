import { describe, expect, it } from 'vitest';
import { CannotPoolError, type Pooled, pool, type TauMethod } from '../../../src/domain/meta-analysis';

const methods: TauMethod[] = ['EE', 'DL', 'REML', 'PM'];

function expectAllFinite(result: Pooled): void {
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'number') expect(Number.isFinite(value), key).toBe(true);
  }
}

describe('pool() on hand-worked data: yi = 1, 3 with vi = 1, 1', () => {
  const effects = [
    { yi: 1, vi: 1 },
    { yi: 3, vi: 1 },
  ];

  it('EE: μ̂ = 2, se = √½, Q = 2 on 1 df, I² = 50%, H² = 2', () => {
    // Q = (1−2)² + (3−2)² = 2; P(χ²₁ > 2) = erfc(1) = 0.1572992071; I² = 100·(2−1)/2; H² = 2/1
    const r = pool(effects, { method: 'EE', test: 'z' });
    expect(r.estimate).toBeCloseTo(2, 12);
    expect(r.se).toBeCloseTo(Math.SQRT1_2, 12);
    expect(r.tau2).toBe(0);
    expect(r.q).toBeCloseTo(2, 12);
    expect(r.qDf).toBe(1);
    expect(r.qPValue).toBeCloseTo(0.1572992071, 9);
    expect(r.i2).toBeCloseTo(50, 9);
    expect(r.h2).toBeCloseTo(2, 9);
    expect([r.predictionLower, r.predictionUpper]).toEqual([r.ciLower, r.ciUpper]);
  });

  // With equal vᵢ = v every estimator has a closed form here: DL τ² = (Q − 1)/(Σw − Σw²/Σw) =
  // (2 − 1)/(2 − 1) = 1; PM solves 2/(1 + τ²) = 1 → 1; REML = Σ(yᵢ − ȳ)²/(k − 1) − v = 2 − 1 = 1.
  // Then w = ½ each, se = 1, s² = 1·2/(4 − 2) = 1 → I² = 50%, H² = 2.
  for (const method of ['DL', 'REML', 'PM'] as const) {
    it(`${method}: τ² = 1, se = 1, z-interval and prediction interval`, () => {
      const r = pool(effects, { method, test: 'z' });
      expect(r.tau2).toBeCloseTo(1, 10);
      expect(r.estimate).toBeCloseTo(2, 12);
      expect(r.se).toBeCloseTo(1, 10);
      // z_0.975 = 1.959963985 (tables); PI half-width z·√(se² + τ²) = 1.959963985·√2 = 2.7718076487
      expect(r.ciLower).toBeCloseTo(2 - 1.959963985, 8);
      expect(r.ciUpper).toBeCloseTo(2 + 1.959963985, 8);
      expect(r.predictionLower).toBeCloseTo(2 - 2.7718076487, 9);
      expect(r.predictionUpper).toBeCloseTo(2 + 2.7718076487, 9);
      // z = 2: p = 2·(1 − Φ(2)) = 0.0455002639
      expect(r.pValue).toBeCloseTo(0.0455002639, 9);
      expect(r.i2).toBeCloseTo(50, 8);
      expect(r.h2).toBeCloseTo(2, 9);
    });
  }

  it('Knapp–Hartung: se_KH = √(Σw(y−μ̂)²/((k−1)Σw)) = 1, t on 1 df (Cauchy, closed form)', () => {
    // DL: w = ½ each, Σw(y−μ̂)² = ½ + ½ = 1, (k−1)Σw = 1 → se_KH = 1; t = 2
    // p = 2·P(T₁ > 2) = 1 − 2·atan(2)/π = 0.2951672353; t_{0.975,1} = tan(0.475π) = 12.7062047362
    // PI half-width = 12.7062047362·√(1 + 1) = 17.9692870642
    const r = pool(effects, { method: 'DL', test: 'knha' });
    expect(r.test).toBe('knha');
    expect(r.se).toBeCloseTo(1, 10);
    expect(r.pValue).toBeCloseTo(0.2951672353, 9);
    expect(r.ciLower).toBeCloseTo(2 - 12.7062047362, 7);
    expect(r.ciUpper).toBeCloseTo(2 + 12.7062047362, 7);
    expect(r.predictionLower).toBeCloseTo(2 - 17.9692870642, 7);
    expect(r.predictionUpper).toBeCloseTo(2 + 17.9692870642, 7);
  });
});

describe('pool() with a single study (k = 1)', () => {
  // yi = 0.5, vi = 0.04 → se = 0.2, z = 2.5, p = 2·(1 − Φ(2.5)) = 0.0124193307;
  // CI = 0.5 ± 1.959963985·0.2 = [0.1080072031, 0.8919927969]
  for (const method of methods) {
    for (const test of ['z', 'knha'] as const) {
      it(`${method}/${test}: no heterogeneity, z-based CI, prediction interval = CI`, () => {
        const r = pool([{ yi: 0.5, vi: 0.04 }], { method, test });
        expect(r).toMatchObject({
          k: 1,
          tau2: 0,
          q: null,
          qDf: 0,
          qPValue: null,
          i2: null,
          h2: null,
          method,
        });
        // t with k − 1 = 0 df is undefined, so Knapp–Hartung falls back to (and reports) the z-test.
        expect(r.test).toBe('z');
        expect(r.estimate).toBe(0.5);
        expect(r.se).toBeCloseTo(0.2, 14);
        expect(r.pValue).toBeCloseTo(0.0124193307, 9);
        expect(r.ciLower).toBeCloseTo(0.1080072031, 9);
        expect(r.ciUpper).toBeCloseTo(0.8919927969, 9);
        expect(r.predictionLower).toBe(r.ciLower);
        expect(r.predictionUpper).toBe(r.ciUpper);
      });
    }
  }
});

describe('pool() edge cases', () => {
  it('k = 0 throws CannotPoolError', () => {
    expect(() => pool([], { method: 'REML', test: 'z' })).toThrow(CannotPoolError);
  });

  it.each([
    ['zero variance', { yi: 1, vi: 0 }],
    ['negative variance', { yi: 1, vi: -0.1 }],
    ['NaN variance', { yi: 1, vi: Number.NaN }],
    ['infinite variance', { yi: 1, vi: Number.POSITIVE_INFINITY }],
    ['subnormal variance (infinite weight)', { yi: 1, vi: 1e-320 }],
    ['NaN estimate', { yi: Number.NaN, vi: 1 }],
    ['infinite estimate', { yi: Number.NEGATIVE_INFINITY, vi: 1 }],
  ])('%s throws CannotPoolError', (_label, bad) => {
    for (const method of methods) {
      expect(() => pool([{ yi: 0.2, vi: 0.1 }, bad], { method, test: 'z' })).toThrow(CannotPoolError);
    }
  });

  it('rejects a level outside (0, 1)', () => {
    expect(() => pool([{ yi: 1, vi: 1 }], { method: 'EE', test: 'z', level: 95 })).toThrow(RangeError);
  });

  it('less dispersion than chance (Q < k − 1): τ² = 0 for DL, REML and PM; I² = 0, H² = 1', () => {
    // yi = 0, 0.1, −0.1 with vi = 1: Q = 0.01 + 0.01 = 0.02 < 2
    const effects = [
      { yi: 0, vi: 1 },
      { yi: 0.1, vi: 1 },
      { yi: -0.1, vi: 1 },
    ];
    for (const method of ['DL', 'REML', 'PM'] as const) {
      const r = pool(effects, { method, test: 'z' });
      expect(r.tau2, method).toBe(0);
      expect(r.q, method).toBeCloseTo(0.02, 12);
      expect(r.i2, method).toBe(0);
      expect(r.h2, method).toBe(1);
    }
    // EE: I² = max(0, 100·(0.02 − 2)/0.02) = 0; H² = 0.02/2 = 0.01
    const ee = pool(effects, { method: 'EE', test: 'z' });
    expect(ee.i2).toBe(0);
    expect(ee.h2).toBeCloseTo(0.01, 12);
  });

  it('identical estimates: EE gives Q = 0, I² = 0 instead of 0/0', () => {
    const r = pool(
      [
        { yi: 1, vi: 0.1 },
        { yi: 1, vi: 0.2 },
      ],
      { method: 'EE', test: 'z' },
    );
    expect(r.q).toBe(0);
    expect(r.i2).toBe(0);
    expect(r.h2).toBe(0);
    expectAllFinite(r);
  });

  it('identical estimates under Knapp–Hartung: se_KH = 0 gives limits, never NaN or Infinity', () => {
    const effects = [
      { yi: 1, vi: 0.1 },
      { yi: 1, vi: 0.2 },
      { yi: 1, vi: 0.3 },
    ];
    for (const method of methods) {
      const r = pool(effects, { method, test: 'knha' });
      expectAllFinite(r);
      expect(r.se).toBe(0);
      expect([r.ciLower, r.ciUpper]).toEqual([1, 1]);
      expect(r.pValue).toBe(0);
    }
    const atZero = pool(
      effects.map(({ vi }) => ({ yi: 0, vi })),
      { method: 'DL', test: 'knha' },
    );
    expect(atZero.pValue).toBe(1);
  });
});
