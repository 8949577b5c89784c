import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import { readComparisonInputs, type StoredComparisonInputs } from '../../domain/comparison-inputs';
import type { ArmDose, ComparisonArm, ComparisonTrial } from '../../domain/controlled-comparison';
import type { Filters } from '../../filters/params';
import { and, cellArmConditions, hasCellFilters, type SqlPart, trialSelection } from '../../filters/sql';
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

/** SQLite's BINARY order of trial ids, which are ASCII: JavaScript's own string order. */
const byTrialId = (a: { trialId: string }, b: { trialId: string }) =>
  a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0;

/**
 * The trials with a cell-therapy arm matching the cell-arm filters, from the arm indexes, status
 * and allocation checked on the arms' copies: the common table `chosen` (column `id`), in id order.
 *
 * `+a.trial_id` keeps the planner from reading the ids in order from an index on (route,
 * trial_id) to skip sorting them for DISTINCT: that index covers one filter, so every arm of the
 * route is then looked up in the table (35–40 ms for a common route at 100,000 trials), where a
 * covering index on cell source and route with the carried keys reads only the matching arms
 * (about 5 ms) and a sort of a few thousand ids costs little.
 *
 * Sorted, the ids make the stored rows joined to them be read in key order: consecutive reads
 * descend through the same interior pages and land on or next to the leaf page just read, where
 * in the arm index's order nearly every read is of another page (a read of 7,000 stored rows at
 * 100,000 trials takes a third less). SQLite drops an ORDER BY from a subquery in FROM, not from a
 * MATERIALIZED common table. Nothing relies on that order for the answer: the rows are sorted again
 * in JavaScript, which costs one comparison a row on a sorted list.
 */
function chosenTrials(f: Filters): SqlPart {
  const cell = and([cellArmConditions(f, 'a'), carriedTrialKeys(f, 'a')]);
  return {
    sql: `WITH chosen AS MATERIALIZED (SELECT DISTINCT +a.trial_id AS id FROM arms a WHERE ${cell.sql} ORDER BY 1)`,
    params: cell.params,
  };
}

/** The stored rows of the trials that may be selected, in trial-id order: a superset the predicates then narrow. */
function storedRows(db: Db, f: Outcome): { trialId: string; inputs: string }[] {
  const [site, metric] = [f.site[0], f.metric[0]];
  if (hasCellFilters(f)) {
    // Trials with a matching cell-therapy arm, from the arm indexes; their stored row at the
    // outcome, when they have one (a trial without is never selected: it has no result there).
    const chosen = chosenTrials(f);
    const rows = prepared(
      db.$client,
      `${chosen.sql}
       SELECT c.trial_id AS trialId, c.inputs AS inputs
         FROM chosen
         CROSS JOIN comparison_inputs c ON c.site = ? AND c.metric = ? AND c.trial_id = chosen.id`,
    ).all(...chosen.params, site, metric) as { trialId: string; inputs: string }[];
    return rows.sort(byTrialId);
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
 * allocation applied on the arm copies), by outcome (in key order), each outcome's rows in trial-id
 * order as storedRows gives them: what the analyses of every outcome of one selection read. Null
 * without a cell-arm filter, where that would be most of the table. The rows are read trial by
 * trial and grouped here: an ORDER BY on site and metric would sort their 5 MB of JSON in SQLite.
 */
export function sharedRowsOfSelection(db: Db, f: Filters): SharedStoredRows | null {
  if (!hasCellFilters(f)) return null;
  const chosen = chosenTrials(f);
  const rows = prepared(
    db.$client,
    `${chosen.sql}
     SELECT c.site, c.metric, c.trial_id, c.inputs
       FROM chosen
       CROSS JOIN comparison_inputs c ON c.trial_id = chosen.id`,
  )
    .raw(true)
    .all(...chosen.params) as [site: string, metric: string, trialId: string, inputs: string][];
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
  const keys = [...byOutcome.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const shared: SharedStoredRows = new Map();
  for (const key of keys) {
    const list = (byOutcome.get(key) as { trialId: string; json: string }[]).sort(byTrialId);
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
