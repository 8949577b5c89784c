import { CannotPoolError, type EffectSize } from '../meta-analysis';
import { type KendallTest, kendallTest } from './kendall';

/**
 * Begg and Mazumdar's rank correlation test as metafor's ranktest() runs it: each effect
 * standardised against the equal-effects estimate, (yᵢ − θ̂)/sqrt(vᵢ − v_θ̂), correlated with vᵢ by
 * Kendall's τ. The equal-effects estimate is used whatever model was fitted, as metafor does.
 */
export function beggTest(effects: readonly EffectSize[]): KendallTest {
  if (effects.length < 3)
    throw new CannotPoolError(`Begg's test needs at least 3 studies, got ${effects.length}`);
  const sumW = effects.reduce((s, { vi }) => s + 1 / vi, 0);
  const theta = effects.reduce((s, { yi, vi }) => s + yi / vi, 0) / sumW;
  const vTheta = 1 / sumW;
  const standardised = effects.map(({ yi, vi }) => (yi - theta) / Math.sqrt(vi - vTheta));
  return kendallTest(
    standardised,
    effects.map(({ vi }) => vi),
  );
}
