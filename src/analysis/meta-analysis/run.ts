import type { Db } from '../../db/client';
import { compareArms } from '../../domain/controlled-comparison';
import { reportMetaAnalysis } from '../../domain/meta-analysis-report';
import { dataVersion } from '../../store/trial-store';
import { filtersFrom, splitMethod } from '../params';
import { loadComparisonCandidates, subgroupLevel } from './candidates';
import type { ForestPlotQuery, MetaAnalysis } from './schemas';

/** Runs one controlled BMD meta-analysis: candidate rows from SQL, then selection and pooling over k rows. */
export function runMetaAnalysis(db: Db, query: ForestPlotQuery): MetaAnalysis {
  const { estimator } = splitMethod(query.method);
  const filters = {
    ...filtersFrom({ ...query, site: undefined, metric: undefined }),
    site: [query.site] as [typeof query.site],
    metric: [query.metric] as [typeof query.metric],
  };
  const run = db.$client.transaction(() => {
    const candidates = loadComparisonCandidates(db, filters, query.subgroup);
    return { candidates, version: dataVersion(db) };
  });
  const { candidates, version } = run.deferred();
  const set = compareArms(candidates.trials, candidates.arms, candidates.results, {
    effect: query.effect,
    methods: filters.method ?? [],
    subgroupLevel: subgroupLevel(query.subgroup),
  });
  const report = reportMetaAnalysis(set.comparisons, {
    method: estimator,
    test: query.test,
    bySubgroup: query.subgroup !== undefined,
  });
  return {
    site: query.site,
    metric: query.metric,
    method: set.method,
    effect: query.effect,
    test: query.test,
    estimator,
    studies: report.studies,
    pooled: report.pooled,
    pooledReason: report.pooledReason,
    excluded: set.excluded,
    ...(query.subgroup
      ? {
          subgroup: query.subgroup,
          subgroups: report.subgroups ?? [],
          subgroupTest: report.subgroupTest ?? null,
        }
      : {}),
    provenance: report.provenance,
    warnings: report.warnings,
    dataVersion: version,
  };
}
