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
  let value: string | undefined;
  for (const { arm } of unit.cells) {
    if (!cellArmIds.includes(arm.id)) continue;
    const own = arm.subgroup ?? 'NOT_REPORTED';
    if (value === undefined) value = own;
    else if (own !== value) return 'MIXED';
  }
  return value ?? 'MIXED';
}
