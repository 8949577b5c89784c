import type { Db } from '../db/client';
import { COUNT_FACETS } from '../filters/facets';
import { cumulativeAnswer } from './evidence/cumulative';
import { AnalysisRefusal, loadEvidenceBase, loadPooledBase } from './evidence/evidence-base';
import { leaveOneOutAnswer } from './evidence/leave-one-out';
import { regressionAnswer } from './evidence/regression';
import type { RegressionQuery, SummaryOfFindingsQuery } from './evidence/schemas';
import { smallStudyEffectsAnswer } from './evidence/small-study-effects';
import { runSummaryOfFindings } from './evidence/summary-of-findings';
import { runMetaAnalysis } from './meta-analysis/run';
import type { ForestPlotQuery, StudyPage } from './meta-analysis/schemas';
import { runBmdChange } from './summaries/bmd-change';
import { runCounts } from './summaries/counts';
import type { BmdChangeQuery, CountsQuery } from './summaries/schemas';

/**
 * The long aggregates, as plain tasks: each reads its rows and the data version in one read
 * transaction. They run on a worker's own connection when the catalogue is a file, so a long
 * summary never holds up a lookup on the main thread.
 */
export type AnalysisTask =
  | { kind: 'counts'; query: CountsQuery }
  | { kind: 'bmd-change'; query: BmdChangeQuery }
  | { kind: 'meta-analysis'; query: ForestPlotQuery & Partial<StudyPage> }
  | { kind: 'leave-one-out'; query: ForestPlotQuery }
  | { kind: 'cumulative'; query: ForestPlotQuery }
  | { kind: 'small-study-effects'; query: ForestPlotQuery }
  | { kind: 'regression'; query: RegressionQuery }
  | { kind: 'summary-of-findings'; query: SummaryOfFindingsQuery };

/**
 * Which lane a task runs in. Summaries (facet counts, the within-arm BMD change) are one pass over
 * the selection with a small answer; meta-analyses and the evidence analyses pair arms, pool, and
 * (leave-one-out, cumulative, regression) repeat the pooling per study, with answers up to
 * megabytes. Neither is cheap enough for the main thread (on a 100,000-trial catalogue the
 * whole-catalogue counts take about 6 s, the BMD-change summary 5 to 10 s, one meta-analysis 11 s
 * and 30 MB), so summaries get a worker of their own and never wait behind a meta-analysis.
 */
export type AnalysisWeight = 'cheap' | 'heavy';

export function weightOf(task: AnalysisTask): AnalysisWeight {
  return task.kind === 'counts' || task.kind === 'bmd-change' ? 'cheap' : 'heavy';
}

/** Bounds the process sets once (from its configuration); a worker receives them with each task. */
export interface AnalysisLimits {
  /** ANALYSIS_MAX_STUDIES: the most studies the quadratic analyses take. */
  maxStudies: number;
}

export interface AnalysisOutcome {
  /** The answer as JSON text: a string crosses from a worker far more cheaply than an object graph. */
  json: string;
  version: number;
  /** Set when the query asks more than the limits allow: the caller answers 400 with it. */
  refusal?: string;
}

export function runAnalysisTask(db: Db, task: AnalysisTask, limits: AnalysisLimits): AnalysisOutcome {
  try {
    const value = computeAnalysis(db, task, limits);
    // Computed on a catalogue (live or rebuilt), which always knows its own version.
    return { json: JSON.stringify(value), version: value.dataVersion ?? 0 };
  } catch (error) {
    // A refusal crosses from a worker as data: an Error's class does not survive the thread boundary.
    if (error instanceof AnalysisRefusal) return { json: '', version: -1, refusal: error.message };
    throw error;
  }
}

function computeAnalysis(db: Db, task: AnalysisTask, limits: AnalysisLimits): { dataVersion: number | null } {
  switch (task.kind) {
    case 'counts': {
      const { facets, ...filters } = task.query;
      return runCounts(db, filters, facets ?? COUNT_FACETS);
    }
    case 'bmd-change':
      return runBmdChange(db, task.query);
    case 'meta-analysis': {
      // A JSON answer lists a page of the studies; CSV and plots ask without one, for every study.
      const { studiesLimit, studiesOffset, ...query } = task.query;
      const page =
        studiesLimit === undefined ? undefined : { studiesLimit, studiesOffset: studiesOffset ?? 0 };
      return runMetaAnalysis(db, query, undefined, page);
    }
    case 'leave-one-out':
      return leaveOneOutAnswer(
        loadPooledBase(db, task.query, { maxStudies: limits.maxStudies, analysisName: 'Leave-one-out' }),
      );
    case 'cumulative':
      return cumulativeAnswer(
        loadEvidenceBase(db, task.query, {
          maxStudies: limits.maxStudies,
          analysisName: 'The cumulative meta-analysis',
        }),
      );
    case 'small-study-effects':
      return smallStudyEffectsAnswer(loadPooledBase(db, task.query));
    case 'regression': {
      const { moderators, ...query } = task.query;
      const base = loadEvidenceBase(db, query, {
        maxStudies: limits.maxStudies,
        analysisName: 'Meta-regression',
      });
      return regressionAnswer(base, [...new Set(moderators)]);
    }
    case 'summary-of-findings':
      return runSummaryOfFindings(db, task.query);
  }
}
