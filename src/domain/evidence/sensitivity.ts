import {
  asColumns,
  type EffectColumns,
  type Effects,
  type Pooled,
  type PoolOptions,
  pool,
} from '../meta-analysis';

/** The studies without the one at `omitted`, as new columns. */
export function withoutStudy({ y, v }: EffectColumns, omitted: number): EffectColumns {
  const rest = (column: Float64Array) => {
    const kept = new Float64Array(column.length - 1);
    kept.set(column.subarray(0, omitted));
    kept.set(column.subarray(omitted + 1), omitted);
    return kept;
  };
  return { y: rest(y), v: rest(v) };
}

/** The first `count` studies: views of the columns, nothing copied. */
export function firstStudies({ y, v }: EffectColumns, count: number): EffectColumns {
  return { y: y.subarray(0, count), v: v.subarray(0, count) };
}

/** `poolOne` of the studies with each left out in turn, in study order. */
export function eachLeftOut<T>(effects: Effects, poolOne: (rest: EffectColumns) => T): T[] {
  const columns = asColumns(effects);
  return Array.from({ length: columns.y.length }, (_, omitted) => poolOne(withoutStudy(columns, omitted)));
}

/** `poolOne` of the first j studies of `ordered`, for j = 1 … k. */
export function eachPrefix<T>(ordered: Effects, poolOne: (first: EffectColumns) => T): T[] {
  const columns = asColumns(ordered);
  return Array.from({ length: columns.y.length }, (_, j) => poolOne(firstStudies(columns, j + 1)));
}

/** metafor's leave1out(): the pooled result with each study left out in turn, in study order. */
export function leaveOneOut(effects: Effects, options: PoolOptions): Pooled[] {
  return eachLeftOut(effects, (rest) => pool(rest, options));
}

/**
 * metafor's cumul(): step j pools the first j studies of `ordered`, so a reader sees how the
 * estimate moved as the evidence arrived. The caller orders the studies (by start date).
 */
export function cumulative(ordered: Effects, options: PoolOptions): Pooled[] {
  return eachPrefix(ordered, (first) => pool(first, options));
}
