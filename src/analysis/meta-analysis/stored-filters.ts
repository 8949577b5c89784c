import type { StoredComparisonInputs } from '../../domain/comparison-inputs';
import type { ComparisonResult } from '../../domain/controlled-comparison';
import type { Filters } from '../../filters/params';
import { needsCellArm } from '../../filters/sql';

/**
 * The shared filters said in JavaScript, over a trial's stored comparison inputs: what
 * cellArmConditions, resultConditions, the control-arm condition and selectedArmCondition say in
 * SQL (src/filters/sql.ts) over the arm and result tables. Each must keep the SQL's meaning,
 * NULL never matching a list; test/meta-analyses/stored-candidates.test.ts holds them to it.
 */
type StoredArm = StoredComparisonInputs['arms'][number];

/** Where the stored results are: one row holds one site and metric. */
export interface StoredOutcome {
  site: string;
  metric: string;
}

const within = <T>(values: readonly T[] | undefined, value: T | null) =>
  values === undefined || (value !== null && values.includes(value));

/** cellArmConditions: a cell-therapy arm matching every cell-arm filter. */
export function isCellArm(f: Filters, arm: StoredArm): boolean {
  return (
    arm.cellSource !== null &&
    within(f.cellSource, arm.cellSource) &&
    within(f.cellType, arm.cellType) &&
    within(f.donor, arm.donor) &&
    within(f.route, arm.route)
  );
}

/** The control-arm condition: a non-cell arm, of an asked-for comparator when any is asked for. */
export function isControlArm(f: Filters, arm: StoredArm): boolean {
  return arm.cellSource === null && within(f.comparator, arm.comparator);
}

/** resultConditions, for a result stored at `outcome`. */
export function matchesResultFilters(f: Filters, r: ComparisonResult, outcome: StoredOutcome): boolean {
  return (
    within(f.site, outcome.site) &&
    within(f.metric, outcome.metric) &&
    within(f.method, r.method) &&
    (f.timepointMin === undefined || r.timepointMonths >= f.timepointMin) &&
    (f.timepointMax === undefined || r.timepointMonths <= f.timepointMax) &&
    (f.bmdChangeMin === undefined || r.mean >= f.bmdChangeMin) &&
    (f.bmdChangeMax === undefined || r.mean <= f.bmdChangeMax)
  );
}

/** A result inside the comparison's window: after baseline, by an asked-for method, within the timepoints asked for. */
export function inWindow(f: Filters, r: ComparisonResult): boolean {
  return (
    r.timepointMonths > 0 &&
    within(f.method, r.method) &&
    (f.timepointMin === undefined || r.timepointMonths >= f.timepointMin) &&
    (f.timepointMax === undefined || r.timepointMonths <= f.timepointMax)
  );
}

/**
 * Whether selectionAt holds for every trial stored at the outcome: no cell-arm filter or change
 * bound asks for a cell arm's result, and no method or timepoint filter narrows the results (a
 * stored row exists only where the trial reports a result at its site and metric).
 */
export function everyStoredRowSelected(f: Filters): boolean {
  return (
    !needsCellArm(f) && f.method === undefined && f.timepointMin === undefined && f.timepointMax === undefined
  );
}

/**
 * selectedArmCondition with the outcome's site and metric, as a test of a trial's stored inputs: a
 * cell-therapy arm matching the cell filters (when there are any, or a change bound) with a result
 * matching the result filters; any arm with such a result otherwise. What does not depend on the
 * trial is decided once, for the thousands of trials a large selection tests.
 */
export function selectionAt(f: Filters, outcome: StoredOutcome): (inputs: StoredComparisonInputs) => boolean {
  if (!within(f.site, outcome.site) || !within(f.metric, outcome.metric)) return () => false;
  const cellDriven = needsCellArm(f);
  // A result's own filters are a few comparisons; its arm is then found by scanning the trial's
  // few arms, which beats building a map.
  return (inputs) =>
    inputs.results.some((r) => {
      if (!matchesResultFilters(f, r, outcome)) return false;
      const arm = inputs.arms.find((a) => a.id === r.armId);
      return arm !== undefined && (!cellDriven || isCellArm(f, arm));
    });
}
