import type { Db } from '../db/client';
import { summariseBmdChange } from '../domain/bmd-change-summary';
import { runMetaAnalysis } from '../routes/meta-analyses/analysis';
import { filtersFrom, splitMethod } from '../routes/meta-analyses/analysis-params';
import type { ForestPlotQuery } from '../routes/meta-analyses/schemas';
import { loadArmChanges } from '../routes/summaries/bmd-change-repository';
import { countFacets } from '../routes/summaries/counts-repository';
import { type BmdChangeQuery, COUNT_FACETS, type CountsQuery } from '../routes/summaries/schemas';
import { dataVersion } from '../store/trial-store';

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
  const { value, version } = computeAnalysis(db, task);
  return { json: JSON.stringify(value), version };
}

function computeAnalysis(db: Db, task: AnalysisTask): { value: object; version: number } {
  switch (task.kind) {
    case 'counts': {
      const { facets, ...filters } = task.query;
      const value = db.$client
        .transaction(() => ({
          ...countFacets(db, filters, [...new Set(facets ?? COUNT_FACETS)]),
          dataVersion: dataVersion(db),
        }))
        .deferred();
      return { value, version: value.dataVersion };
    }
    case 'bmd-change': {
      const { groupBy, test, ...rest } = task.query;
      const { estimator } = splitMethod(rest.method);
      const facets = [...new Set(groupBy ?? [])];
      const { rows, version } = db.$client
        .transaction(() => ({
          rows: loadArmChanges(db, filtersFrom(rest), facets),
          version: dataVersion(db),
        }))
        .deferred();
      const summary = summariseBmdChange(rows, { groupBy: facets, method: estimator, test });
      return { value: { ...summary, dataVersion: version }, version };
    }
    case 'meta-analysis': {
      const value = runMetaAnalysis(db, task.query);
      return { value, version: value.dataVersion };
    }
  }
}
