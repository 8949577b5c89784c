import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import { readComparisonInputs, type StoredComparisonInputs } from '../../domain/comparison-inputs';
import type { ArmDose, ComparisonArm, ComparisonTrial } from '../../domain/controlled-comparison';
import type { Filters } from '../../filters/params';
import { and, cellArmConditions, hasCellFilters, type SqlPart, trialSelection } from '../../filters/sql';
import { carriedTrialKeys, trialOnly } from './candidate-plan';
import type { ComparisonCandidates } from './candidates';
import { inWindow, isCellArm, isControlArm, isSelected } from './stored-filters';

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
}

type Outcome = Filters & { site: [string]; metric: [string] };

/** A trial's stored row at one site and metric, parsed. */
export interface StoredRow {
  trialId: string;
  inputs: StoredComparisonInputs;
}

/**
 * Parsed stored rows by site and metric (outcomeKey), read once and shared by the analyses of
 * one answer that ask at several outcomes (the summary of findings): all of them with the same
 * cell-arm filters, status and allocation, which decide which rows are read.
 */
export type SharedStoredRows = Map<string, StoredRow[]>;

export const outcomeKey = (site: string, metric: string) => `${site} ${metric}`;

/**
 * The ids (column `id`) of the trials with a cell-therapy arm matching the cell-arm filters, from
 * the arm indexes, status and allocation checked on the arms' copies: a derived table.
 */
function cellTrials(f: Filters): SqlPart {
  const cell = and([cellArmConditions(f, 'a'), carriedTrialKeys(f, 'a')]);
  return { sql: `(SELECT DISTINCT a.trial_id AS id FROM arms a WHERE ${cell.sql})`, params: cell.params };
}

/** The stored rows of the trials that may be selected: a superset the predicates then narrow. */
function storedRows(db: Db, f: Outcome): { trialId: string; inputs: string }[] {
  const [site, metric] = [f.site[0], f.metric[0]];
  if (hasCellFilters(f)) {
    // Trials with a matching cell-therapy arm, from the arm indexes; their stored row at the
    // outcome, when they have one (a trial without is never selected: it has no result there).
    const cell = cellTrials(f);
    return prepared(
      db.$client,
      `SELECT c.trial_id AS trialId, c.inputs AS inputs
         FROM ${cell.sql} chosen
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

/**
 * Every stored row of the trials with a cell-therapy arm matching the cell-arm filters (status and
 * allocation applied on the arm copies), by outcome: what the analyses of every outcome of one
 * selection read. Null without a cell-arm filter, where that would be most of the table.
 */
export function sharedRowsOfSelection(db: Db, f: Filters): SharedStoredRows | null {
  if (!hasCellFilters(f)) return null;
  const cell = cellTrials(f);
  const rows = prepared(
    db.$client,
    `SELECT c.site AS site, c.metric AS metric, c.trial_id AS trialId, c.inputs AS inputs
       FROM ${cell.sql} chosen
       CROSS JOIN comparison_inputs c ON c.trial_id = chosen.id
       ORDER BY c.site, c.metric, c.trial_id`,
  ).all(...cell.params) as { site: string; metric: string; trialId: string; inputs: string }[];
  const shared: SharedStoredRows = new Map();
  for (const row of rows) {
    const key = outcomeKey(row.site, row.metric);
    let list = shared.get(key);
    if (!list) {
      list = [];
      shared.set(key, list);
    }
    list.push({ trialId: row.trialId, inputs: readComparisonInputs(row.trialId, row.inputs) });
  }
  return shared;
}

function parsedRows(db: Db, f: Outcome, shared: SharedStoredRows | undefined): StoredRow[] {
  const key = outcomeKey(f.site[0], f.metric[0]);
  const known = shared?.get(key);
  if (known) return known;
  const rows = storedRows(db, f).map((row) => ({
    trialId: row.trialId,
    inputs: readComparisonInputs(row.trialId, row.inputs),
  }));
  shared?.set(key, rows);
  return rows;
}

export function loadStoredCandidates(db: Db, f: Outcome, shared?: SharedStoredRows): StoredCandidates {
  const outcome = { site: f.site[0], metric: f.metric[0] };
  const selected = parsedRows(db, f, shared).filter((row) => isSelected(f, row.inputs, outcome));
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
