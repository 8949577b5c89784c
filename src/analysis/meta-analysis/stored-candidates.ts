import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import {
  readComparisonInputs,
  readInputsHead,
  type StoredComparisonInputs,
} from '../../domain/comparison-inputs';
import {
  type ArmDose,
  type ComparisonArm,
  type ComparisonTrial,
  type Exclusion,
  noControlArm,
  type Side,
  type Unit,
} from '../../domain/controlled-comparison';
import { codeUnitOrder } from '../../domain/text-order';
import type { Filters } from '../../filters/params';
import { trialSelection } from '../../filters/sql';
import { trialOnly } from './candidate-plan';
import type { ComparisonCandidates } from './candidates';
import { everyStoredRowSelected, inWindow, isCellArm, isControlArm, selectionAt } from './stored-filters';
import {
  type Outcome,
  outcomeKey,
  type SharedStoredRows,
  type StoredRow,
  storedRows,
  type UncontrolledRow,
} from './stored-rows';

/**
 * The candidate rows of a controlled comparison read from comparison_inputs (one stored row per
 * trial at the site and metric) instead of the arm and result tables: the same trials, arms and
 * results, in the same order, as loadComparisonCandidates gives without a subgroup. The filters
 * the SQL there applies to arms and results are applied here to the stored arms and results, by
 * the predicates of ./stored-filters.ts; test/meta-analyses/stored-candidates.test.ts holds the
 * two readings to the same rows.
 */
export interface StoredCandidates extends ComparisonCandidates {
  /** Every candidate arm's dose, as loadArmDoses reads it. */
  doses: Map<string, ArmDose | null>;
  /**
   * The same rows gathered trial by trial, as the comparison's groupIntoUnits would gather them
   * from the flat lists: built here, where each trial's rows arrive together, instead of regrouped
   * through maps of every arm and result (a quarter of a second for the whole catalogue).
   */
  units: Unit[];
  /**
   * The selected trials with a cell-therapy arm and no control arm, read without their inputs and
   * left out as the comparison would leave them out (NO_CONTROL_ARM): in trial-id order, and not
   * among the units.
   */
  leftOut: Exclusion[];
}

/** What trialSelection writes when no filter narrows the trials. */
const NO_CONDITION = trialSelection({}).sql;

/** The trial filters neither carried nor checked above (phases, countries, search, …): SQL on the trial rows. */
export function narrowByTrialRows(db: Db, f: Filters, ids: string[]): Set<string> | null {
  const rest = trialSelection({ ...trialOnly(f), status: undefined, allocation: undefined });
  if (rest.sql === NO_CONDITION) return null;
  const kept = prepared(
    db.$client,
    `SELECT t.id FROM json_each(?) chosen CROSS JOIN trials t ON t.id = chosen.value WHERE ${rest.sql}`,
  )
    .pluck()
    .all(JSON.stringify(ids), ...rest.params) as string[];
  return new Set(kept);
}

/** The outcome's stored rows, parsed (or shared), and the trials read without their inputs. */
function parsedRows(
  db: Db,
  f: Outcome,
  shared: SharedStoredRows | undefined,
): { rows: StoredRow[]; uncontrolled: UncontrolledRow[] } {
  const key = outcomeKey(f.site[0], f.metric[0]);
  const known = shared?.get(key);
  if (known) return { rows: known, uncontrolled: [] };
  // Shared rows serve other questions of the selection: those keep every row's inputs.
  const read = storedRows(db, f, shared === undefined && everyStoredRowSelected(f));
  const rows = read.rows.map((row) => ({
    trialId: row.trialId,
    inputs: readComparisonInputs(row.trialId, row.inputs),
  }));
  shared?.set(key, rows);
  return { rows, uncontrolled: read.uncontrolled };
}

/** The trial a comparison names, from its stored inputs' head. */
function comparisonTrial(
  id: string,
  head: Pick<StoredComparisonInputs, 'title' | 'provenance' | 'riskOfBias'>,
): ComparisonTrial {
  return { id, title: head.title, provenance: head.provenance, subgroup: null, riskOfBias: head.riskOfBias };
}

export function loadStoredCandidates(db: Db, f: Outcome, shared?: SharedStoredRows): StoredCandidates {
  const outcome = { site: f.site[0], metric: f.metric[0] };
  const isSelected = selectionAt(f, outcome);
  const read = parsedRows(db, f, shared);
  const selected = read.rows.filter((row) => isSelected(row.inputs));
  const kept = narrowByTrialRows(db, f, [
    ...selected.map((s) => s.trialId),
    ...read.uncontrolled.map((u) => u.trialId),
  ]);
  const out: StoredCandidates = {
    trials: [],
    arms: [],
    results: [],
    doses: new Map(),
    units: [],
    leftOut: [],
  };
  // Both lists are in trial-id order: walked together, the trials stay in that order.
  let u = 0;
  const leaveOutUncontrolledBefore = (trialId: string | null) => {
    for (; u < read.uncontrolled.length; u++) {
      const row = read.uncontrolled[u] as UncontrolledRow;
      if (trialId !== null && codeUnitOrder(row.trialId, trialId) > 0) return;
      if (kept !== null && !kept.has(row.trialId)) continue;
      const trial = comparisonTrial(row.trialId, readInputsHead(row.head));
      out.trials.push(trial);
      out.leftOut.push({ trialId: trial.id, title: trial.title, ...noControlArm() });
    }
  };
  for (const { trialId, inputs } of selected) {
    if (kept !== null && !kept.has(trialId)) continue;
    leaveOutUncontrolledBefore(trialId);
    const trial = comparisonTrial(trialId, inputs);
    out.trials.push(trial);
    const unit: Unit = { trial, cells: [], controls: [] };
    const sides: Side[] = [];
    for (const arm of inputs.arms) {
      const role = isCellArm(f, arm) ? 'cell' : isControlArm(f, arm) ? 'control' : null;
      if (role === null) continue;
      out.doses.set(arm.id, arm.dose);
      const chosen: ComparisonArm = {
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
      };
      out.arms.push(chosen);
      const side: Side = { arm: chosen, results: [] };
      sides.push(side);
      (role === 'cell' ? unit.cells : unit.controls).push(side);
    }
    for (const r of inputs.results) {
      // A trial has a handful of arms: a search costs less than a map.
      const side = sides.find((s) => s.arm.id === r.armId);
      if (side === undefined || !inWindow(f, r)) continue;
      out.results.push(r);
      side.results.push(r);
    }
    out.units.push(unit);
  }
  leaveOutUncontrolledBefore(null);
  return out;
}
