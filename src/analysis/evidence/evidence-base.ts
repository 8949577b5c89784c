import type { Db } from '../../db/client';
import type { EffectSize, Pooled, TauMethod, TestKind } from '../../domain/meta-analysis';
import { runMetaAnalysis } from '../meta-analysis/run';
import type { ForestPlotQuery, MetaAnalysis } from '../meta-analysis/schemas';
import { loadStudyFacts, type StudyFacts } from './study-facts';

/**
 * What every evidence analysis starts from: exactly the studies `GET /meta-analyses/bmd` pools
 * for the same query (same selection, timepoint rule, effect sizes and exclusions).
 */
export interface PooledBase {
  analysis: MetaAnalysis;
  effects: EffectSize[];
  options: { method: TauMethod; test: TestKind };
}

/** A pooled base and the facts of its trials, read in the same transaction so both belong to one data version. */
export interface EvidenceBase extends PooledBase {
  facts: Map<string, StudyFacts>;
}

/** A quadratic analysis's bound on the studies it takes, checked before anything beyond the pool is read. */
export interface StudyLimit {
  maxStudies: number;
  analysisName: string;
}

/** For the analyses of the effects alone (leave-one-out, small-study effects): no trial facts are read. */
export function loadPooledBase(db: Db, query: ForestPlotQuery, limit?: StudyLimit): PooledBase {
  const analysis = runMetaAnalysis(db, query);
  // A refusal costs no more than the meta-analysis that counts the studies.
  if (limit) assertStudyCount(analysis.studies.length, limit);
  return {
    analysis,
    effects: analysis.studies.map(({ yi, vi }) => ({ yi, vi })),
    options: { method: analysis.estimator, test: analysis.test },
  };
}

/** For the analyses that also need the trials' dates, baselines or designs. */
export function loadEvidenceBase(db: Db, query: ForestPlotQuery, limit?: StudyLimit): EvidenceBase {
  return db.$client
    .transaction(() => {
      const base = loadPooledBase(db, query, limit);
      const facts = loadStudyFacts(
        db,
        base.analysis.studies.map((s) => s.trialId),
      );
      return { ...base, facts };
    })
    .deferred();
}

/** The answer's context, shared by every evidence analysis: what was analysed, from which records. */
export function evidenceContext({ analysis }: PooledBase) {
  return {
    site: analysis.site,
    metric: analysis.metric,
    method: analysis.method,
    effect: analysis.effect,
    test: analysis.test,
    estimator: analysis.estimator,
    k: analysis.studies.length,
    excludedByReason: analysis.excludedByReason,
    provenance: analysis.provenance,
    warnings: analysis.warnings,
    dataVersion: analysis.dataVersion,
  };
}

/** A pooled result, or why there is none, for rows that pool a subset of the studies. */
export type PooledOrReason = { pooled: Pooled; pooledReason: null } | { pooled: null; pooledReason: string };

/** Thrown by an analysis whose input the caller must narrow: it becomes a 400 on the main thread. */
export class AnalysisRefusal extends Error {}

/** The quadratic analyses take at most ANALYSIS_MAX_STUDIES studies; beyond it the caller narrows the query. */
function assertStudyCount(k: number, { maxStudies, analysisName }: StudyLimit): void {
  if (k > maxStudies)
    throw new AnalysisRefusal(
      `${analysisName} takes at most ${maxStudies} studies (ANALYSIS_MAX_STUDIES); this query pools ${k}. ` +
        'Narrow it with the filters (cellSource, route, allocation, provenance, …).',
    );
}
