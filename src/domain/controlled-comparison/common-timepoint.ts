import type { Side } from './trial-units';
import type { ComparisonResult } from './types';

/** Medians are never pooled, so only the mean statistics (mean, LS-mean) can be compared. */
export const isMean = (r: ComparisonResult) => r.statistic !== 'MEDIAN';

export interface CommonTimepoint {
  months: number;
  method: string;
}

/** Latest timepoint at which a cell arm and the control report the same method and statistic. */
export function latestCommon(
  cells: readonly Side[],
  control: Side,
  keep: (r: ComparisonResult) => boolean,
): CommonTimepoint | null {
  const keyOf = (r: ComparisonResult) => `${r.method}|${r.statistic}|${r.timepointMonths}`;
  const controlKeys = new Set(control.results.filter(keep).map(keyOf));
  let best: CommonTimepoint | null = null;
  for (const r of cells.flatMap((c) => c.results)) {
    if (!keep(r) || !controlKeys.has(keyOf(r))) continue;
    if (best === null || r.timepointMonths > best.months)
      best = { months: r.timepointMonths, method: r.method };
  }
  return best;
}
