import { z } from 'zod';
import { vocabularies } from '../vocabularies';
import { TAU_METHODS, TESTS } from './params';

/** Response pieces shared by the summaries and the meta-analyses. */

export const PooledEstimate = z
  .object({
    k: z.number().int().meta({ description: 'Number of effects pooled.' }),
    estimate: z.number(),
    se: z.number(),
    ciLower: z.number().meta({ description: '95% confidence interval (t with k − 1 df under knha).' }),
    ciUpper: z.number(),
    pValue: z.number(),
    tau2: z.number().meta({ description: 'Between-study variance τ² (0 under EE, and with k = 1).' }),
    i2: z.number().nullable().meta({ description: 'I² in percent; null with k = 1.' }),
    h2: z.number().nullable().meta({ description: 'H²; null with k = 1.' }),
    q: z
      .number()
      .nullable()
      .meta({ description: 'Cochran’s Q (inverse-variance weights); null with k = 1.' }),
    qDf: z.number().int(),
    qPValue: z.number().nullable(),
    predictionLower: z.number().meta({ description: '95% prediction interval, metafor’s predict().' }),
    predictionUpper: z.number(),
    method: z.enum(TAU_METHODS).meta({ description: 'τ² estimator.' }),
    test: z.enum(TESTS).meta({ description: 'The test used: z when knha was asked for but k = 1.' }),
    tau2Searched: z
      .literal(true)
      .optional()
      .meta({
        description:
          'Present when REML’s Fisher scoring failed or stopped at τ² = 0 below the restricted likelihood’s maximum, ' +
          'and a search of the likelihood found it (a REML_MAXIMUM_BY_SEARCH warning says so).',
      }),
  })
  .meta({
    id: 'PooledEstimate',
    description: 'Random-effects inverse-variance pooling, by metafor’s rma.uni() and predict() definitions.',
  });

const kindCount = z.number().int().min(0);
export const ProvenanceCounts = z
  .object(
    Object.fromEntries(vocabularies.provenanceKind.values.map((k) => [k, kindCount])) as Record<
      (typeof vocabularies.provenanceKind.values)[number],
      typeof kindCount
    >,
  )
  .meta({
    id: 'ProvenanceCounts',
    description: 'Trial records that contributed, counted once each by provenance kind.',
    example: { REGISTRY: 3, PUBLICATION: 1, ILLUSTRATIVE: 0, USER: 0 },
  });

export const AnalysisWarning = z
  .object({
    code: z.string().meta({ example: 'ILLUSTRATIVE_DATA' }),
    message: z.string(),
  })
  .meta({
    id: 'AnalysisWarning',
    description:
      'Something a reader must know: ILLUSTRATIVE_DATA, LS_MEAN_SD_FROM_SE, MEDIAN_NOT_POOLED, SINGLE_STUDY ' +
      '(a pool of one study or arm: its own estimate and CI, no heterogeneity), SUBGROUP_TEST_NOT_COMPUTABLE.',
  });

export const DataVersion = z
  .number()
  .int()
  .nullable()
  .meta({
    description:
      'Changes with every write: cite it (with `asOf`) to reproduce this answer. Null only for an `asOf` instant ' +
      'before the history of data versions began.',
    example: 42,
  });

/** Which data version an answer was computed from, and the instant it was asked as of. */
export const VersionShape = {
  asOf: z
    .string()
    .optional()
    .meta({ description: 'With `asOf`: the instant the catalogue was answered as of (ISO 8601, UTC).' }),
  dataVersion: DataVersion,
};
