import type { Db } from '../../db/client';
import {
  type ComparisonOptions,
  compareArms,
  compareUnits,
  withDoses,
} from '../../domain/controlled-comparison';
import { reportMetaAnalysis } from '../../domain/meta-analysis-report';
import type { Filters } from '../../filters/params';
import { dataVersion } from '../../store/trial-store';
import { filtersFrom, splitMethod } from '../params';
import { loadArmDoses, loadComparisonCandidates, subgroupLevel } from './candidates';
import type { ForestPlotQuery, MetaAnalysis, StudyPage } from './schemas';
import { loadStoredCandidates } from './stored-candidates';
import type { SharedStoredRows } from './stored-rows';

/** Exclusions listed by name in an answer; the rest are counted, by reason. */
export const MAX_LISTED_EXCLUSIONS = 500;

function countByReason(excluded: readonly { reason: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { reason } of excluded) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

/** The comparison of the candidates read from the arm and result tables (a subgroup's facet values are not stored). */
function compareTableCandidates(
  db: Db,
  filters: Filters & { site: [string]; metric: [string] },
  subgroup: ForestPlotQuery['subgroup'],
  options: ComparisonOptions,
) {
  const c = loadComparisonCandidates(db, filters, subgroup);
  return compareArms(c.trials, c.arms, c.results, options);
}

/**
 * Runs one controlled BMD meta-analysis: candidate rows from SQL, then selection and pooling over
 * k rows. `shared`: stored rows already read for this selection (see SharedStoredRows).
 */
export function runMetaAnalysis(
  db: Db,
  query: ForestPlotQuery,
  shared?: SharedStoredRows,
  page?: StudyPage,
): MetaAnalysis {
  const { estimator } = splitMethod(query.method);
  const filters = {
    ...filtersFrom({ ...query, site: undefined, metric: undefined }),
    site: [query.site] as [typeof query.site],
    metric: [query.metric] as [typeof query.metric],
  };
  // One read transaction: the candidates, then (once the comparison has chosen its arms) the doses
  // of the compared cell-therapy arms, from the same state of the catalogue.
  const run = db.$client.transaction(() => {
    // Without a subgroup the stored inputs give the same rows from one row per trial; a subgroup
    // facet's values are read from the arm and trial tables.
    const stored = query.subgroup === undefined ? loadStoredCandidates(db, filters, shared) : null;
    const options = {
      effect: query.effect,
      methods: filters.method ?? [],
      subgroupLevel: subgroupLevel(query.subgroup),
    };
    const compared = stored
      ? compareUnits(stored.units, options, stored.leftOut)
      : compareTableCandidates(db, filters, query.subgroup, options);
    const doses =
      stored?.doses ??
      loadArmDoses(
        db,
        compared.comparisons.flatMap((c) => c.cellArmIds),
      );
    const comparisons = withDoses(compared.comparisons, (id) => doses.get(id));
    return { set: { ...compared, comparisons }, version: dataVersion(db) };
  });
  const { set, version } = run.deferred();
  const report = reportMetaAnalysis(set.comparisons, {
    method: estimator,
    test: query.test,
    bySubgroup: query.subgroup !== undefined,
    excluded: set.excluded.length,
    ...(page ? { listed: { offset: page.studiesOffset, limit: page.studiesLimit } } : {}),
  });
  return {
    site: query.site,
    metric: query.metric,
    method: set.method,
    effect: query.effect,
    test: query.test,
    estimator,
    studies: report.studies,
    studiesTotal: report.studiesTotal,
    pooled: report.pooled,
    pooledReason: report.pooledReason,
    excluded: set.excluded.slice(0, MAX_LISTED_EXCLUSIONS),
    excludedTotal: set.excluded.length,
    excludedByReason: countByReason(set.excluded),
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
