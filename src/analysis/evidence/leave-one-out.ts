import { eachLeftOut } from '../../domain/evidence/sensitivity';
import { tryPool } from '../../domain/evidence-report';
import { evidenceContext, type PooledBase } from './evidence-base';

/** metafor's leave1out(): the pooled result with each study left out in turn, in study order. */
export function leaveOneOutAnswer(base: PooledBase) {
  const { analysis, effects, options } = base;
  const pools = eachLeftOut(effects, (rest) => tryPool(rest, options, 'No other study is left to pool.'));
  return {
    ...evidenceContext(base),
    base: analysis.pooled,
    omitted: analysis.studies.map((study, i) => {
      const { pooled, reason } = pools[i] as (typeof pools)[number];
      return { trialId: study.trialId, title: study.title, pooled, pooledReason: reason };
    }),
  };
}
