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

/** A side's best result (by `better`, the first of equals) at the timepoint, method and statistic. */
function bestAt(side: Side, months: number, method: string, statistic: string): ComparisonResult | undefined {
  let best: ComparisonResult | undefined;
  for (const r of side.results)
    if (
      r.timepointMonths === months &&
      r.method === method &&
      r.statistic === statistic &&
      (best === undefined || better(r, best) < 0)
    )
      best = r;
  return best;
}

/**
 * The results to compare at the chosen timepoint and method. Both sides use one statistic (a mean
 * is never set against an LS-mean); among the statistics both report, the one whose results carry
 * a reported SD wins, then the lowest control result id; on a full tie, the statistic the control
 * reports first.
 */
export function choosePair(
  cells: readonly Side[],
  control: Side,
  months: number,
  method: string,
): ResultPair {
  let chosen: (ResultPair & { rank: number }) | undefined;
  const tried: string[] = [];
  for (const reported of control.results) {
    const { statistic } = reported;
    if (!isMean(reported) || tried.includes(statistic)) continue;
    tried.push(statistic);
    const c = bestAt(control, months, method, statistic);
    if (!c) continue;
    const cs: ComparisonResult[] = [];
    let rank = sdRank(c);
    for (const side of cells) {
      const r = bestAt(side, months, method, statistic);
      if (r === undefined) continue;
      cs.push(r);
      rank = Math.max(rank, sdRank(r));
    }
    if (cs.length === 0) continue;
    if (chosen === undefined || rank < chosen.rank || (rank === chosen.rank && better(c, chosen.control) < 0))
      chosen = { control: c, cells: cs, rank };
  }
  return chosen as ResultPair;
}
