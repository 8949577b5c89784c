import { withoutStudy } from '../../domain/evidence/sensitivity';
import { tryPool } from '../../domain/evidence-report';
import { asColumns } from '../../domain/meta-analysis';
import { evidenceContext, type PooledBase } from './evidence-base';

/** metafor's leave1out(): the pooled result with each study left out in turn, in study order. */
export function leaveOneOutAnswer(base: PooledBase) {
  const { analysis, effects, options } = base;
  const columns = asColumns(effects);
  return {
    ...evidenceContext(base),
    base: analysis.pooled,
    omitted: analysis.studies.map((study, omitted) => {
      const { pooled, reason } = tryPool(
        withoutStudy(columns, omitted),
        options,
        'No other study is left to pool.',
      );
      return { trialId: study.trialId, title: study.title, pooled, pooledReason: reason };
    }),
  };
}
