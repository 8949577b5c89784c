import { z } from 'zod';
import { CATEGORICAL_MODERATORS } from '../../filters/facets';
import { FormatShape } from '../../filters/list-query';
import { FilterShape, listOf } from '../../filters/params';
import { vocabEnum } from '../../schemas/common';
import { AnalysisWarning, PooledEstimate, ProvenanceCounts, VersionShape } from '../answer-parts';
import { ComparisonIdentityShape, checkMetaAnalysisRules, MetaAnalysisShape } from '../meta-analysis/schemas';
import { AnalysisShape, checkAnalysisRules, TAU_METHODS, TESTS } from '../params';
import { CONTINUOUS_MODERATORS } from './regression';

/** What every evidence answer says of itself: what was analysed, from which records, at which version. */
export const EvidenceContextShape = {
  ...ComparisonIdentityShape,
  k: z.number().int().min(0).meta({ description: 'Studies analysed: those `GET /meta-analyses/bmd` pools.' }),
  excludedByReason: z.record(z.string(), z.number().int().min(0)).meta({
    description: 'Selected trials not analysed, counted by reason (the list is in GET /meta-analyses/bmd).',
  }),
  provenance: ProvenanceCounts,
  warnings: z.array(AnalysisWarning),
  ...VersionShape,
};

const PooledRow = {
  trialId: z.string(),
  title: z.string(),
  pooled: PooledEstimate.nullable(),
  pooledReason: z.string().nullable().meta({ description: 'Why pooled is null; null when it is not.' }),
};

export const LeaveOneOut = z
  .object({
    ...EvidenceContextShape,
    base: PooledEstimate.nullable().meta({
      description: 'All studies pooled, as GET /meta-analyses/bmd pools them.',
    }),
    omitted: z
      .array(z.object(PooledRow).meta({ description: 'The pool without this trial.' }))
      .meta({ description: 'One row per study, in study order (metafor leave1out).' }),
  })
  .meta({ id: 'LeaveOneOut' });

export const Cumulative = z
  .object({
    ...EvidenceContextShape,
    steps: z
      .array(
        z
          .object({ ...PooledRow, startDate: z.string().nullable() })
          .meta({ description: 'Step j pools the first j trials by start date.' }),
      )
      .meta({ description: 'Trials by start date ascending, ties by id, undated last (metafor cumul).' }),
  })
  .meta({ id: 'CumulativeMetaAnalysis' });

export const SmallStudyEffects = z
  .object({
    ...EvidenceContextShape,
    egger: z
      .object({
        statistic: z.number().meta({ description: 't of the standard-error slope.' }),
        df: z.number().int(),
        pValue: z.number(),
        limitEstimate: z
          .number()
          .meta({ description: 'The intercept: the effect of an infinitely large study.' }),
      })
      .nullable()
      .meta({ description: 'Egger’s regression test, metafor regtest(model = "lm"); null below 3 studies.' }),
    eggerReason: z.string().nullable(),
    begg: z
      .object({
        kendallTau: z.number(),
        pValue: z.number(),
        exact: z.boolean().meta({ description: 'Exact p (k < 50, no ties) or the normal approximation.' }),
      })
      .nullable()
      .meta({ description: 'Begg’s rank correlation, metafor ranktest(); null below 3 studies.' }),
    beggReason: z.string().nullable(),
    trimFill: z
      .object({
        k0: z.number().int().min(0).meta({ description: 'Studies estimated missing (estimator L0).' }),
        side: z.enum(['left', 'right']),
        pooled: PooledEstimate,
        filled: z.array(z.object({ yi: z.number(), vi: z.number() })),
      })
      .nullable()
      .meta({
        description: 'Trim-and-fill exactly as metafor trimfill() runs it, with the requested estimator.',
      }),
    trimFillReason: z.string().nullable(),
  })
  .meta({ id: 'SmallStudyEffects' });

