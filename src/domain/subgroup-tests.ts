import { dummyColumns, interceptColumn } from './evidence/design';
import { metaRegression } from './evidence/meta-regression';
import { CannotPoolError, type EffectSize, subgroupDifferenceTest, type TauMethod } from './meta-analysis';

/**
 * The test for subgroup differences, named by the distribution it used: RevMan's Q between
 * subgroups (χ² on J − 1 df) under z tests; under Knapp–Hartung the subgroup standard errors are
 * not known variances, so that χ² does not hold and the test is metafor's moderator F test of
 * rma(yi, vi, mods = ~ factor(subgroup), test = "knha") on (J − 1, k − J) df.
 */
export interface SubgroupTest {
  distribution: 'CHI_SQUARE' | 'F';
  /** Q between subgroups (χ²), or the moderator F; null when it cannot be computed (k = J). */
  statistic: number | null;
  df: number;
  /** k − J under F; null under χ². */
  dfResidual: number | null;
  pValue: number | null;
  /** Under χ²: RevMan's Q between subgroups (the statistic). */
  qBetween?: number;
}

export interface SubgroupedStudy extends EffectSize {
  subgroup: string;
}

/** RevMan's χ² test over the subgroups that pooled. */
export function chiSquareSubgroupTest(
  pooledSubgroups: readonly { estimate: number; se: number }[],
): SubgroupTest {
  const { qBetween, df, pValue } = subgroupDifferenceTest(pooledSubgroups);
  return { distribution: 'CHI_SQUARE', statistic: qBetween, df, dfResidual: null, pValue, qBetween };
}

/**
 * metafor's moderator F test on every pooled study, the subgroup dummy-coded against its first
 * level. With as many studies as subgroups there are no residual degrees of freedom: the statistic
 * and p-value are null (the caller warns SUBGROUP_TEST_NOT_COMPUTABLE).
 */
export function knappHartungSubgroupTest(
  studies: readonly SubgroupedStudy[],
  method: TauMethod,
): SubgroupTest {
  const levels = new Set(studies.map((s) => s.subgroup));
  const df = Math.max(0, levels.size - 1);
  const dfResidual = studies.length - levels.size;
  if (df === 0 || dfResidual <= 0)
    return { distribution: 'F', statistic: null, df, dfResidual, pValue: null };
  const { columns } = dummyColumns(
    'subgroup',
    studies.map((s) => s.subgroup),
  );
  const fit = metaRegression(studies, [interceptColumn(studies.length), ...columns], {
    method,
    test: 'knha',
  });
  if (fit.qmDfResidual === null)
    throw new CannotPoolError('the moderator test has no residual degrees of freedom');
  return {
    distribution: 'F',
    statistic: fit.qm,
    df: fit.qmDf,
    dfResidual: fit.qmDfResidual,
    pValue: fit.qmPValue,
  };
}
