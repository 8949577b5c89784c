import { z } from 'zod';
import { CountryCode, decimalText, RegistryId, trueOrFalse, wholeNumberText } from '../schemas/common';
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

/**
 * Optional parameters carry no example: Swagger UI's "Try it out" would send every example as a
 * filter, and their conjunction selects nothing. The document declares the comma form
 * (`style: form, explode: false`, see openapi-contract.ts); repeated parameters work too.
 */
function multi<T extends z.ZodType<string>>(item: T, description: string) {
  return listOf(item).optional().meta({ description });
}

function multiVocab(name: VocabularyName, extra: string[] = []) {
  const values = [...vocabularies[name].values, ...extra] as [string, ...string[]];
  const item = z.enum(values, { error: () => `must be one of ${values.join(', ')}` });
  return multi(
    item,
    `Any of: ${values.join(', ')}. Several values are comma-separated (\`a,b\`) or repeated (\`x=a&x=b\`).`,
  );
}

/** A repeated single-valued parameter arrives as an array and fails these schemas, as it should. */
const single = <T extends z.ZodType>(schema: T) => schema;

const intParam = (min: number, max: number, description: string) =>
  single(
    wholeNumberText(
      z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min).max(max),
    ),
  )
    .optional()
    .meta({ description });

const numberParam = (description: string) =>
  single(decimalText(z.number({ error: 'must be a number' }).min(-1e6).max(1e6)))
    .optional()
    .meta({ description });

const BMD_CHANGE_UNITS =
  'in the unit of the one change metric given in `metric` (required with this filter): percentage points ' +
  'for PERCENT_CHANGE (3 means +3 %), the method’s unit for ABSOLUTE_CHANGE (g/cm² by DXA, mg/cm³ by QCT), ' +
  'T-score units (SD) for T_SCORE_CHANGE';
const TIMEPOINT = 'months after baseline (0 is baseline; one decimal, e.g. 6 or 1.5)';
const MULTI = 'One value or several, comma-separated (`a,b`) or repeated (`x=a&x=b`); any of them matches.';

const enrollment = (bound: string) =>
  intParam(
    0,
    10_000_000,
    `${bound} participants enrolled (actual or estimated, as registered), inclusive. ` +
      'Trials with no enrollment reported are left out.',
  );

const startYear = (bound: string, instance: number) =>
  intParam(
    1900,
    2200,
    `${bound} calendar year in which the trial started (e.g. ${instance}), inclusive. ` +
      'Trials with no start date are left out.',
  );

export const FilterShape = {
  phase: multiVocab('phase'),
  status: multiVocab('overallStatus'),
  studyType: multiVocab('studyType'),
  allocation: multiVocab('allocation'),
  population: multiVocab('population'),
  country: multi(CountryCode, `ISO 3166-1 alpha-2 codes such as ES or CN. ${MULTI}`),
  provenance: multiVocab('provenanceKind'),
  riskOfBias: multiVocab('riskOfBias', ['NOT_ASSESSED']),
  registryId: multi(RegistryId, `Registry ids such as NCT02566655 (any registry). ${MULTI}`),
  enrollmentMin: enrollment('Fewest'),
  enrollmentMax: enrollment('Most'),
  startYearFrom: startYear('Earliest', 2015),
  startYearTo: startYear('Latest', 2024),
  updatedSince: single(z.iso.datetime({ offset: true, error: 'must be an ISO 8601 timestamp' }))
    .optional()
    .meta({
      description:
        'An ISO 8601 timestamp with a time zone, e.g. 2026-01-01T00:00:00Z: only trials whose record was ' +
        'written at or after that instant (for apps that sync).',
    }),
  asOf: single(
    z.iso
      .datetime({ offset: true, error: 'must be an ISO 8601 timestamp' })
      .refine((at) => Date.parse(at) <= Date.now(), { message: 'must not be in the future' }),
  )
    .optional()
    .meta({
      description:
        'An ISO 8601 timestamp with a time zone: answer from the catalogue exactly as it stood at that instant, ' +
        'rebuilt from the revision history (deletions included), so a published analysis can be reproduced. ' +
        'The answer names the `dataVersion` then in force (null, with a warning, before the history of data ' +
        'versions began). The first request for an instant rebuilds the catalogue once.',
    }),
  hasBmdResults: single(trueOrFalse()).optional().meta({
    description:
      '`true`: only trials that report at least one BMD result; `false`: only trials that report none.',
  }),
  q: single(z.string().trim().min(1, 'must not be empty').max(200))
    .optional()
    .meta({
      description:
        'Plain words, all of which must match (full-text search over title, summary, arm labels and sponsor). ' +
        'A word matches its other forms (fracture, fractures) and, for the field’s terms, their synonyms and ' +
        'abbreviations (mesenchymal, MSC; BMD, bone mineral density); search syntax is taken literally.',
    }),
  cellSource: multiVocab('cellSource'),
  cellType: multiVocab('cellType'),
  donor: multiVocab('donor'),
  route: multiVocab('route'),
  comparator: multiVocab('comparator'),
  armType: multiVocab('armType'),
  site: multiVocab('site'),
  metric: multiVocab('metric'),
  method: multiVocab('method'),
  timepointMin: numberParam(`Earliest timepoint of a result, in ${TIMEPOINT}, inclusive.`),
  timepointMax: numberParam(`Latest timepoint of a result, in ${TIMEPOINT}, inclusive.`),
  bmdChangeMin: numberParam(
    `Smallest mean change of a cell-therapy arm’s result, inclusive, ${BMD_CHANGE_UNITS}.`,
  ),
  bmdChangeMax: numberParam(
    `Largest mean change of a cell-therapy arm’s result, inclusive, ${BMD_CHANGE_UNITS}.`,
  ),
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
