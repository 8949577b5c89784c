import { z } from 'zod';
import { EXCLUSION_REASONS } from '../../domain/controlled-comparison';
import { SUBGROUP_FACETS } from '../../filters/facets';
import { FormatShape } from '../../filters/list-query';
import { FilterShape } from '../../filters/params';
import { vocabEnum, wholeNumberText } from '../../schemas/common';
import { type Vocab, vocabularies } from '../../vocabularies';
import { AnalysisWarning, PooledEstimate, ProvenanceCounts, VersionShape } from '../answer-parts';
import { AnalysisShape, checkAnalysisRules, TAU_METHODS, TESTS } from '../params';

const exactlyOne = <N extends 'site' | 'metric'>(name: N, example: string) => {
  const values = vocabularies[name].values;
  return z
    .enum(values as (typeof vocabularies)[N]['values'], {
      error: () => `must be exactly one of ${values.join(', ')}`,
    })
    .meta({ example, description: `Required, exactly one of: ${values.join(', ')}.` });
};

export const MetaAnalysisShape = {
  ...FilterShape,
  ...AnalysisShape,
  site: exactlyOne('site', 'LUMBAR_SPINE'),
  metric: exactlyOne('metric', 'PERCENT_CHANGE'),
  effect: z
    .enum(['MD', 'SMD'], { error: () => 'must be MD or SMD' })
    .default('MD')
    .meta({
      description:
        'MD: mean difference, vᵢ = sd₁²/n₁ + sd₂²/n₂. SMD: Hedges’ g with the exact small-sample correction.',
    }),
  subgroup: z
    .enum(SUBGROUP_FACETS, { error: () => `must be one of ${SUBGROUP_FACETS.join(', ')}` })
    .optional()
    .meta({
      description:
        'Adds pooling per value of this facet (each with its own τ²) and the test for subgroup differences. ' +
        'A trial whose combined cell arms differ in the facet is in subgroup MIXED; a missing value is NOT_REPORTED.',
    }),
};

type MetaQueryInput = { site: string; metric: string; [key: string]: unknown };

export function checkMetaAnalysisRules(query: MetaQueryInput, ctx: z.RefinementCtx): void {
  checkAnalysisRules({ ...query, site: [query.site], metric: [query.metric] } as never, ctx);
}

/** Studies a JSON answer lists when the query does not say, and the most it lists at once. */
export const DEFAULT_LISTED_STUDIES = 1_000;
export const MAX_LISTED_STUDIES = 10_000;

/**
 * Which part of the study list a JSON answer carries. The pooled numbers, exclusions and warnings
 * always come from every study; only the list is paged, so that a whole-catalogue answer stays
 * bounded (tens of thousands of studies would be tens of megabytes). CSV carries every study.
 */
export const StudyPageShape = {
  studiesLimit: wholeNumberText(
    z
      .number({ error: `must be a whole number from 0 to ${MAX_LISTED_STUDIES}` })
      .int(`must be a whole number from 0 to ${MAX_LISTED_STUDIES}`)
      .min(0, 'must be at least 0')
      .max(MAX_LISTED_STUDIES, `must be at most ${MAX_LISTED_STUDIES}`)
      .default(DEFAULT_LISTED_STUDIES),
  ).meta({
    description:
      `How many studies \`studies\` lists, 0 to ${MAX_LISTED_STUDIES} (default ${DEFAULT_LISTED_STUDIES}), ` +
      'from `studiesOffset` on; `studiesTotal` counts them all and the pooled numbers use them all. ' +
      '`format=csv` returns every study.',
  }),
  studiesOffset: wholeNumberText(
    z
      .number({ error: 'must be a whole number, 0 or more' })
      .int('must be a whole number, 0 or more')
      .min(0, 'must be at least 0')
      .default(0),
  ).meta({
    description:
      'How many studies to skip before the listed ones, in the answer’s study order (the next page starts ' +
      'at `studiesOffset + studiesLimit`). Pages are of one analysis only while `dataVersion` stays the same.',
  }),
};
export type StudyPage = { studiesLimit: number; studiesOffset: number };

export const MetaAnalysisQuery = z
  .strictObject({ ...MetaAnalysisShape, ...StudyPageShape, ...FormatShape })
  .superRefine(checkMetaAnalysisRules)
  .meta({ description: 'Shared filters plus the analysis options.' });
export type MetaAnalysisQuery = z.output<typeof MetaAnalysisQuery>;

export const ForestPlotQuery = z.strictObject(MetaAnalysisShape).superRefine(checkMetaAnalysisRules);
export type ForestPlotQuery = z.output<typeof ForestPlotQuery>;

/** A cell field of the combined cell-therapy arms: their shared value, or MIXED when they differ. */
const combinedCellField = <N extends 'cellSource' | 'cellType' | 'donor' | 'route'>(name: N) =>
  z.enum([...vocabularies[name].values, 'MIXED'] as [Vocab<N> | 'MIXED', ...(Vocab<N> | 'MIXED')[]]).meta({
    description: `The combined cell-therapy arms’ shared ${name}, or MIXED when they differ.`,
  });

/** A dose part: the n-weighted mean over the combined cell-therapy arms, or null. */
const combinedDose = (what: string) =>
  z
    .number()
    .nullable()
    .meta({
      description: `${what}: the n-weighted mean over the combined cell-therapy arms; null unless each reports it.`,
    });

