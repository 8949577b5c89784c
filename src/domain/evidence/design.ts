import type { DesignColumn } from './meta-regression';

/** The column of ones a model with an intercept starts with. */
export function interceptColumn(k: number): DesignColumn {
  return { term: 'intercept', values: Array.from({ length: k }, () => 1) };
}

/**
 * Dummy coding of a categorical moderator against its first level in code-point order: what R's
 * factor() gives under LC_COLLATE=C, and JavaScript's default sort. Terms are named
 * `<name>:<LEVEL>`. `levels` lists every level, the reference first.
 */
export function dummyColumns(
  name: string,
  values: readonly string[],
): { levels: string[]; columns: DesignColumn[] } {
  const levels = [...new Set(values)].sort();
  const columns = levels.slice(1).map((level) => ({
    term: `${name}:${level}`,
    values: values.map((v) => (v === level ? 1 : 0)),
  }));
  return { levels, columns };
}
