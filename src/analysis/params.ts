import { z } from 'zod';
import type { TauMethod, TestKind } from '../domain/meta-analysis';
import { checkFilterRules, FilterShape, type Filters, listOf } from '../filters/params';
import { type Vocab, vocabularies } from '../vocabularies';

/**
 * `method` is both a shared result filter (measurement: DXA, QCT, OTHER, NOT_REPORTED) and, on the
 * summaries and meta-analyses, the τ² estimator (REML, DL, PM, EE). The two vocabularies share no
 * value, so one parameter carries both: each value is read by the vocabulary it belongs to, and
 * `method=DXA,DL` (or `method=DXA&method=DL`) filters on DXA and pools with DerSimonian–Laird.
 */
export const TAU_METHODS = ['REML', 'DL', 'PM', 'EE'] as const satisfies readonly TauMethod[];
export const TESTS = ['z', 'knha'] as const satisfies readonly TestKind[];

type MeasurementMethod = Vocab<'method'>;
type MethodValue = MeasurementMethod | TauMethod;

const MEASUREMENT = vocabularies.method.values as readonly MeasurementMethod[];
const METHOD_VALUES = [...MEASUREMENT, ...TAU_METHODS] as unknown as [MethodValue, ...MethodValue[]];

const allowed = `${MEASUREMENT.join(', ')} (measurement) or ${TAU_METHODS.join(', ')} (τ² estimator)`;

export const AnalysisShape = {
  method: listOf(z.enum(METHOD_VALUES, { error: () => `must be one of ${allowed}` }))
    .optional()
    .meta({
      description:
        `Two vocabularies in one parameter, comma-separated or repeated: measurement methods ` +
        `(${MEASUREMENT.join(', ')}; any of them matches, as on every endpoint) and at most one τ² ` +
        `estimator (${TAU_METHODS.join(', ')}; default REML). EE is the equal (common) effect model.`,
    }),
  test: z
    .enum(TESTS, { error: () => 'must be z or knha' })
    .default('z')
    .meta({
      description:
        'Test and confidence interval of the pooled estimate: Wald z (default), or Knapp–Hartung t (k − 1 df).',
    }),
};

/** A parsed query of these endpoints: the shared filters, with `method` over both vocabularies. */
export type AnalysisFilters = Omit<Filters, 'method'> & { method?: MethodValue[] | undefined };

export function splitMethod(values: readonly MethodValue[] | undefined): {
  measurement: MeasurementMethod[] | undefined;
  estimator: TauMethod;
} {
  const list = values ?? [];
  const measurement = list.filter((v): v is MeasurementMethod =>
    (MEASUREMENT as readonly string[]).includes(v),
  );
  const estimator = list.find((v): v is TauMethod => (TAU_METHODS as readonly string[]).includes(v));
  return { measurement: measurement.length ? measurement : undefined, estimator: estimator ?? 'REML' };
}

/** The shared filter rules, plus: `method` names at most one estimator. */
export function checkAnalysisRules(query: AnalysisFilters, ctx: z.RefinementCtx): void {
  const { measurement } = splitMethod(query.method);
  checkFilterRules({ ...query, method: measurement }, ctx);
  const estimators = new Set(
    (query.method ?? []).filter((v) => (TAU_METHODS as readonly string[]).includes(v)),
  );
  if (estimators.size > 1)
    ctx.addIssue({
      code: 'custom',
      path: ['method'],
      message: `method names at most one τ² estimator, got ${[...estimators].join(', ')}`,
    });
}

/** The shared filters of a parsed query, with `method` narrowed to measurement methods. */
export function filtersFrom(query: AnalysisFilters): Filters {
  const filters: Record<string, unknown> = {};
  for (const key of Object.keys(FilterShape) as (keyof Filters)[])
    if (query[key] !== undefined) filters[key] = query[key];
  filters.method = splitMethod(query.method).measurement;
  return filters as Filters;
}
