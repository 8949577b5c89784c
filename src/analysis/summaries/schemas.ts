import { z } from 'zod';
import { COUNT_FACETS, GROUP_BY_FACETS } from '../../filters/facets';
import { checkFilterRules, FilterShape, listOf } from '../../filters/params';
import { CHANGE_METRICS } from '../../vocabularies';
import { AnalysisWarning, PooledEstimate, ProvenanceCounts, VersionShape } from '../answer-parts';
import { AnalysisShape, checkAnalysisRules } from '../params';

function facetList<T extends readonly [string, ...string[]]>(values: T, description: string) {
  return listOf(z.enum(values, { error: () => `must be one of ${values.join(', ')}` }))
    .optional()
    .meta({
      description: `${description} Any of: ${values.join(', ')}, comma-separated (\`a,b\`) or repeated (\`x=a&x=b\`).`,
    });
}

// ---- /summaries/counts ----

export type CountFacet = (typeof COUNT_FACETS)[number];

export const CountsQuery = z
  .strictObject({
    ...FilterShape,
    facets: facetList(COUNT_FACETS, 'The facets to count; all of them when omitted.'),
  })
  .superRefine((q, ctx) => checkFilterRules(q, ctx));
export type CountsQuery = z.output<typeof CountsQuery>;

export const FacetCount = z
  .object({
    value: z.union([z.string(), z.number(), z.boolean()]).nullable().meta({
      description: 'The value; null when not reported (startYear a number, hasBmdResults a boolean).',
    }),
    trials: z.number().int().meta({ description: 'Selected trials with this value, each counted once.' }),
  })
  .meta({ id: 'FacetCount' });

export const FacetCounts = z
  .object({
    facets: z.partialRecord(z.enum(COUNT_FACETS), z.array(FacetCount)).meta({
      description: 'Per facet asked for: its values, most trials first.',
      example: { route: [{ value: 'INTRAVENOUS', trials: 4 }] },
    }),
    total: z.number().int().meta({ description: 'Selected trials.' }),
    provenance: ProvenanceCounts.meta({ description: 'The selected trials counted, by provenance kind.' }),
    warnings: z.array(AnalysisWarning).meta({
      description: 'ILLUSTRATIVE_DATA when an illustrative (made-up) record is counted.',
    }),
    ...VersionShape,
  })
  .meta({ id: 'FacetCounts' });

// ---- /summaries/bmd-change ----

export const BmdChangeQuery = z
  .strictObject({
    ...FilterShape,
    ...AnalysisShape,
    groupBy: facetList(
      GROUP_BY_FACETS,
      'Facets added to the group key (site, metric, method and statistic always are).',
    ),
  })
  .superRefine((q, ctx) => {
    checkAnalysisRules(q, ctx);
    const other = (q.metric ?? []).filter((m) => !(CHANGE_METRICS as readonly string[]).includes(m));
    if (other.length)
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: `this summary covers change metrics only (${CHANGE_METRICS.join(', ')}); not ${other.join(', ')}`,
      });
  });
export type BmdChangeQuery = z.output<typeof BmdChangeQuery>;

const GroupKey = z
  .object({ site: z.string(), metric: z.string(), method: z.string(), statistic: z.string() })
  .catchall(z.string().nullable())
  .meta({
    description: 'site, metric, method and statistic, then each groupBy facet (null when not reported).',
  });

export const BmdChangeGroup = z
  .object({
    key: GroupKey,
    trials: z.number().int(),
    arms: z.number().int(),
    participants: z.number().int().meta({ description: 'Σn over the arms.' }),
    armsWithoutSd: z.number().int(),
    mean: z.number().meta({ description: 'Unweighted mean of the arm means.' }),
    weightedMean: z.number().meta({ description: 'Mean of the arm means weighted by n.' }),
    median: z.number(),
    min: z.number(),
    max: z.number(),
    timepoints: z
      .array(z.object({ months: z.number(), arms: z.number().int() }))
      .meta({ description: 'The timepoints used (each arm’s latest in the window) and how many arms each.' }),
    pooled: PooledEstimate.nullable().meta({
      description: 'Random-effects pooling of the arm means, vᵢ = sdᵢ²/nᵢ (metafor measure "MN").',
    }),
    pooledReason: z.string().nullable().meta({ description: 'Why pooled is null; null when it is not.' }),
  })
  .meta({ id: 'BmdChangeGroup' });

export const BmdChangeSummary = z
  .object({
    groups: z.array(BmdChangeGroup),
    provenance: ProvenanceCounts,
    warnings: z.array(AnalysisWarning),
    ...VersionShape,
  })
  .meta({ id: 'BmdChangeSummary' });
