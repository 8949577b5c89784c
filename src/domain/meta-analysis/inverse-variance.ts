import type { EffectColumns, Effects } from './types';

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

/** The effects as columns; columns are returned as they are. */
export function asColumns(effects: Effects): EffectColumns {
  if (!Array.isArray(effects)) return effects as EffectColumns;
  const rows = effects as readonly { yi: number; vi: number }[];
  const y = new Float64Array(rows.length);
  const v = new Float64Array(rows.length);
  rows.forEach(({ yi, vi }, i) => {
    y[i] = yi;
    v[i] = vi;
  });
  return { y, v };
}

/** How many studies the effects hold. */
export function effectCount(effects: Effects): number {
  return Array.isArray(effects) ? effects.length : (effects as EffectColumns).y.length;
}

export function weightedFit({ y, v }: EffectColumns, tau2: number): WeightedFit {
  const k = y.length;
  let sumW = 0;
  let sumW2 = 0;
  let sumWy = 0;
  for (let i = 0; i < k; i++) {
    const w = 1 / ((v[i] as number) + tau2);
    sumW += w;
    sumW2 += w * w;
    sumWy += w * (y[i] as number);
  }
  const mean = sumWy / sumW;
  // Second pass rather than Σwy² − (Σwy)²/Σw, which cancels badly when Q is small.
  let rss = 0;
  for (let i = 0; i < k; i++) {
    const r = (y[i] as number) - mean;
    rss += (r * r) / ((v[i] as number) + tau2);
  }
  return { sumW, sumW2, mean, rss };
}

/**
 * Shifts the estimates by their unweighted mean. τ² and Q are invariant to a common shift, and
 * metafor estimates τ² on centred data too: it keeps the residuals small relative to the values.
 */
export function centred({ y, v }: EffectColumns): EffectColumns {
  const k = y.length;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += y[i] as number;
  const shift = sum / k;
  const shifted = new Float64Array(k);
  for (let i = 0; i < k; i++) shifted[i] = (y[i] as number) - shift;
  return { y: shifted, v };
}
