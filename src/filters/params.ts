import { z } from 'zod';
import { CountryCode, RegistryId } from '../schemas/common';
import { CHANGE_METRICS, type VocabularyName, vocabularies } from '../vocabularies';

/**
 * The one filter definition shared by lists, counts, summaries, meta-analyses and CSV exports.
 * Multi-valued filters take comma-separated values or repeated parameters: OR within a filter,
 * AND across filters.
 */
function splitValues(raw: unknown): unknown {
  const list = Array.isArray(raw) ? raw : [raw];
  return list.flatMap((v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()) : [v]));
}

/** The one builder of a multi-valued parameter: comma-separated or repeated values, at least one. */
export function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(splitValues, z.array(item).min(1));
}

function multi<T extends z.ZodType<string>>(item: T, example: string) {
  return listOf(item)
    .optional()
    .meta({
      example: example.split(','),
      description: 'One value or several, comma-separated or repeated (any of them matches).',
    });
}

function multiVocab(name: VocabularyName, example: string, extra: string[] = []) {
  const values = [...vocabularies[name].values, ...extra] as [string, ...string[]];
  const item = z.enum(values, { error: () => `must be one of ${values.join(', ')}` });
  return multi(item, example).meta({
    description: `Any of: ${values.join(', ')} (comma-separated or repeated).`,
  });
}

/** A repeated single-valued parameter arrives as an array and fails these schemas, as it should. */
const single = <T extends z.ZodType>(schema: T) => schema;

const intParam = (min: number, max: number, example: number) =>
  single(z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(min).max(max))
    .optional()
    .meta({ example });

const numberParam = (example: number) =>
  single(z.coerce.number({ error: 'must be a number' }).min(-1e6).max(1e6))
    .optional()
    .meta({ example });

export const FilterShape = {
  phase: multiVocab('phase', 'PHASE1,PHASE2'),
  status: multiVocab('overallStatus', 'COMPLETED'),
  studyType: multiVocab('studyType', 'INTERVENTIONAL'),
  allocation: multiVocab('allocation', 'RANDOMIZED'),
  population: multiVocab('population', 'POSTMENOPAUSAL'),
  country: multi(CountryCode, 'ES,CN'),
  provenance: multiVocab('provenanceKind', 'REGISTRY,PUBLICATION'),
  riskOfBias: multiVocab('riskOfBias', 'LOW,NOT_ASSESSED', ['NOT_ASSESSED']),
  registryId: multi(RegistryId, 'NCT02566655'),
  enrollmentMin: intParam(0, 10_000_000, 10),
  enrollmentMax: intParam(0, 10_000_000, 200),
  startYearFrom: intParam(1900, 2200, 2010),
  startYearTo: intParam(1900, 2200, 2025),
  updatedSince: single(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp' }))
    .optional()
    .meta({ example: '2026-01-01T00:00:00Z' }),
  hasBmdResults: single(z.stringbool({ error: 'must be true or false' }))
    .optional()
    .meta({ example: 'true' }),
  q: single(z.string().trim().min(1, 'must not be empty').max(200)).optional().meta({
    example: 'mesenchymal',
    description: 'Plain words, all of which must appear (full-text search).',
  }),
  cellSource: multiVocab('cellSource', 'BONE_MARROW'),
  cellType: multiVocab('cellType', 'MSC'),
  donor: multiVocab('donor', 'AUTOLOGOUS'),
  route: multiVocab('route', 'INTRAVENOUS'),
  comparator: multiVocab('comparator', 'PLACEBO'),
  armType: multiVocab('armType', 'EXPERIMENTAL'),
  site: multiVocab('site', 'LUMBAR_SPINE'),
  metric: multiVocab('metric', 'PERCENT_CHANGE'),
  method: multiVocab('method', 'DXA'),
  timepointMin: numberParam(6),
  timepointMax: numberParam(24),
  bmdChangeMin: numberParam(0),
  bmdChangeMax: numberParam(10),
};

export type Filters = {
  [K in keyof typeof FilterShape]?: z.output<(typeof FilterShape)[K]>;
};

const RANGES = [
  ['enrollmentMin', 'enrollmentMax'],
  ['startYearFrom', 'startYearTo'],
  ['timepointMin', 'timepointMax'],
  ['bmdChangeMin', 'bmdChangeMax'],
] as const;

/** Rules across parameters: ranges must not be inverted, and a BMD-change range needs one change metric. */
export function checkFilterRules(f: Filters, ctx: z.RefinementCtx): void {
  for (const [lo, hi] of RANGES) {
    const a = f[lo];
    const b = f[hi];
    if (a !== undefined && b !== undefined && a > b)
      ctx.addIssue({
        code: 'custom',
        path: [lo],
        message: `${lo} (${a}) is greater than ${hi} (${b}): the range is empty`,
      });
  }
  if (f.bmdChangeMin !== undefined || f.bmdChangeMax !== undefined) {
    const changeMetrics = (f.metric ?? []).filter((m) => (CHANGE_METRICS as readonly string[]).includes(m));
    if (changeMetrics.length !== 1 || f.metric?.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: `bmdChangeMin/bmdChangeMax need exactly one change metric in metric (${CHANGE_METRICS.join(', ')})`,
      });
  }
}

/** A stable text form of the filters, used to bind cursors and cache entries to a query. */
export function normaliseFilters(f: Filters): string {
  const entries = Object.entries(f)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, Array.isArray(v) ? [...new Set(v as string[])].sort() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}
