import {
  type ArmSummary,
  combineManyGroups,
  type EffectSize,
  hedgesG,
  meanDifference,
} from '../meta-analysis';
import { type Excluded, notEstimable } from './exclusions';
import type { ResultPair } from './result-pair';
import type { ComparisonResult, EffectMeasure } from './types';

/** Callers have checked that every result of the pair has an effective SD (see missingSd). */
const summary = (r: ComparisonResult): ArmSummary => ({
  n: r.n,
  mean: r.mean,
  sd: r.sdEffective as number,
});

/**
 * The effect of the cell-therapy arms, combined into one group, against the control; or why it
 * cannot be estimated, so the trial is listed as excluded instead of poisoning the pool.
 */
export function pairEffect(pair: ResultPair, measure: EffectMeasure): EffectSize | Excluded {
  let effect: EffectSize;
  try {
    const g1 = combineManyGroups(pair.cells.map(summary));
    const g2 = summary(pair.control);
    effect = measure === 'MD' ? meanDifference(g1, g2) : hedgesG(g1, g2);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return notEstimable(error.message);
  }
  // An SD so small that g or g² overflows (SDs of 1e-160) gives an infinite yi or vi, which metafor
  // drops from the model; here the trial is excluded so that the other studies still pool.
  if (
    !(
      Number.isFinite(effect.yi) &&
      Number.isFinite(effect.vi) &&
      effect.vi > 0 &&
      Number.isFinite(1 / effect.vi)
    )
  )
    return notEstimable(
      'The effect or its sampling variance is not a finite positive number (an SD used is 0, or so small that the effect overflows).',
    );
  return effect;
}
