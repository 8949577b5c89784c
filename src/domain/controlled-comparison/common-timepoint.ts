import type { Side } from './trial-units';
import type { ComparisonResult } from './types';

/** Medians are never pooled, so only the mean statistics (mean, LS-mean) can be compared. */
export const isMean = (r: ComparisonResult) => r.statistic !== 'MEDIAN';

export interface CommonTimepoint {
  months: number;
  method: string;
}

/**
 * Which results may meet at a common timepoint: those of one method (null: any) and, when
 * `meanOnly`, no medians. A plain value rather than a predicate, so that no closure is made per
 * trial (thousands of trials per analysis).
 */
export interface TimepointCriterion {
  method: string | null;
  meanOnly: boolean;
}

function admits(r: ComparisonResult, criterion: TimepointCriterion): boolean {
  return (criterion.method === null || r.method === criterion.method) && (!criterion.meanOnly || isMean(r));
}

/**
 * True when the control reports a result of the same method, statistic and timepoint as `r`; the
 * criterion reads only those, so an admitted `r` makes the control's result admitted too.
 */
function controlMatches(control: Side, r: ComparisonResult): boolean {
  for (const c of control.results)
    if (c.timepointMonths === r.timepointMonths && c.method === r.method && c.statistic === r.statistic)
      return true;
  return false;
}

/**
 * Latest timepoint at which a cell arm and the control report the same method and statistic; on a
 * tie the first cell result (arms in order) names the method. An arm has a handful of results, so
 * a scan of the control's beats building keys.
 */
export function latestCommon(
  cells: readonly Side[],
  control: Side,
  criterion: TimepointCriterion,
): CommonTimepoint | null {
  let best: CommonTimepoint | null = null;
  for (const cell of cells)
    for (const r of cell.results) {
      if (best !== null && !(r.timepointMonths > best.months)) continue;
      if (!admits(r, criterion) || !controlMatches(control, r)) continue;
      best = { months: r.timepointMonths, method: r.method };
    }
  return best;
}
