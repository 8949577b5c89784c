import { chiSquareUpperTail } from './distributions';
import { CannotPoolError } from './errors';

export interface SubgroupGroup {
  estimate: number;
  se: number;
}

export interface SubgroupDifference {
  qBetween: number;
  df: number;
  pValue: number | null;
}

/**
 * Test for subgroup differences as RevMan computes it: treat each subgroup's pooled estimate as a
 * single study and take Cochran's Q across them with fixed weights 1/SE² (whatever model produced
 * the subgroup estimates), on J − 1 degrees of freedom. With fewer than two subgroups there is
 * nothing to compare: Q = 0, df = 0, and the p-value is null rather than a meaningless 1.
 */
export function subgroupDifferenceTest(groups: readonly SubgroupGroup[]): SubgroupDifference {
  groups.forEach(({ estimate, se }, i) => {
    if (!Number.isFinite(estimate)) throw new CannotPoolError(`subgroup ${i}: estimate is not finite`);
    if (!(se > 0 && Number.isFinite(se) && Number.isFinite(1 / (se * se)))) {
      throw new CannotPoolError(`subgroup ${i}: standard error must be positive and finite, got ${se}`);
    }
  });
  const df = Math.max(0, groups.length - 1);
  if (df === 0) return { qBetween: 0, df, pValue: null };

  let sumW = 0;
  let sumWy = 0;
  for (const { estimate, se } of groups) {
    const w = 1 / (se * se);
    sumW += w;
    sumWy += w * estimate;
  }
  const mean = sumWy / sumW;
  let qBetween = 0;
  for (const { estimate, se } of groups) qBetween += (estimate - mean) ** 2 / (se * se);
  if (!Number.isFinite(qBetween)) throw new CannotPoolError('subgroup Q is not finite for these groups');
  return { qBetween, df, pValue: chiSquareUpperTail(qBetween, df) };
}
