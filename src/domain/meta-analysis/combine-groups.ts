import type { ArmSummary } from './effect-sizes';

/**
 * Merges two groups into one, as if their individual data had been pooled (Cochrane Handbook
 * Table 6.5.a). Used when a trial reports several arms (e.g. doses) that the analysis treats as
 * one. The between-group term n1n2/N·(m1 − m2)² is what makes the combined SD larger than a
 * plain pooled SD when the group means differ.
 */
export function combineGroups(a: ArmSummary, b: ArmSummary): ArmSummary {
  const n = a.n + b.n;
  if (!(n > 1)) throw new RangeError('combined groups need a total n of at least 2');
  const mean = (a.n * a.mean + b.n * b.mean) / n;
  const ss = (a.n - 1) * a.sd ** 2 + (b.n - 1) * b.sd ** 2 + ((a.n * b.n) / n) * (a.mean - b.mean) ** 2;
  return { n, mean, sd: Math.sqrt(ss / (n - 1)) };
}

/**
 * Applies combineGroups left to right. The formula is exact for pooled individual data, so the
 * result does not depend on the order in which groups are merged.
 */
export function combineManyGroups(groups: readonly ArmSummary[]): ArmSummary {
  const [first, ...rest] = groups;
  if (first === undefined) throw new RangeError('combineManyGroups needs at least one group');
  return rest.reduce(combineGroups, first);
}