export const RegressionQuery = z
  .strictObject({
    ...MetaAnalysisShape,
    moderators: listOf(
      z.enum([...CONTINUOUS_MODERATORS, ...CATEGORICAL_MODERATORS], {
        error: () => `must be one of ${[...CONTINUOUS_MODERATORS, ...CATEGORICAL_MODERATORS].join(', ')}`,
      }),
    ).meta({
      example: ['cellsPerKg'],
      description:
        `Required, one or more (comma-separated or repeated). Continuous: ${CONTINUOUS_MODERATORS.join(', ')} ` +
        '(dose of the cell-therapy arms, n-weighted when several are combined; the compared timepoint in months; ' +
        `the trial's start year and baseline mean age and T-score). Categorical: ${CATEGORICAL_MODERATORS.join(', ')}, ` +
        'each dummy-coded against its first level in code-point order.',
    }),
  })
  .superRefine(checkMetaAnalysisRules);
export type RegressionQuery = z.output<typeof RegressionQuery>;

const nullableNumber = z.number().nullable();

export const MetaRegression = z
  .object({
    ...EvidenceContextShape,
    moderators: z.array(z.string()),
    coefficients: z.array(
      z.object({
        term: z
          .string()
          .meta({ description: '`intercept`, a moderator, or `<moderator>:<LEVEL>` for a level.' }),
        estimate: z.number(),
        se: z.number(),
        statistic: z.number().meta({ description: 'z, or t on k − p df under Knapp–Hartung.' }),
        pValue: z.number(),
        ciLower: z.number(),
        ciUpper: z.number(),
      }),
    ),
    droppedTerms: z.array(z.string()).meta({ description: 'Redundant terms dropped, as metafor does.' }),
    tau2: nullableNumber.meta({ description: 'Residual τ².' }),
    i2: nullableNumber,
    h2: nullableNumber,
    r2: nullableNumber.meta({ description: 'Percent of τ² accounted for (metafor’s pseudo R²).' }),
    qm: nullableNumber.meta({ description: 'Omnibus test of the moderators: χ², or F under Knapp–Hartung.' }),
    qmDf: z.number().int().nullable(),
    qmDfResidual: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'k − p under Knapp–Hartung; null under z.' }),
    qmPValue: nullableNumber,
    qe: nullableNumber.meta({ description: 'Test for residual heterogeneity (χ² on k − p df).' }),
    qeDf: z.number().int().nullable(),
    qePValue: nullableNumber,
    method: z.enum(TAU_METHODS),
    test: z.enum(TESTS),
    excluded: z.array(
      z.object({
        trialId: z.string(),
        title: z.string(),
        reason: z.enum(['MODERATOR_NOT_REPORTED', 'MODERATOR_MIXED']),
        detail: z.string(),
      }),
    ),
    reason: z
      .string()
      .nullable()
      .meta({ description: 'Why there is no fit (too few studies for the terms).' }),
  })
  .meta({ id: 'MetaRegression' });

export const SummaryOfFindingsQuery = z
  .strictObject({
    ...FilterShape,
    ...AnalysisShape,
    effect: MetaAnalysisShape.effect,
    ...FormatShape,
  })
  .superRefine((q, ctx) => checkAnalysisRules(q, ctx));
export type SummaryOfFindingsQuery = z.output<typeof SummaryOfFindingsQuery>;

const GradeDomain = z.object({
  downgrade: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  reason: z.string(),
});

export const SummaryOfFindings = z
  .object({
    suggestion: z.string().meta({ description: 'The ratings are suggestions for reviewers to confirm.' }),
    rows: z.array(
      z.object({
        site: vocabEnum('site'),
        metric: vocabEnum('metric'),
        method: vocabEnum('method'),
        k: z.number().int().min(1),
        participants: z.number().int().min(0).meta({ description: 'Σ(n₁ + n₂) over the pooled studies.' }),
        pooled: PooledEstimate.nullable(),
        pooledReason: z.string().nullable(),
        certainty: z.enum(['HIGH', 'MODERATE', 'LOW', 'VERY_LOW']).nullable(),
        startingCertainty: z
          .enum(['HIGH', 'LOW'])
          .nullable()
          .meta({ description: 'HIGH when every study is randomised, else LOW.' }),
        domains: z
          .object({
            riskOfBias: GradeDomain,
            inconsistency: GradeDomain,
            indirectness: GradeDomain,
            imprecision: GradeDomain,
            publicationBias: GradeDomain,
          })
          .nullable(),
        provenance: ProvenanceCounts,
        warnings: z.array(AnalysisWarning),
      }),
    ),
    provenance: ProvenanceCounts,
    warnings: z.array(AnalysisWarning),
    ...VersionShape,
  })
  .meta({ id: 'SummaryOfFindings' });
