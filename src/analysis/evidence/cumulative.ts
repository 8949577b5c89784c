import { eachPrefix } from '../../domain/evidence/sensitivity';
import { tryPool } from '../../domain/evidence-report';
import { codeUnitOrder } from '../../domain/text-order';
import { type EvidenceBase, evidenceContext } from './evidence-base';

/**
 * metafor's cumul(): studies ordered by start date ascending (partial dates as their first day),
 * ties by trial id, undated trials last; step j pools the first j.
 */
export function cumulativeAnswer(base: EvidenceBase) {
  const { analysis, facts, options } = base;
  const ordered = analysis.studies
    .map((study) => ({ study, start: facts.get(study.trialId)?.startSort ?? null }))
    .sort((a, b) => {
      if (a.start !== b.start) {
        if (a.start === null) return 1;
        if (b.start === null) return -1;
        return a.start < b.start ? -1 : 1;
      }
      return codeUnitOrder(a.study.trialId, b.study.trialId);
    });
  // Step j pools a prefix of the effects in that order: a view of columns made once.
  const pools = eachPrefix(
    ordered.map(({ study: s }) => ({ yi: s.yi, vi: s.vi })),
    (first) => tryPool(first, options, 'Nothing to pool.'),
  );
  const steps = ordered.map(({ study }, j) => {
    const { pooled, reason } = pools[j] as (typeof pools)[number];
    return {
      trialId: study.trialId,
      title: study.title,
      startDate: facts.get(study.trialId)?.startDate ?? null,
      pooled,
      pooledReason: reason,
    };
  });
  return { ...evidenceContext(base), steps };
}
