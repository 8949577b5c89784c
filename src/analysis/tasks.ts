import type { Db } from '../db/client';
import { COUNT_FACETS } from '../filters/facets';
import { runMetaAnalysis } from './meta-analysis/run';
import type { ForestPlotQuery } from './meta-analysis/schemas';
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
  | { kind: 'meta-analysis'; query: ForestPlotQuery };

export interface AnalysisOutcome {
  /** The answer as JSON text: a string crosses from a worker far more cheaply than an object graph. */
  json: string;
  version: number;
}

export function runAnalysisTask(db: Db, task: AnalysisTask): AnalysisOutcome {
  const value = computeAnalysis(db, task);
  return { json: JSON.stringify(value), version: value.dataVersion };
}

function computeAnalysis(db: Db, task: AnalysisTask): { dataVersion: number } {
  switch (task.kind) {
    case 'counts': {
      const { facets, ...filters } = task.query;
      return runCounts(db, filters, facets ?? COUNT_FACETS);
    }
    case 'bmd-change':
      return runBmdChange(db, task.query);
    case 'meta-analysis':
      return runMetaAnalysis(db, task.query);
  }
}
