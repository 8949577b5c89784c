import { isMean } from './common-timepoint';
import type { Side } from './trial-units';
import type { ComparisonResult } from './types';

/** The results compared within one trial: one per cell-therapy arm, and the control's. */
export interface ResultPair {
  control: ComparisonResult;
  cells: ComparisonResult[];
}

/** Orders results: a reported SD first, then a derived one, then none; ties by the lowest id. */
function sdRank(r: ComparisonResult): number {
  return r.sd !== null ? 0 : r.sdEffective !== null ? 1 : 2;
}

function better(a: ComparisonResult, b: ComparisonResult): number {
  return sdRank(a) - sdRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The results to compare at the chosen timepoint and method. Both sides use one statistic (a mean
 * is never set against an LS-mean); among the statistics both report, the one whose results carry
 * a reported SD wins, then the lowest control result id.
 */
export function choosePair(
  cells: readonly Side[],
  control: Side,
  months: number,
  method: string,
): ResultPair {
  const at = (s: Side, statistic: string) =>
    s.results
      .filter((r) => r.timepointMonths === months && r.method === method && r.statistic === statistic)
      .sort(better)[0];
  const options = [...new Set(control.results.filter(isMean).map((r) => r.statistic))].flatMap(
    (statistic) => {
      const c = at(control, statistic);
      const cs = cells.map((s) => at(s, statistic)).filter((r): r is ComparisonResult => r !== undefined);
      if (!c || cs.length === 0) return [];
      return [{ control: c, cells: cs, rank: Math.max(sdRank(c), ...cs.map(sdRank)) }];
    },
  );
  options.sort((a, b) => a.rank - b.rank || better(a.control, b.control));
  return options[0] as ResultPair;
}
