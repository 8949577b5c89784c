import type { Db } from '../../db/client';
import type { StoredComparisonInputs } from '../../domain/comparison-inputs';
import { codeUnitOrder } from '../../domain/text-order';
import type { Filters } from '../../filters/params';
import { hasResultFilters } from '../../filters/sql';
import type { Vocab } from '../../vocabularies';
import { narrowByTrialRows } from '../meta-analysis/stored-candidates';
import { isCellArm, matchesResultFilters, selectionAt } from '../meta-analysis/stored-filters';
import type { SharedStoredRows } from '../meta-analysis/stored-rows';

export interface Outcome {
  site: Vocab<'site'>;
  metric: Vocab<'metric'>;
  method: Vocab<'method'>;
}

/**
 * The site × metric × method combinations the selected trials report as means, ordered by site,
 * metric and method, from their stored rows: what outcomesPresent's SQL gives (trialSelection, then any of the
 * trials' results matching the result filters, medians left out), for a selection with cell-arm
 * filters, whose rows sharedRowsOfSelection has read. A trial is selected by a matching cell arm
 * (the rows are read by cell source × route, so with a cell type or donor asked for they hold
 * trials without one), with a result matching the result filters when any are set; the other
 * trial filters are checked on the trial rows.
 */
export function storedOutcomes(db: Db, f: Filters, shared: SharedStoredRows): Outcome[] {
  const trials = new Set<string>();
  const needsResult = hasResultFilters(f);
  const hasCellArm = (inputs: StoredComparisonInputs) => inputs.arms.some((a) => isCellArm(f, a));
  for (const [key, rows] of shared) {
    // Vocabulary codes hold no space: the key splits back into its site and metric.
    const [site, metric] = key.split(' ') as [string, string];
    // With result filters, a matching cell arm's result here must match them: the test the
    // meta-analysis's own selection makes at each outcome.
    const isSelected = needsResult ? selectionAt(f, { site, metric }) : hasCellArm;
    for (const { trialId, inputs } of rows)
      if (!trials.has(trialId) && isSelected(inputs)) trials.add(trialId);
  }
  const kept = narrowByTrialRows(db, f, [...trials]);
  const outcomes: Outcome[] = [];
  for (const [key, rows] of shared) {
    const [site, metric] = key.split(' ') as [Vocab<'site'>, Vocab<'metric'>];
    const outcome = { site, metric };
    // The methods found at this site and metric: a few, so a result of a method already found is
    // passed over before its filters are checked.
    const methods = new Set<Vocab<'method'>>();
    for (const { trialId, inputs } of rows) {
      if (!trials.has(trialId) || (kept !== null && !kept.has(trialId))) continue;
      for (const r of inputs.results) {
        if (methods.has(r.method) || r.statistic === 'MEDIAN' || !matchesResultFilters(f, r, outcome))
          continue;
        methods.add(r.method);
        outcomes.push({ site, metric, method: r.method });
      }
    }
  }
  return outcomes.sort(
    (a, b) =>
      codeUnitOrder(a.site, b.site) || codeUnitOrder(a.metric, b.metric) || codeUnitOrder(a.method, b.method),
  );
}
