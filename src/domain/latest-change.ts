/** The fields that decide which of an arm's results the BMD-change summary reads. */
export interface ChangeCandidate {
  id: string;
  armId: string;
  site: string;
  metric: string;
  method: string;
  statistic: string;
  timepointMonths: number;
  sd: number | null;
  sdEffective: number | null;
}

/** SQLite's BINARY order of two texts: their UTF-8 bytes compared. */
const binaryOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Whether `a` comes before `b` in the summary's choice: the later timepoint, then a reported SD,
 * then a derived one, then the lower id — the order of the window function in
 * src/analysis/summaries/bmd-change.ts.
 */
function isPreferred(a: ChangeCandidate, b: ChangeCandidate): boolean {
  if (a.timepointMonths !== b.timepointMonths) return a.timepointMonths > b.timepointMonths;
  if ((a.sd === null) !== (b.sd === null)) return a.sd !== null;
  if ((a.sdEffective === null) !== (b.sdEffective === null)) return a.sdEffective !== null;
  return binaryOrder(a.id, b.id) < 0;
}

/**
 * The ids of the results the BMD-change summary reads when no timepoint window is asked for: per
 * arm, site, metric, method and statistic, the latest result after baseline. Kept on each result
 * at write time (`change_pick`) so the commonest summaries need not rank every result.
 */
export function latestChangeIds(results: readonly ChangeCandidate[]): Set<string> {
  const best = new Map<string, ChangeCandidate>();
  for (const r of results) {
    if (!(r.timepointMonths > 0)) continue;
    const key = JSON.stringify([r.armId, r.site, r.metric, r.method, r.statistic]);
    const current = best.get(key);
    if (!current || isPreferred(r, current)) best.set(key, r);
  }
  return new Set([...best.values()].map((r) => r.id));
}
