import { firstStudies } from '../../domain/evidence/sensitivity';
import { tryPool } from '../../domain/evidence-report';
import { asColumns } from '../../domain/meta-analysis';
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
      return a.study.trialId < b.study.trialId ? -1 : a.study.trialId > b.study.trialId ? 1 : 0;
    });
  // The effects in that order, made once as columns: step j pools a prefix of them, a view.
  const effects = asColumns(ordered.map(({ study: s }) => ({ yi: s.yi, vi: s.vi })));
  const steps = ordered.map(({ study }, j) => {
    const { pooled, reason } = tryPool(firstStudies(effects, j + 1), options, 'Nothing to pool.');
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
