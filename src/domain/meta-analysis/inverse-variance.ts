import type { EffectSize } from './types';

/** The intercept-only weighted least-squares fit every estimator and test below is built on. */
export interface WeightedFit {
  /** Σ wᵢ with wᵢ = 1/(vᵢ + τ²). */
  sumW: number;
  /** Σ wᵢ², needed for the DL denominator and for I²'s typical within-study variance. */
  sumW2: number;
  /** μ̂ = Σ wᵢyᵢ / Σ wᵢ. */
  mean: number;
  /** Σ wᵢ(yᵢ − μ̂)²: Cochran's Q at τ² = 0, the generalized Q otherwise. */
  rss: number;
}

export function weightedFit(effects: readonly EffectSize[], tau2: number): WeightedFit {
  let sumW = 0;
  let sumW2 = 0;
  let sumWy = 0;
  for (const { yi, vi } of effects) {
    const w = 1 / (vi + tau2);
    sumW += w;
    sumW2 += w * w;
    sumWy += w * yi;
  }
  const mean = sumWy / sumW;
  // Second pass rather than Σwy² − (Σwy)²/Σw, which cancels badly when Q is small.
  let rss = 0;
  for (const { yi, vi } of effects) {
    const r = yi - mean;
    rss += (r * r) / (vi + tau2);
  }
  return { sumW, sumW2, mean, rss };
}

/**
 * Shifts the estimates by their unweighted mean. τ² and Q are invariant to a common shift, and
 * metafor estimates τ² on centred data too: it keeps the residuals small relative to the values.
 */
export function centred(effects: readonly EffectSize[]): EffectSize[] {
  let sum = 0;
  for (const { yi } of effects) sum += yi;
  const shift = sum / effects.length;
  return effects.map(({ yi, vi }) => ({ yi: yi - shift, vi }));
}
