import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import { readComparisonInputs, type StoredComparisonInputs } from '../../domain/comparison-inputs';
import type {
  ArmDose,
  ComparisonArm,
  ComparisonResult,
  ComparisonTrial,
} from '../../domain/controlled-comparison';
import type { Filters } from '../../filters/params';
import { and, cellArmConditions, hasCellFilters, trialSelection } from '../../filters/sql';
import { carriedTrialKeys, trialOnly } from './candidate-plan';
import type { ComparisonCandidates } from './candidates';

/**
 * The candidate rows of a controlled comparison read from comparison_inputs (one stored row per
 * trial at the site and metric) instead of the arm and result tables: the same trials, arms and
 * results, in the same order, as loadComparisonCandidates gives without a subgroup. The filters
 * the SQL there applies to arms and results are applied here to the stored arms and results, by
 * the predicates below, which say in JavaScript what cellArmConditions, resultConditions and the
 * control-arm condition say in SQL; test/meta-analyses/stored-candidates.test.ts holds the two
 * readings to the same rows.
 */
export interface StoredCandidates extends ComparisonCandidates {
  /** Every candidate arm's dose, as loadArmDoses reads it. */
  doses: Map<string, ArmDose | null>;
}

type Outcome = Filters & { site: [string]; metric: [string] };
type StoredArm = StoredComparisonInputs['arms'][number];

const within = <T>(values: readonly T[] | undefined, value: T | null) =>
  values === undefined || (value !== null && values.includes(value));

/** cellArmConditions: a cell-therapy arm matching every cell-arm filter. */
function isCellArm(f: Filters, arm: StoredArm): boolean {
  return (
    arm.cellSource !== null &&
    within(f.cellSource, arm.cellSource) &&
    within(f.cellType, arm.cellType) &&
    within(f.donor, arm.donor) &&
    within(f.route, arm.route)
  );
}

/** The control-arm condition: a non-cell arm, of an asked-for comparator when any is asked for. */
function isControlArm(f: Filters, arm: StoredArm): boolean {
  return arm.cellSource === null && within(f.comparator, arm.comparator);
}

/** resultConditions without site and metric (every stored result is at the outcome's). */
function matchesResultFilters(f: Filters, r: ComparisonResult): boolean {
  return (
    within(f.method, r.method) &&
    (f.timepointMin === undefined || r.timepointMonths >= f.timepointMin) &&
    (f.timepointMax === undefined || r.timepointMonths <= f.timepointMax) &&
    (f.bmdChangeMin === undefined || r.mean >= f.bmdChangeMin) &&
    (f.bmdChangeMax === undefined || r.mean <= f.bmdChangeMax)
  );
}

/** A result inside the comparison's window: after baseline, by an asked-for method, within the timepoints asked for. */
function inWindow(f: Filters, r: ComparisonResult): boolean {
  return (
    r.timepointMonths > 0 &&
    within(f.method, r.method) &&
    (f.timepointMin === undefined || r.timepointMonths >= f.timepointMin) &&
    (f.timepointMax === undefined || r.timepointMonths <= f.timepointMax)
  );
}

/**
 * selectedArmCondition with the outcome's site and metric: a cell-therapy arm matching the cell
 * filters (when there are any, or a change bound) with a result matching the result filters; any
 * arm with such a result otherwise.
 */
function isSelected(f: Filters, inputs: StoredComparisonInputs): boolean {
  const cellDriven = hasCellFilters(f) || f.bmdChangeMin !== undefined || f.bmdChangeMax !== undefined;
  const armOf = new Map(inputs.arms.map((a) => [a.id, a]));
  return inputs.results.some((r) => {
    const arm = armOf.get(r.armId);
    return arm !== undefined && (!cellDriven || isCellArm(f, arm)) && matchesResultFilters(f, r);
  });
}

/** The stored rows of the trials that may be selected: a superset the predicates then narrow. */
function storedRows(db: Db, f: Outcome): { trialId: string; inputs: string }[] {
  const [site, metric] = [f.site[0], f.metric[0]];
  if (hasCellFilters(f)) {
    // Trials with a matching cell-therapy arm, from the arm indexes; their stored row at the
    // outcome, when they have one (a trial without is never selected: it has no result there).
    const cell = and([cellArmConditions(f, 'a'), carriedTrialKeys(f, 'a')]);
    return prepared(
      db.$client,
      `SELECT c.trial_id AS trialId, c.inputs AS inputs
         FROM (SELECT DISTINCT a.trial_id AS id FROM arms a WHERE ${cell.sql}) chosen
         CROSS JOIN comparison_inputs c ON c.site = ? AND c.metric = ? AND c.trial_id = chosen.id
         ORDER BY c.trial_id`,
    ).all(...cell.params, site, metric) as { trialId: string; inputs: string }[];
  }
  const keys = carriedTrialKeys(f, 'c');
  return prepared(
    db.$client,
    `SELECT c.trial_id AS trialId, c.inputs AS inputs FROM comparison_inputs c
       WHERE c.site = ? AND c.metric = ? AND ${keys.sql} ORDER BY c.trial_id`,
  ).all(site, metric, ...keys.params) as { trialId: string; inputs: string }[];
}

/** The trial filters neither carried nor checked above (phases, countries, search, …): SQL on the trial rows. */
function narrowByTrialRows(db: Db, f: Filters, ids: string[]): Set<string> | null {
  const rest = trialSelection({ ...trialOnly(f), status: undefined, allocation: undefined });
  if (rest.sql === '1') return null;
  const kept = prepared(
    db.$client,
    `SELECT t.id FROM json_each(?) chosen CROSS JOIN trials t ON t.id = chosen.value WHERE ${rest.sql}`,
  )
    .pluck()
    .all(JSON.stringify(ids), ...rest.params) as string[];
  return new Set(kept);
}

export function loadStoredCandidates(db: Db, f: Outcome): StoredCandidates {
  const rows = storedRows(db, f);
  const selected: { trialId: string; inputs: StoredComparisonInputs }[] = [];
  for (const row of rows) {
    const inputs = readComparisonInputs(row.trialId, row.inputs);
    if (isSelected(f, inputs)) selected.push({ trialId: row.trialId, inputs });
  }
  const kept = narrowByTrialRows(
    db,
    f,
    selected.map((s) => s.trialId),
  );
  const out: StoredCandidates = { trials: [], arms: [], results: [], doses: new Map() };
  for (const { trialId, inputs } of selected) {
    if (kept !== null && !kept.has(trialId)) continue;
    out.trials.push({
      id: trialId,
      title: inputs.title,
      provenance: inputs.provenance,
      subgroup: null,
      riskOfBias: inputs.riskOfBias,
    } satisfies ComparisonTrial);
    const chosenArms = new Set<string>();
    for (const arm of inputs.arms) {
      const role = isCellArm(f, arm) ? 'cell' : isControlArm(f, arm) ? 'control' : null;
      if (role === null) continue;
      chosenArms.add(arm.id);
      out.doses.set(arm.id, arm.dose);
      out.arms.push({
        id: arm.id,
        trialId,
        role,
        label: arm.label,
        subgroup: null,
        cellSource: arm.cellSource,
        cellType: arm.cellType,
        donor: arm.donor,
        route: arm.route,
        comparator: arm.comparator,
      } satisfies ComparisonArm);
    }
    for (const r of inputs.results) if (chosenArms.has(r.armId) && inWindow(f, r)) out.results.push(r);
  }
  return out;
}
