import { chiSquareUpperTail } from './distributions';
import { weightedFit } from './inverse-variance';
import type { EffectColumns, TauMethod } from './types';

export interface Heterogeneity {
  q: number;
  qDf: number;
  qPValue: number;
  i2: number;
  h2: number;
}

/**
 * Cochran's Q test and I²/H² as metafor's rma.uni() reports them. Needs k ≥ 2.
 *
 * Q always uses the inverse sampling-variance weights 1/vᵢ, whatever τ² method was used, so the
 * test of homogeneity does not depend on the estimator. I² and H², however, do: for random-effects
 * fits they are derived from the estimated τ² and the "typical" within-study variance
 * s² = (k−1)Σw / ((Σw)² − Σw²) (Higgins & Thompson 2002), so they agree with DL's Q-based values
 * only under DL. For EE, where τ² is 0 by definition, they come from Q directly.
 */
export function heterogeneity(effects: EffectColumns, tau2: number, method: TauMethod): Heterogeneity {
  const k = effects.y.length;
  const qDf = k - 1;
  const { sumW, sumW2, rss: q } = weightedFit(effects, 0);
  const qPValue = chiSquareUpperTail(q, qDf);

  if (method === 'EE') {
    // Q = 0 (identical estimates) gives metafor's max(0, −∞) = 0 rather than a division by zero.
    const i2 = q > 0 ? Math.max(0, (100 * (q - qDf)) / q) : 0;
    return { q, qDf, qPValue, i2, h2: q / qDf };
  }

  const s2 = ((k - 1) * sumW) / (sumW * sumW - sumW2);
  return { q, qDf, qPValue, i2: (100 * tau2) / (tau2 + s2), h2: (tau2 + s2) / s2 };
}
