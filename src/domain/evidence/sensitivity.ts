import { type EffectSize, type Pooled, type PoolOptions, pool } from '../meta-analysis';

/** metafor's leave1out(): the pooled result with each study left out in turn, in study order. */
export function leaveOneOut(effects: readonly EffectSize[], options: PoolOptions): Pooled[] {
  return effects.map((_, omitted) =>
    pool(
      effects.filter((_, i) => i !== omitted),
      options,
    ),
  );
}

/**
 * metafor's cumul(): step j pools the first j studies of `ordered`, so a reader sees how the
 * estimate moved as the evidence arrived. The caller orders the studies (by start date).
 */
export function cumulative(ordered: readonly EffectSize[], options: PoolOptions): Pooled[] {
  return ordered.map((_, j) => pool(ordered.slice(0, j + 1), options));
}
