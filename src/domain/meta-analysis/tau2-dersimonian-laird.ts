import { weightedFit } from './inverse-variance';
import type { EffectColumns } from './types';

/**
 * DerSimonian–Laird moment estimator: τ² = (Q − (k−1)) / (Σw − Σw²/Σw) with w = 1/vᵢ, truncated
 * at 0. Needs k ≥ 2 (the denominator is 0 for a single study).
 */
export function tau2DerSimonianLaird(effects: EffectColumns): number {
  const { sumW, sumW2, rss: q } = weightedFit(effects, 0);
  const k = effects.y.length;
  return Math.max(0, (q - (k - 1)) / (sumW - sumW2 / sumW));
}
