import type { Comparison, StudyModerators } from './controlled-comparison';
import {
  type AnalysisWarning,
  countProvenance,
  illustrativeWarning,
  lsMeanFromSeWarning,
  type ProvenanceCounts,
  remlSearchWarning,
  singleStudyWarning,
  tryPool,
} from './evidence-report';
import { CannotPoolError, type Pooled, type TauMethod, type TestKind } from './meta-analysis';
import { normalCritical } from './meta-analysis/distributions';
import { chiSquareSubgroupTest, knappHartungSubgroupTest, type SubgroupTest } from './subgroup-tests';
import { codeUnitOrder } from './text-order';

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
  /** The listed studies: every one, or the page `listed` asks for. */
  studies: StudyRow[];
  /** How many studies were pooled, listed or not. */
  studiesTotal: number;
  pooled: Pooled | null;
  pooledReason: string | null;
  subgroups?: SubgroupResult[];
  subgroupTest?: SubgroupTest | null;
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
  /**
   * Which studies to list, in the answer's order: only their rows are built (a whole-catalogue
   * analysis pools tens of thousands). Every study when absent.
   */
  listed?: { offset: number; limit: number };
}

const NO_STUDIES =
  'No selected trial offers a usable comparison; see excluded for the reason each one was left out.';
const NOTHING_SELECTED = 'No trial matches the filters, so there is no comparison to pool.';

export function reportMetaAnalysis(
  comparisons: readonly Comparison[],
  options: ReportOptions,
): MetaAnalysisReport {
  const ordered = [...comparisons].sort(
    (a, b) => codeUnitOrder(a.title, b.title) || codeUnitOrder(a.trialId, b.trialId),
  );
  const { pooled, reason } = tryPool(
    ordered,
    options,
    (options.excluded ?? 0) > 0 ? NO_STUDIES : NOTHING_SELECTED,
  );
  const z = normalCritical(0.95);
  const tau2 = pooled?.tau2 ?? 0;
  const totalWeight = ordered.reduce((s, c) => s + 1 / (c.vi + tau2), 0);
  const { offset, limit } = options.listed ?? { offset: 0, limit: ordered.length };
  const studies = ordered.slice(offset, offset + limit).map((c): StudyRow => {
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
    studiesTotal: ordered.length,
    pooled,
    pooledReason: reason,
    provenance,
    warnings: [
      ...illustrativeWarning(provenance),
      ...(pooled ? lsMeanFromSeWarning(ordered.reduce((s, c) => s + c.lsMeanFromSe, 0)) : []),
      ...cellArmsLeftOutWarning(ordered),
    ],
  };
  const overallSingle = pooled?.k === 1 ? ['the pooled estimate'] : [];
  const overallSearched = pooled?.tau2Searched ? ['the pooled estimate'] : [];
  if (!options.bySubgroup)
    return {
      ...report,
      warnings: [
        ...report.warnings,
        ...singleStudyWarning(overallSingle),
        ...remlSearchWarning(overallSearched),
      ],
    };
  const pooledSubgroups = poolSubgroups(ordered, options);
  const test = testSubgroups(pooledSubgroups, ordered, options);
  // With a page of studies, each subgroup names its trials among the listed ones (`k` counts them
  // all), so that the answer stays as bounded as its study list.
  const listedIds = options.listed ? new Set(studies.map((row) => row.trialId)) : null;
  const subgroups = listedIds
    ? pooledSubgroups.map((g) => ({ ...g, trialIds: g.trialIds.filter((id) => listedIds.has(id)) }))
    : pooledSubgroups;
  const singleSubgroups = subgroups.filter((g) => g.pooled?.k === 1).map((g) => `subgroup ${g.value}`);
  return {
    ...report,
    subgroups,
    subgroupTest: test.result,
    warnings: [
      ...report.warnings,
      ...test.warnings,
      ...singleStudyWarning([...overallSingle, ...singleSubgroups]),
      ...remlSearchWarning([
        ...overallSearched,
        ...subgroups.filter((g) => g.pooled?.tau2Searched).map((g) => `subgroup ${g.value}`),
      ]),
    ],
  };
}

/**
 * A trial compared on only some of its selected cell-therapy arms (the others report nothing at
 * the compared timepoint, method and statistic) is told apart, naming the arms left out.
 */
function cellArmsLeftOutWarning(comparisons: readonly Comparison[]): AnalysisWarning[] {
  const partial = comparisons.filter((c) => (c.cellArmsLeftOut ?? []).length > 0);
  if (partial.length === 0) return [];
  const named = partial.slice(0, 5).map((c) => {
    const arms = (c.cellArmsLeftOut ?? []).map((a) => `“${a.label}” (${a.id})`).join(', ');
    return `${c.title} (${c.trialId}) at ${c.timepointMonths} months: ${arms}`;
  });
  if (partial.length > 5) named.push(`${partial.length - 5} more trials`);
  const n = partial.length;
  return [
    {
      code: 'CELL_ARMS_LEFT_OUT',
      message:
        `${n} trial${n === 1 ? ' contributes' : 's contribute'} only some of ${n === 1 ? 'its' : 'their'} ` +
        'selected cell-therapy arms: the arms left out report no result at the compared timepoint, method ' +
        `and statistic, so the combined group does not include them. Left out: ${named.join('; ')}.`,
    },
  ];
}

function poolSubgroups(comparisons: readonly Comparison[], options: ReportOptions): SubgroupResult[] {
  // Grouped in one pass, each group in study order, rather than filtering every study per group.
  const groups = new Map<string, Comparison[]>();
  for (const c of comparisons) {
    const members = groups.get(c.subgroup);
    if (members) members.push(c);
    else groups.set(c.subgroup, [c]);
  }
  const values = [...groups.keys()].sort(codeUnitOrder);
  return values.map((value) => {
    const members = groups.get(value) ?? [];
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

/**
 * The test for subgroup differences (see subgroup-tests.ts): RevMan's χ² over the subgroups that
 * pooled, or under Knapp–Hartung metafor's moderator F test over the pooled studies; null with a
 * warning when it cannot be computed.
 */
function testSubgroups(
  subgroups: readonly SubgroupResult[],
  comparisons: readonly Comparison[],
  options: ReportOptions,
): { result: SubgroupTest | null; warnings: AnalysisWarning[] } {
  const notComputable = (why: string): AnalysisWarning => ({
    code: 'SUBGROUP_TEST_NOT_COMPUTABLE',
    message: `The test for subgroup differences cannot be computed: ${why}.`,
  });
  try {
    if (options.test !== 'knha') {
      const pooled = subgroups.flatMap((s) =>
        s.pooled ? [{ estimate: s.pooled.estimate, se: s.pooled.se }] : [],
      );
      return { result: chiSquareSubgroupTest(pooled), warnings: [] };
    }
    const result = knappHartungSubgroupTest(
      comparisons.map((c) => ({ yi: c.yi, vi: c.vi, subgroup: c.subgroup })),
      options.method,
    );
    const warnings =
      result.pValue === null && result.df > 0
        ? [
            notComputable(
              'every subgroup has a single study, so the F test has no residual degrees of freedom',
            ),
          ]
        : [];
    return { result, warnings };
  } catch (error) {
    if (!(error instanceof CannotPoolError)) throw error;
    return { result: null, warnings: [notComputable(error.message)] };
  }
}
