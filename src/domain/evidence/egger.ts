import { CannotPoolError, type EffectSize } from '../meta-analysis';
import { tTwoSidedP } from '../meta-analysis/distributions';
import { fitWeighted } from './weighted-regression';

export interface EggerTest {
  /** t statistic of the standard-error slope. */
  statistic: number;
  df: number;
  pValue: number;
  /** The intercept: the effect a study of infinite size would show. */
  limitEstimate: number;
}

/**
 * Egger's regression test as metafor's regtest(model = "lm") runs it: a weighted linear model of
 * yᵢ on sqrt(vᵢ) with weights 1/vᵢ and a multiplicative dispersion (lm's residual variance), the
 * slope tested by t on k − 2 df. It does not depend on the τ² estimator. Needs k ≥ 3.
 */
export function eggerTest(effects: readonly EffectSize[]): EggerTest {
  const k = effects.length;
  if (k < 3) throw new CannotPoolError(`Egger's test needs at least 3 studies, got ${k}`);
  const design = effects.map(({ vi }) => [1, Math.sqrt(vi)]);
  const fit = fitWeighted(effects, design, 0);
  if (!fit) throw new CannotPoolError('every study has the same standard error');
  const df = k - 2;
  const dispersion = fit.rss / df;
  if (!(dispersion > 0))
    throw new CannotPoolError('the studies lie exactly on a line, so there is no dispersion');
  const slope = fit.beta[1] ?? Number.NaN;
  const statistic = slope / Math.sqrt(dispersion * fit.inverse.get(1, 1));
  return { statistic, df, pValue: tTwoSidedP(statistic, df), limitEstimate: fit.beta[0] ?? Number.NaN };
}
