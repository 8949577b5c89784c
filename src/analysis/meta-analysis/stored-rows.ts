import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import {
  NO_CELL_ARM_KEY,
  readComparisonInputs,
  type StoredComparisonInputs,
} from '../../domain/comparison-inputs';
import { codeUnitOrder } from '../../domain/text-order';
import type { Filters } from '../../filters/params';
import { and, hasCellFilters, inList, type SqlPart } from '../../filters/sql';
import { vocabularies } from '../../vocabularies';
import { carriedTrialKeys } from './candidate-plan';

// Reading comparison_inputs: the key ranges a selection's trials are stored under, each trial's
// row once and in trial-id order, at one outcome or at every outcome of a selection.

/** Filters naming exactly one site and metric: one outcome's stored rows. */
export type Outcome = Filters & { site: [string]; metric: [string] };

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
export function oncePerTrial<T extends { trialId: string }>(rows: T[]): T[] {
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
 * A stored row read without its inputs: a trial with a cell-therapy arm (a key other than
 * `NO_CELL_ARM_KEY`) and no control arm (control_arms = 0).
 */
export interface UncontrolledRow {
  trialId: string;
  /** The inputs' head, as JSON: title, provenance kind, risk of bias. */
  head: string;
}

/**
 * The stored rows of the trials that may be selected, in trial-id order: a superset the predicates
 * then narrow. With cell-arm filters, the ranges of their cell sources and routes at the outcome
 * (one contiguous range for one cell source × route); without, the outcome's whole range. With
 * `uncontrolledApart`, a trial with no control arm comes apart with only its inputs' head: it can
 * only be left out, and in a whole-catalogue question most trials are (single-arm studies).
 */
export function storedRows(
  db: Db,
  f: Outcome,
  uncontrolledApart: boolean,
): { rows: { trialId: string; inputs: string }[]; uncontrolled: UncontrolledRow[] } {
  const where = and([
    { sql: 'c.site = ? AND c.metric = ?', params: [f.site[0], f.metric[0]] },
    hasCellFilters(f) ? cellArmRanges(f) : null,
    carriedTrialKeys(f, 'c'),
  ]);
  // A NULL count (not counted) or a key without a cell-therapy arm is read in full.
  const apart = uncontrolledApart ? `c.control_arms = 0 AND c.cell_source <> '${NO_CELL_ARM_KEY}'` : '0';
  const read = prepared(
    db.$client,
    `SELECT c.trial_id, CASE WHEN ${apart} THEN NULL ELSE c.inputs END,
       CASE WHEN ${apart} THEN json_extract(c.inputs, '$[0]') END
     FROM comparison_inputs c WHERE ${where.sql}`,
  )
    .raw(true)
    .all(...where.params) as [trialId: string, inputs: string | null, head: string | null][];
  const rows: { trialId: string; inputs: string }[] = [];
  const uncontrolled: UncontrolledRow[] = [];
  for (const [trialId, inputs, head] of read) {
    if (inputs === null) uncontrolled.push({ trialId, head: head as string });
    else rows.push({ trialId, inputs });
  }
  return { rows: oncePerTrial(rows), uncontrolled: oncePerTrial(uncontrolled) };
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
