import { tryPool } from '../../domain/evidence-report';
import { evidenceContext, type PooledBase } from './evidence-base';

/** metafor's leave1out(): the pooled result with each study left out in turn, in study order. */
export function leaveOneOutAnswer(base: PooledBase) {
  const { analysis, effects, options } = base;
  return {
    ...evidenceContext(base),
    base: analysis.pooled,
    omitted: analysis.studies.map((study, omitted) => {
      const { pooled, reason } = tryPool(
        effects.filter((_, i) => i !== omitted),
        options,
        'No other study is left to pool.',
      );
      return { trialId: study.trialId, title: study.title, pooled, pooledReason: reason };
    }),
  };
}
