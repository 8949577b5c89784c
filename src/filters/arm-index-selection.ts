import type { ParsedSort } from './pagination';
import type { Filters } from './params';
import {
  and,
  cellArmConditions,
  hasResultFilters,
  resultConditions,
  type SqlPart,
  trialSelection,
} from './sql';

/**
 * The list plan for the commonest question, one cell source × one route: the arm index that
 * leads with both and then carries the trial's sort key (arms_list_start_idx,
 * arms_list_enrollment_idx) is read in page order, the trial's status and allocation checked in
 * the index entry, so a page stops after its last row without probing each trial's arms.
 */
const CARRIED_SORT_COLUMNS: Partial<Record<ParsedSort['key'], string>> = {
  startDate: 'a.trial_start_sort',
  enrollment: 'a.trial_enrollment',
};

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** Whether the arm index plan answers this list: one cell source, one route, a carried sort key, no search. */
export function armIndexApplies(f: Filters, sort: ParsedSort): boolean {
  return (
    new Set(f.cellSource).size === 1 &&
    new Set(f.route).size === 1 &&
    f.q === undefined &&
    CARRIED_SORT_COLUMNS[sort.key] !== undefined
  );
}

/** The arm's result condition (alias `r` on arm `alias`), when result filters are asked for. */
function resultOf(f: Filters, alias: string): SqlPart | null {
  if (!hasResultFilters(f)) return null;
  const results = resultConditions(f);
  return {
    sql: `EXISTS (SELECT 1 FROM bmd_results r WHERE r.arm_id = ${alias}.id AND ${results.sql})`,
    params: results.params,
  };
}

/** The selected arm conditions on arm `alias`: its cell fields and, when asked, one matching result. */
function selectedArm(f: Filters, alias: string): SqlPart {
  return and([cellArmConditions(f, alias), resultOf(f, alias)]);
}

/**
 * The FROM, WHERE and sort column of the arm index plan (arm `a` joined to its trial `t`). Each
 * trial is listed once, by its first matching arm (lowest rowid, read from the same index).
 * The carried status and allocation narrow the arms in the index; every trial filter is then
 * checked on the trial row too, so the answer is the trial selection's whatever is carried.
 */
export function armIndexSelection(
  f: Filters,
  sort: ParsedSort,
): { from: string; where: SqlPart; column: string } {
  const arm = selectedArm(f, 'a');
  const earlier = selectedArm(f, 'e');
  return {
    from: 'FROM arms a CROSS JOIN trials t ON t.id = a.trial_id',
    column: CARRIED_SORT_COLUMNS[sort.key] as string,
    where: and([
      arm,
      f.status ? { sql: `a.trial_status IN (${placeholders(f.status)})`, params: f.status } : null,
      f.allocation
        ? { sql: `a.trial_allocation IN (${placeholders(f.allocation)})`, params: f.allocation }
        : null,
      {
        sql: `NOT EXISTS (SELECT 1 FROM arms e WHERE e.trial_id = a.trial_id AND e.rowid < a.rowid AND ${earlier.sql})`,
        params: earlier.params,
      },
      trialSelection(f),
    ]),
  };
}
