import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import type {
  ArmDose,
  ComparisonArm,
  ComparisonResult,
  ComparisonTrial,
  SubgroupLevel,
} from '../../domain/controlled-comparison';
import { facetLevel, facetValueSql, type SubgroupFacet } from '../../filters/facets';
import type { Filters } from '../../filters/params';
import { and, cellArmConditions, inList, type SqlPart } from '../../filters/sql';
import { comparisonTrialSelection, scansTables } from './candidate-plan';

/** The comparison's side a subgroup facet is read from: the cell-therapy arms, the control, or the trial. */
const SIDE: Record<'cell-arm' | 'control-arm' | 'trial', SubgroupLevel> = {
  'cell-arm': 'cell',
  'control-arm': 'control',
  trial: 'trial',
};

export function subgroupLevel(facet: SubgroupFacet | undefined): SubgroupLevel | undefined {
  return facet === undefined ? undefined : SIDE[facetLevel(facet)];
}

export interface ComparisonCandidates {
  trials: ComparisonTrial[];
  arms: ComparisonArm[];
  results: ComparisonResult[];
}

/** A control arm of the trial: a non-cell arm, narrowed by `comparator` when given. */
function controlConditions(f: Filters): SqlPart {
  return and([{ sql: 'a.cell_source IS NULL', params: [] }, inList('a.comparator', f.comparator)]);
}

/**
 * The candidate rows of a controlled comparison, and nothing else: the selected trials (a few
 * columns each), their selected cell-therapy and control arms, and those arms' results at the one
 * site and metric, inside the timepoint window and after baseline. No trial document is read (the
 * compared arms' doses are read afterwards, by id, by loadArmDoses).
 */
export function loadComparisonCandidates(
  db: Db,
  f: Filters & { site: [string]; metric: [string] },
  subgroup: SubgroupFacet | undefined,
  /** Which way arms and results are read; `auto` chooses by size. Both give the same rows. */
  plan: 'auto' | 'scan' | 'probe' = 'auto',
): ComparisonCandidates {
  const level = subgroupLevel(subgroup);
  const facetSql = subgroup === undefined ? 'NULL' : facetValueSql(subgroup);
  const trialFacet = level === 'trial' ? facetSql : 'NULL';
  const armFacet = level !== undefined && level !== 'trial' ? facetSql : 'NULL';
  const cell = cellArmConditions(f, 'a');
  const control = controlConditions(f);

  // The selection runs once; the arms and results queries then read rows of the chosen ids only,
  // probing by id for a few trials and scanning their tables (rowid order) for many.
  const selection = comparisonTrialSelection(f);
  const trials = prepared(
    db.$client,
    `SELECT t.id AS id, t.title AS title, t.provenance_kind AS provenance, ${trialFacet} AS subgroup,
         t.risk_of_bias AS riskOfBias
       FROM ${selection.from} WHERE ${selection.where.sql} ORDER BY t.id`,
  ).all(...selection.where.params) as ComparisonTrial[];
  const catalogueSize = prepared(db.$client, 'SELECT max(rowid) AS n FROM trials').get() as {
    n: number | null;
  };
  const scan = plan === 'auto' ? scansTables(trials.length, catalogueSize.n ?? 0) : plan === 'scan';
  const trialIds = JSON.stringify(trials.map((t) => t.id));

  const armsFrom = scan
    ? 'arms a NOT INDEXED WHERE a.trial_id IN (SELECT value FROM json_each(?)) AND'
    : 'json_each(?) chosen CROSS JOIN arms a ON a.trial_id = chosen.value WHERE';
  const arms = prepared(
    db.$client,
    `SELECT a.id AS id, a.trial_id AS trialId, CASE WHEN ${cell.sql} THEN 'cell' ELSE 'control' END AS role,
         a.label AS label,
         ${armFacet} AS subgroup, a.cell_source AS cellSource, a.cell_type AS cellType, a.donor AS donor,
         a.route AS route, a.comparator AS comparator
       FROM ${armsFrom} ((${cell.sql}) OR (${control.sql}))
       ORDER BY a.trial_id, a.position`,
  ).all(...cell.params, trialIds, ...cell.params, ...control.params) as ComparisonArm[];
  const armIds = JSON.stringify(arms.map((a) => a.id));

  const window = and([
    { sql: 'r.site = ? AND r.metric = ?', params: [f.site[0], f.metric[0]] },
    inList('r.method', f.method),
    { sql: 'r.timepoint_months > 0', params: [] },
    f.timepointMin === undefined ? null : { sql: 'r.timepoint_months >= ?', params: [f.timepointMin] },
    f.timepointMax === undefined ? null : { sql: 'r.timepoint_months <= ?', params: [f.timepointMax] },
  ]);
  const resultsFrom = scan
    ? 'bmd_results r NOT INDEXED WHERE r.arm_id IN (SELECT value FROM json_each(?)) AND'
    : 'json_each(?) chosen CROSS JOIN bmd_results r ON r.arm_id = chosen.value WHERE';
  const results = prepared(
    db.$client,
    `SELECT r.id AS id, r.trial_id AS trialId, r.arm_id AS armId, r.method AS method, r.statistic AS statistic,
         r.timepoint_months AS timepointMonths, r.n AS n, r.mean AS mean, r.sd AS sd,
         r.sd_effective AS sdEffective, r.sd_source AS sdSource
       FROM ${resultsFrom} ${window.sql}`,
  ).all(armIds, ...window.params) as ComparisonResult[];
  // Probed through bmd_results_arm_idx, an arm's results come by method, then rowid; a scan gives
  // rowid order, so a stable sort by method gives each arm's results in the same order.
  if (scan) results.sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : 0));

  return { trials, arms, results };
}

/** The doses of the given arms, from their own columns. Read for the compared arms only. */
export function loadArmDoses(db: Db, armIds: readonly string[]): Map<string, ArmDose | null> {
  const rows = prepared(
    db.$client,
    `SELECT a.id AS id, a.cells_per_kg AS cellsPerKg, a.cells AS cells, a.administrations AS administrations
       FROM json_each(?) chosen CROSS JOIN arms a ON a.id = chosen.value`,
  ).all(JSON.stringify(armIds)) as ({ id: string } & ArmDose)[];
  return new Map(
    rows.map(({ id, ...dose }) => [
      id,
      dose.cellsPerKg === null && dose.cells === null && dose.administrations === null ? null : dose,
    ]),
  );
}