export const MetaAnalysisStudy = z
  .object({
    trialId: z.string(),
    title: z.string(),
    timepointMonths: z.number().meta({ description: 'The timepoint compared (latest common one).' }),
    statistic: vocabEnum('statistic'),
    yi: z.number().meta({ description: 'Effect: cell therapy minus control (MD or Hedges’ g).' }),
    vi: z.number().meta({ description: 'Sampling variance of yi.' }),
    se: z.number(),
    ciLower: z.number().meta({ description: '95% CI, yi ± 1.96·se.' }),
    ciUpper: z.number(),
    weight: z.number().nullable().meta({ description: 'Percent of the total weight 1/(vᵢ + τ²).' }),
    n1: z.number().int().meta({ description: 'Cell-therapy participants (arms combined).' }),
    n2: z.number().int().meta({ description: 'Control participants.' }),
    cellArmIds: z
      .array(z.string())
      .meta({ description: 'Cell-therapy arms combined (Cochrane Table 6.5.a).' }),
    controlArmId: z.string(),
    // The moderators a reviewer explains differences between studies by.
    cellSource: combinedCellField('cellSource'),
    cellType: combinedCellField('cellType'),
    donor: combinedCellField('donor'),
    route: combinedCellField('route'),
    comparator: vocabEnum('comparator').nullable().meta({ description: 'The control arm’s comparator.' }),
    cellsPerKg: combinedDose('Cells per kg'),
    cells: combinedDose('Cells (the dose’s cell count)'),
    administrations: combinedDose('Administrations'),
    provenanceKind: vocabEnum('provenanceKind'),
    riskOfBias: z
      .enum([...vocabularies.riskOfBias.values, 'NOT_ASSESSED'])
      .meta({ description: 'The trial’s overall risk-of-bias judgement, or NOT_ASSESSED.' }),
    subgroup: z.string().optional(),
  })
  .meta({ id: 'MetaAnalysisStudy' });

export const MetaAnalysisExclusion = z
  .object({
    trialId: z.string(),
    title: z.string(),
    reason: z.enum(EXCLUSION_REASONS),
    detail: z.string(),
  })
  .meta({ id: 'MetaAnalysisExclusion', description: 'A selected trial left out, and why.' });

export const MetaAnalysisSubgroup = z
  .object({
    value: z.string(),
    k: z.number().int(),
    trialIds: z.array(z.string()).meta({
      description:
        'The subgroup’s trials among the listed studies (all of them when every study is listed); `k` counts them all.',
    }),
    pooled: PooledEstimate.nullable(),
    pooledReason: z.string().nullable(),
  })
  .meta({ id: 'MetaAnalysisSubgroup' });

export const SubgroupDifferenceTest = z
  .object({
    distribution: z.enum(['CHI_SQUARE', 'F']),
    statistic: z
      .number()
      .nullable()
      .meta({ description: 'Q between subgroups (χ²) or the moderator F; null when k = J under F.' }),
    df: z.number().int().meta({ description: 'J − 1.' }),
    dfResidual: z.number().int().nullable().meta({ description: 'k − J under F; null under χ².' }),
    pValue: z
      .number()
      .nullable()
      .meta({ description: 'Null with fewer than two subgroups, or k = J under F.' }),
    qBetween: z.number().optional().meta({ description: 'Under χ²: RevMan’s Q between subgroups.' }),
  })
  .meta({
    id: 'SubgroupDifferenceTest',
    description:
      'The test for subgroup differences. Under test=z: Q between subgroups on J − 1 df, as RevMan computes it ' +
      '(CHI_SQUARE). Under test=knha the subgroup SEs are not known variances, so that χ² does not hold: the test ' +
      'is metafor’s rma(yi, vi, mods = ~ factor(subgroup), test = "knha") F test on (J − 1, k − J) df (F).',
  });

/** What a controlled comparison analysed: every answer built on one (the evidence analyses too) names it. */
export const ComparisonIdentityShape = {
  site: vocabEnum('site'),
  metric: vocabEnum('metric'),
  method: vocabEnum('method')
    .nullable()
    .meta({ description: 'The measurement method compared; null when no trial offered a comparison.' }),
  effect: z.enum(['MD', 'SMD']),
  test: z.enum(TESTS),
  estimator: z.enum(TAU_METHODS).meta({ description: 'The τ² estimator asked for.' }),
};

export const MetaAnalysis = z
  .object({
    ...ComparisonIdentityShape,
    studies: z.array(MetaAnalysisStudy).meta({
      description:
        'The pooled studies, in the order the forest plot draws them: in a JSON answer the page that ' +
        '`studiesOffset` and `studiesLimit` ask for (the first 1,000 by default); `studiesTotal` counts them all.',
    }),
    studiesTotal: z
      .number()
      .int()
      .min(0)
      .meta({ description: 'How many studies the analysis pooled, listed or not.' }),
    pooled: PooledEstimate.nullable(),
    pooledReason: z.string().nullable().meta({ description: 'Why pooled is null; null when it is not.' }),
    excluded: z.array(MetaAnalysisExclusion).meta({
      description:
        'The selected trials left out, each with its reason: the first 500 (`excludedTotal` counts them all, ' +
        '`excludedByReason` by reason), so that a whole-catalogue answer stays bounded.',
    }),
    excludedTotal: z.number().int().min(0).meta({ description: 'How many selected trials were left out.' }),
    excludedByReason: z
      .record(z.string(), z.number().int().min(0))
      .meta({ description: 'How many selected trials were left out for each reason.' }),
    subgroup: z.enum(SUBGROUP_FACETS).optional(),
    subgroups: z.array(MetaAnalysisSubgroup).optional(),
    subgroupTest: SubgroupDifferenceTest.nullable().optional(),
    provenance: ProvenanceCounts,
    warnings: z.array(AnalysisWarning),
    ...VersionShape,
  })
  .meta({ id: 'MetaAnalysis' });
export type MetaAnalysis = z.output<typeof MetaAnalysis>;
