import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import { assessCertainty, type CertaintyAssessment } from '../../domain/evidence/certainty';
import { eggerTest } from '../../domain/evidence/egger';
import { countProvenance, illustrativeWarning, type ProvenanceKind } from '../../domain/evidence-report';
import { CannotPoolError } from '../../domain/meta-analysis';
import type { Filters } from '../../filters/params';
import { and, resultConditions, trialSelection } from '../../filters/sql';
import { dataVersion } from '../../store/trial-store';
import { runMetaAnalysis } from '../meta-analysis/run';
import type { ForestPlotQuery, MetaAnalysis } from '../meta-analysis/schemas';
import { sharedRowsOfSelection } from '../meta-analysis/stored-rows';
import { filtersFrom, splitMethod } from '../params';
import type { EvidenceBase } from './evidence-base';
import type { SummaryOfFindingsQuery } from './schemas';
import { type Outcome, storedOutcomes } from './stored-outcomes';
import { type GradingFacts, loadGradingFacts } from './study-facts';

export const SUGGESTION =
  'Certainty ratings here are suggestions from fixed rules (see each domain’s reason), for reviewers to confirm ' +
  'or override; they are not a GRADE assessment.';

/** The site × metric × method combinations reported by the selected trials, in vocabulary order. */
export function outcomesPresent(db: Db, filters: Filters): Outcome[] {
  const where = and([
    trialSelection(filters),
    resultConditions(filters, 'r'),
    { sql: "r.statistic != 'MEDIAN'", params: [] },
  ]);
  return prepared(
    db.$client,
    `SELECT DISTINCT r.site AS site, r.metric AS metric, r.method AS method
       FROM bmd_results r JOIN trials t ON t.id = r.trial_id WHERE ${where.sql}
       ORDER BY r.site, r.metric, r.method`,
  ).all(...where.params) as Outcome[];
}

/** What a row is computed from: the outcome's meta-analysis and the facts of its trials it grades with. */
type OutcomeBase = Pick<EvidenceBase, 'analysis' | 'effects'> & { facts: Map<string, GradingFacts> };

function eggerP(base: OutcomeBase): number | null {
  try {
    return eggerTest(base.effects).pValue;
  } catch (error) {
    if (error instanceof CannotPoolError) return null;
    throw error;
  }
}

function rowOf(outcome: Outcome, base: OutcomeBase) {
  const { analysis, facts } = base;
  const participants = analysis.studies.reduce((sum, s) => sum + s.n1 + s.n2, 0);
  const pooled = analysis.pooled;
  const assessment: CertaintyAssessment | null = pooled
    ? assessCertainty({
        studies: analysis.studies.map((s) => ({
          weight: s.weight ?? 0,
          riskOfBias: s.riskOfBias,
          allocation: facts.get(s.trialId)?.allocation ?? null,
          population: facts.get(s.trialId)?.population ?? null,
          participants: s.n1 + s.n2,
        })),
        ciLower: pooled.ciLower,
        ciUpper: pooled.ciUpper,
        i2: pooled.i2,
        predictionLower: pooled.predictionLower,
        predictionUpper: pooled.predictionUpper,
        eggerP: eggerP(base),
      })
    : null;
  return {
    ...outcome,
    method: analysis.method ?? outcome.method,
    k: analysis.studies.length,
    participants,
    pooled,
    pooledReason: analysis.pooledReason,
    certainty: assessment?.certainty ?? null,
    startingCertainty: assessment?.start ?? null,
    domains: assessment?.domains ?? null,
    provenance: analysis.provenance,
    warnings: analysis.warnings,
  };
}

/**
 * One GRADE-style row per site × metric × method the selected trials report: the pooled
 * comparison (exactly as GET /meta-analyses/bmd pools it) and a certainty suggested by documented
 * rules. Outcomes with no usable comparison are left out. All rows are read in one transaction.
 */
export function runSummaryOfFindings(db: Db, query: SummaryOfFindingsQuery) {
  const { format: _f, effect, test, ...rest } = query;
  const { estimator } = splitMethod(rest.method);
  const filters = filtersFrom(rest);
  return db.$client
    .transaction(() => {
      const contributors: { trialId: string; provenance: ProvenanceKind }[] = [];
      // Each outcome is GET /meta-analyses/bmd's own analysis; the facts of every pooled trial are
      // then read once for all outcomes rather than once per outcome (the outcomes share most trials).
      const pooled: { outcome: Outcome; analysis: MetaAnalysis }[] = [];
      // With a cell-arm filter every outcome's analysis reads the same trials' stored rows: they are
      // read once, and the outcomes present are found in them.
      const shared = sharedRowsOfSelection(db, filters);
      const outcomes = shared ? storedOutcomes(db, filters, shared) : outcomesPresent(db, filters);
      for (const outcome of outcomes) {
        const metaQuery = {
          ...rest,
          site: outcome.site,
          metric: outcome.metric,
          method: [outcome.method, estimator],
          effect,
          test,
        } as ForestPlotQuery;
        const analysis = runMetaAnalysis(db, metaQuery, shared ?? undefined);
        for (const s of analysis.studies)
          contributors.push({ trialId: s.trialId, provenance: s.provenanceKind });
        if (analysis.studies.length) pooled.push({ outcome, analysis });
      }
      const facts = loadGradingFacts(db, [...new Set(contributors.map((c) => c.trialId))]);
      const rows = pooled.map(({ outcome, analysis }) =>
        rowOf(outcome, { analysis, facts, effects: analysis.studies.map(({ yi, vi }) => ({ yi, vi })) }),
      );
      const provenance = countProvenance(contributors);
      return {
        suggestion: SUGGESTION,
        rows,
        provenance,
        warnings: illustrativeWarning(provenance),
        dataVersion: dataVersion(db),
      };
    })
    .deferred();
}
