import type { Comparison, StudyModerators } from './controlled-comparison';
import {
  type AnalysisWarning,
  countProvenance,
  illustrativeWarning,
  lsMeanFromSeWarning,
  type ProvenanceCounts,
  singleStudyWarning,
  tryPool,
} from './evidence-report';
import {
  CannotPoolError,
  type Pooled,
  type SubgroupDifference,
  subgroupDifferenceTest,
  type TauMethod,
  type TestKind,
} from './meta-analysis';
import { normalCritical } from './meta-analysis/distributions';

/**
 * One study row: the effect, its variance (metafor's yi/vi), its share of the pooled weight, and
 * the moderators a reviewer explains differences by.
 */
export interface StudyRow extends StudyModerators {
  trialId: string;
  title: string;
  timepointMonths: number;
  statistic: Comparison['statistic'];
  yi: number;
  vi: number;
  se: number;
  ciLower: number;
  ciUpper: number;
  /** Percent of the total weight 1/(vᵢ + τ²); null when nothing could be pooled. */
  weight: number | null;
  n1: number;
  n2: number;
  cellArmIds: string[];
  controlArmId: string;
  subgroup?: string;
}

export interface SubgroupResult {
  value: string;
  k: number;
  trialIds: string[];
  pooled: Pooled | null;
  pooledReason: string | null;
}

export interface MetaAnalysisReport {
  studies: StudyRow[];
  pooled: Pooled | null;
  pooledReason: string | null;
  subgroups?: SubgroupResult[];
  subgroupTest?: SubgroupDifference | null;
  provenance: ProvenanceCounts;
  warnings: AnalysisWarning[];
}

export interface ReportOptions {
  method: TauMethod;
  test: TestKind;
  /** Adds per-subgroup pooling (each with its own τ²) and the test for subgroup differences. */
  bySubgroup: boolean;
  /** How many selected trials were excluded: the reason for an empty pool points to them only when there are some. */
  excluded?: number;
}

const NO_STUDIES =
  'No selected trial offers a usable comparison; see excluded for the reason each one was left out.';
const NOTHING_SELECTED = 'No trial matches the filters, so there is no comparison to pool.';

export function reportMetaAnalysis(
  comparisons: readonly Comparison[],
  options: ReportOptions,
): MetaAnalysisReport {
  const ordered = [...comparisons].sort(
    (a, b) => compareText(a.title, b.title) || compareText(a.trialId, b.trialId),
  );
  const { pooled, reason } = tryPool(
    ordered,
    options,
    (options.excluded ?? 0) > 0 ? NO_STUDIES : NOTHING_SELECTED,
  );
  const z = normalCritical(0.95);
  const tau2 = pooled?.tau2 ?? 0;
  const totalWeight = ordered.reduce((s, c) => s + 1 / (c.vi + tau2), 0);
  const studies = ordered.map((c): StudyRow => {
    const se = Math.sqrt(c.vi);
    return {
      trialId: c.trialId,
      title: c.title,
      timepointMonths: c.timepointMonths,
      statistic: c.statistic,
      yi: c.yi,
      vi: c.vi,
      se,
      ciLower: c.yi - z * se,
      ciUpper: c.yi + z * se,
      weight: pooled ? (100 * (1 / (c.vi + tau2))) / totalWeight : null,
      n1: c.n1,
      n2: c.n2,
      cellArmIds: c.cellArmIds,
      controlArmId: c.controlArmId,
      ...c.moderators,
      ...(options.bySubgroup ? { subgroup: c.subgroup } : {}),
    };
  });
  const provenance = countProvenance(ordered);
  const report: MetaAnalysisReport = {
    studies,
    pooled,
    pooledReason: reason,
    provenance,
    warnings: [
      ...illustrativeWarning(provenance),
      ...(pooled ? lsMeanFromSeWarning(ordered.reduce((s, c) => s + c.lsMeanFromSe, 0)) : []),
    ],
  };
  const overallSingle = pooled?.k === 1 ? ['the pooled estimate'] : [];
  if (!options.bySubgroup)
    return { ...report, warnings: [...report.warnings, ...singleStudyWarning(overallSingle)] };
  const subgroups = poolSubgroups(ordered, options);
  const test = testSubgroups(subgroups);
  const singleSubgroups = subgroups.filter((g) => g.pooled?.k === 1).map((g) => `subgroup ${g.value}`);
  return {
    ...report,
    subgroups,
    subgroupTest: test.result,
    warnings: [
      ...report.warnings,
      ...test.warnings,
      ...singleStudyWarning([...overallSingle, ...singleSubgroups]),
    ],
  };
}

function poolSubgroups(comparisons: readonly Comparison[], options: ReportOptions): SubgroupResult[] {
  const values = [...new Set(comparisons.map((c) => c.subgroup))].sort(compareText);
  return values.map((value) => {
    const members = comparisons.filter((c) => c.subgroup === value);
    const { pooled, reason } = tryPool(members, options, NO_STUDIES);
    return {
      value,
      k: members.length,
      trialIds: members.map((c) => c.trialId),
      pooled,
      pooledReason: reason,
    };
  });
}

/** RevMan's Q between subgroups over the subgroups that could be pooled; null when not computable. */
function testSubgroups(subgroups: readonly SubgroupResult[]): {
  result: SubgroupDifference | null;
  warnings: AnalysisWarning[];
} {
  const pooled = subgroups.flatMap((s) =>
    s.pooled ? [{ estimate: s.pooled.estimate, se: s.pooled.se }] : [],
  );
  try {
    return { result: subgroupDifferenceTest(pooled), warnings: [] };
  } catch (error) {
    if (!(error instanceof CannotPoolError)) throw error;
    return {
      result: null,
      warnings: [
        {
          code: 'SUBGROUP_TEST_NOT_COMPUTABLE',
          message: `The test for subgroup differences cannot be computed: ${error.message}.`,
        },
      ],
    };
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
