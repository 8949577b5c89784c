import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import { type ArmChange, summariseBmdChange } from '../../domain/bmd-change-summary';
import { facetValueSql, type GroupByFacet } from '../../filters/facets';
import type { Filters } from '../../filters/params';
import { and, armSelection, resultConditions, type SqlPart } from '../../filters/sql';
import { dataVersion } from '../../store/trial-store';
import { CHANGE_METRICS } from '../../vocabularies';
import { filtersFrom, splitMethod } from '../params';
import { type CarriedSelection, carriedSelection } from './bmd-change-carried';
import type { BmdChangeQuery } from './schemas';

/** Where the groupBy facets' values start in a row: after the chosen result's 13 columns. */
const FACETS_FROM = 13;

const RESULT_COLUMNS = `r.id, r.arm_id, r.trial_id, r.site, r.metric, r.method, r.statistic, r.timepoint_months, r.n,
  r.mean, r.sd_effective, r.sd_source`;

/** Ranks each arm's results per site, metric, method and statistic: pick 1 is the one the summary reads. */
const RANKED_COLUMNS = `${RESULT_COLUMNS},
  row_number() OVER (
    PARTITION BY r.arm_id, r.site, r.metric, r.method, r.statistic
    ORDER BY r.timepoint_months DESC, r.sd IS NULL, r.sd_effective IS NULL, r.id
  ) AS pick`;

const CHOSEN_COLUMNS = `k.trial_id AS trialId, k.site AS site, k.metric AS metric, k.method AS method,
  k.statistic AS statistic, k.timepoint_months AS timepointMonths, k.n AS n, k.mean AS mean,
  k.sd_effective AS sdEffective, k.sd_source AS sdSource`;

/** The candidate results read with their trial and arm rows: any filter, any facet. */
function joinedQuery(filters: Filters, inWindow: Filters, groupBy: readonly GroupByFacet[], chosen: SqlPart) {
  const candidates = and([armSelection(filters, true), resultConditions(inWindow, 'r')]);
  const facetColumns = groupBy.map((facet, i) => `, ${facetValueSql(facet)} AS g${i}`).join('');
  return {
    sql: `WITH ranked AS (
         SELECT ${RANKED_COLUMNS}
         FROM bmd_results r JOIN arms a ON a.id = r.arm_id JOIN trials t ON t.id = r.trial_id
         WHERE ${candidates.sql} AND ${CHANGE_WINDOW}
       )
       SELECT k.arm_id AS armId, a.label AS armLabel, t.provenance_kind AS provenance, ${CHOSEN_COLUMNS}${facetColumns}
       FROM ranked k JOIN arms a ON a.id = k.arm_id JOIN trials t ON t.id = k.trial_id
       WHERE ${chosen.sql}
       ORDER BY k.arm_id, k.site, k.metric, k.method, k.statistic`,
    params: [...candidates.params, ...CHANGE_METRICS, ...chosen.params],
  };
}

/**
 * The candidate results read from the keys carried on them (bmd-change-carried.ts). The arm's
 * label is looked up only where the answer names the arm: an arm result with an SD of 0.
 */
function carriedQuery(selection: CarriedSelection, chosen: SqlPart) {
  const facetColumns = selection.facetValues.map((value, i) => `, ${value} AS g${i}`).join('');
  // Without a timepoint window the choice is the one kept at write time: no ranking, no sort.
  const ranked = selection.windowed
    ? { columns: RANKED_COLUMNS, where: '1' }
    : { columns: `${RESULT_COLUMNS}, 1 AS pick`, where: 'r.change_pick = 1' };
  return {
    sql: `WITH ranked AS (
         SELECT ${ranked.columns}, r.trial_provenance, r.trial_status, r.trial_population, r.arm_cell_source, r.arm_route
         FROM bmd_results r INDEXED BY bmd_results_change_pick_idx
         WHERE ${selection.where.sql} AND ${CHANGE_WINDOW} AND ${ranked.where}
       )
       SELECT k.arm_id AS armId,
         CASE WHEN k.sd_effective = 0 THEN (SELECT a.label FROM arms a WHERE a.id = k.arm_id) END AS armLabel,
         k.trial_provenance AS provenance, ${CHOSEN_COLUMNS}${facetColumns}
       FROM ranked k
       WHERE ${chosen.sql}
       ORDER BY k.arm_id, k.site, k.metric, k.method, k.statistic`,
    params: [...selection.where.params, ...CHANGE_METRICS, ...chosen.params],
  };
}

/** A change metric, after baseline. */
const CHANGE_WINDOW = `r.metric IN (${CHANGE_METRICS.map(() => '?').join(', ')}) AND r.timepoint_months > 0`;

/**
 * One row per selected cell-therapy arm and site, metric, method and statistic: the arm's latest
 * result after baseline inside the timepoint window (ties: a reported SD, then a derived one, then
 * the lowest result id), chosen in SQL by a window function. `bmdChangeMin`/`Max` then apply to
 * that chosen result's mean. Only the columns the summary needs are read.
 */
export function loadArmChanges(db: Db, filters: Filters, groupBy: readonly GroupByFacet[]): ArmChange[] {
  const { bmdChangeMin, bmdChangeMax, ...inWindow } = filters;
  const chosen = and([
    { sql: 'k.pick = 1', params: [] },
    bmdChangeMin === undefined ? null : { sql: 'k.mean >= ?', params: [bmdChangeMin] },
    bmdChangeMax === undefined ? null : { sql: 'k.mean <= ?', params: [bmdChangeMax] },
  ]);
  const selection = carriedSelection(filters, inWindow, groupBy);
  const query = selection ? carriedQuery(selection, chosen) : joinedQuery(filters, inWindow, groupBy, chosen);
  // Rows as arrays, turned into ArmChanges at once: a catalogue-wide question reads tens of thousands.
  const rows = prepared(db.$client, query.sql)
    .raw(true)
    .all(...query.params) as unknown[][];
  return rows.map((row) => {
    const facets: Record<string, string | null> = {};
    groupBy.forEach((facet, i) => {
      facets[facet] = (row[FACETS_FROM + i] as string | null) ?? null;
    });
    const [armId, armLabel, provenance, trialId, site, metric, method, statistic, timepointMonths, n, mean] =
      row;
    return {
      armId,
      ...(armLabel === null ? {} : { armLabel }),
      trialId,
      provenance,
      site,
      metric,
      method,
      statistic,
      timepointMonths,
      n,
      mean,
      sdEffective: row[11],
      sdSource: row[12],
      facets,
    } as ArmChange;
  });
}

/** `/summaries/bmd-change`: the chosen arm results and the data version, read together, then summarised. */
export function runBmdChange(db: Db, query: BmdChangeQuery) {
  const { groupBy, test, ...rest } = query;
  const { estimator } = splitMethod(rest.method);
  const facets = [...new Set(groupBy ?? [])];
  const { rows, version } = db.$client
    .transaction(() => ({ rows: loadArmChanges(db, filtersFrom(rest), facets), version: dataVersion(db) }))
    .deferred();
  const summary = summariseBmdChange(rows, { groupBy: facets, method: estimator, test });
  return { ...summary, dataVersion: version };
}
