import type { Unit } from './trial-units';
import type { SubgroupLevel } from './types';

/**
 * The comparison's value of the subgroup facet, read from the side the facet belongs to. Cell arms
 * combined from different subgroups are 'MIXED' rather than credited to either.
 */
export function subgroupOf(
  unit: Unit,
  cellArmIds: readonly string[],
  level: SubgroupLevel | undefined,
): string {
  if (level === undefined) return 'ALL';
  if (level === 'trial') return unit.trial.subgroup ?? 'NOT_REPORTED';
  if (level === 'control') return unit.controls[0]?.arm.subgroup ?? 'NOT_REPORTED';
  const values = new Set(
    unit.cells.filter((c) => cellArmIds.includes(c.arm.id)).map((c) => c.arm.subgroup ?? 'NOT_REPORTED'),
  );
  return values.size === 1 ? ([...values][0] as string) : 'MIXED';
}
