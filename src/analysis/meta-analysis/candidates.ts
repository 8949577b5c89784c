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
import { and, cellArmConditions, type SqlPart, trialSelection } from '../../filters/sql';

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
  return and([
    { sql: 'a.cell_source IS NULL', params: [] },
    f.comparator
      ? { sql: `a.comparator IN (${f.comparator.map(() => '?').join(', ')})`, params: f.comparator }
      : null,
  ]);
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
): ComparisonCandidates {
  const sel = trialSelection(f, 'in');
  const level = subgroupLevel(subgroup);
  const facetSql = subgroup === undefined ? 'NULL' : facetValueSql(subgroup);
  const trialFacet = level === 'trial' ? facetSql : 'NULL';
  const armFacet = level !== undefined && level !== 'trial' ? facetSql : 'NULL';
  const cell = cellArmConditions(f, 'a');
  const control = controlConditions(f);

  // The selection runs once, driven from the arm index when cell-arm filters narrow it; the arms
  // and results queries then look rows up by the chosen ids instead of re-running it.
  const trials = prepared(
    db.$client,
    `SELECT t.id AS id, t.title AS title, t.provenance_kind AS provenance, ${trialFacet} AS subgroup,
         t.risk_of_bias AS riskOfBias
       FROM trials t WHERE ${sel.sql} ORDER BY t.id`,
  ).all(...sel.params) as ComparisonTrial[];
  const trialIds = JSON.stringify(trials.map((t) => t.id));

  const arms = prepared(
    db.$client,
    `SELECT a.id AS id, a.trial_id AS trialId, CASE WHEN ${cell.sql} THEN 'cell' ELSE 'control' END AS role,
         a.label AS label,
         ${armFacet} AS subgroup, a.cell_source AS cellSource, a.cell_type AS cellType, a.donor AS donor,
         a.route AS route, a.comparator AS comparator
       FROM json_each(?) chosen CROSS JOIN arms a ON a.trial_id = chosen.value
       WHERE (${cell.sql}) OR (${control.sql})
       ORDER BY a.trial_id, a.position`,
  ).all(...cell.params, trialIds, ...cell.params, ...control.params) as ComparisonArm[];
  const armIds = JSON.stringify(arms.map((a) => a.id));

  const window = and([
    { sql: 'r.site = ? AND r.metric = ?', params: [f.site[0], f.metric[0]] },
    f.method ? { sql: `r.method IN (${f.method.map(() => '?').join(', ')})`, params: f.method } : null,
    { sql: 'r.timepoint_months > 0', params: [] },
    f.timepointMin === undefined ? null : { sql: 'r.timepoint_months >= ?', params: [f.timepointMin] },
    f.timepointMax === undefined ? null : { sql: 'r.timepoint_months <= ?', params: [f.timepointMax] },
  ]);
  const results = prepared(
    db.$client,
    `SELECT r.id AS id, r.trial_id AS trialId, r.arm_id AS armId, r.method AS method, r.statistic AS statistic,
         r.timepoint_months AS timepointMonths, r.n AS n, r.mean AS mean, r.sd AS sd,
         r.sd_effective AS sdEffective, r.sd_source AS sdSource
       FROM json_each(?) chosen CROSS JOIN bmd_results r ON r.arm_id = chosen.value
       WHERE ${window.sql}`,
  ).all(armIds, ...window.params) as ComparisonResult[];

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
