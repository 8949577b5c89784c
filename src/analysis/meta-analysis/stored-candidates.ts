import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import {
  NO_CELL_ARM_KEY,
  readComparisonInputs,
  type StoredComparisonInputs,
} from '../../domain/comparison-inputs';
import type { ArmDose, ComparisonArm, ComparisonTrial, Side, Unit } from '../../domain/controlled-comparison';
import { codeUnitOrder } from '../../domain/text-order';
import type { Filters } from '../../filters/params';
import { and, hasCellFilters, inList, type SqlPart, trialSelection } from '../../filters/sql';
import { vocabularies } from '../../vocabularies';
import { carriedTrialKeys, trialOnly } from './candidate-plan';
import type { ComparisonCandidates } from './candidates';
import { inWindow, isCellArm, isControlArm, selectionAt } from './stored-filters';

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

const byTrialId = (a: { trialId: string }, b: { trialId: string }) => codeUnitOrder(a.trialId, b.trialId);

/**
 * Rows in trial-id order, each trial once: a trial is stored under each cell source × route of its
 * cell-therapy arms, so a read over several of them can meet it more than once (with the same
 * inputs each time).
 */
function oncePerTrial<T extends { trialId: string }>(rows: T[]): T[] {
  rows.sort(byTrialId);
  return rows.filter((row, i) => i === 0 || (rows[i - 1] as T).trialId !== row.trialId);
}

/**
 * The key ranges (alias `c`) holding every trial with a cell-therapy arm the cell-arm filters may
 * select: each cell source asked for, or every one, × each route asked for, or every one and none
 * (an arm without a route). The cell type and donor are checked on the stored arms.
 */
function cellArmRanges(f: Filters): SqlPart {
  return and([
    inList('c.cell_source', f.cellSource ?? vocabularies.cellSource.values),
    inList('c.route', f.route ?? [...vocabularies.route.values, NO_CELL_ARM_KEY]),
  ]);
}

/**
 * The stored rows of the trials that may be selected, in trial-id order: a superset the predicates
 * then narrow. With cell-arm filters, the ranges of their cell sources and routes at the outcome
 * (one contiguous range for one cell source × route); without, the outcome's whole range.
 */
function storedRows(db: Db, f: Outcome): { trialId: string; inputs: string }[] {
  const where = and([
    { sql: 'c.site = ? AND c.metric = ?', params: [f.site[0], f.metric[0]] },
    hasCellFilters(f) ? cellArmRanges(f) : null,
    carriedTrialKeys(f, 'c'),
  ]);
  const rows = prepared(
    db.$client,
    `SELECT c.trial_id AS trialId, c.inputs AS inputs FROM comparison_inputs c WHERE ${where.sql}`,
  ).all(...where.params) as { trialId: string; inputs: string }[];
  return oncePerTrial(rows);
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
 * Every stored row of the trials with a cell-therapy arm the cell-arm filters may select (status
 * and allocation applied on the rows' copies), by outcome (in key order), each outcome's rows in
 * trial-id order as storedRows gives them: what the analyses of every outcome of one selection
 * read. Null without a cell-arm filter, where that would be most of the table. The rows are read
 * range by range and grouped here: an ORDER BY on site and metric would sort their 5 MB of JSON in
 * SQLite.
 */
export function sharedRowsOfSelection(db: Db, f: Filters): SharedStoredRows | null {
  if (!hasCellFilters(f)) return null;
  // Every outcome's ranges of the cell sources and routes, one index seek each.
  const where = and([
    inList('c.site', vocabularies.site.values),
    inList('c.metric', vocabularies.metric.values),
    cellArmRanges(f),
    carriedTrialKeys(f, 'c'),
  ]);
  const rows = prepared(
    db.$client,
    `SELECT c.site, c.metric, c.trial_id, c.inputs FROM comparison_inputs c WHERE ${where.sql}`,
  )
    .raw(true)
    .all(...where.params) as [site: string, metric: string, trialId: string, inputs: string][];
  const byOutcome = new Map<string, { trialId: string; json: string }[]>();
  for (const [site, metric, trialId, json] of rows) {
    const key = outcomeKey(site, metric);
    let list = byOutcome.get(key);
    if (!list) {
      list = [];
      byOutcome.set(key, list);
    }
    list.push({ trialId, json });
  }
  // Vocabulary codes are ASCII letters, digits and underscores, all after the key's space: the keys
  // order as SQLite orders site, then metric. Each outcome's rows are parsed together, so that an
  // outcome's analysis walks objects allocated side by side rather than among every outcome's.
  const keys = [...byOutcome.keys()].sort(codeUnitOrder);
  const shared: SharedStoredRows = new Map();
  for (const key of keys) {
    const list = oncePerTrial(byOutcome.get(key) as { trialId: string; json: string }[]);
    shared.set(
      key,
      list.map(({ trialId, json }) => ({ trialId, inputs: readComparisonInputs(trialId, json) })),
    );
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
  const isSelected = selectionAt(f, outcome);
  const selected = parsedRows(db, f, shared).filter((row) => isSelected(row.inputs));
  const kept = narrowByTrialRows(
    db,
    f,
    selected.map((s) => s.trialId),
  );
  const out: StoredCandidates = { trials: [], arms: [], results: [], doses: new Map(), units: [] };
  for (const { trialId, inputs } of selected) {
    if (kept !== null && !kept.has(trialId)) continue;
    const trial: ComparisonTrial = {
      id: trialId,
      title: inputs.title,
      provenance: inputs.provenance,
      subgroup: null,
      riskOfBias: inputs.riskOfBias,
    };
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
  return out;
}
