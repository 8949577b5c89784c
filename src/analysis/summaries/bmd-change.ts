import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import { type ArmChange, summariseBmdChange } from '../../domain/bmd-change-summary';
import { facetValueSql, type GroupByFacet } from '../../filters/facets';
import type { Filters } from '../../filters/params';
import { and, armSelection, resultConditions } from '../../filters/sql';
import { dataVersion } from '../../store/trial-store';
import { CHANGE_METRICS } from '../../vocabularies';
import { filtersFrom, splitMethod } from '../params';
import type { BmdChangeQuery } from './schemas';

type Row = Omit<ArmChange, 'facets'> & Record<string, unknown>;

/**
 * One row per selected cell-therapy arm and site, metric, method and statistic: the arm's latest
 * result after baseline inside the timepoint window (ties: a reported SD, then a derived one, then
 * the lowest result id), chosen in SQL by a window function. `bmdChangeMin`/`Max` then apply to
 * that chosen result's mean. Only the columns the summary needs are read.
 */
export function loadArmChanges(db: Db, filters: Filters, groupBy: readonly GroupByFacet[]): ArmChange[] {
  const { bmdChangeMin, bmdChangeMax, ...inWindow } = filters;
  const candidates = and([
    armSelection(filters, true),
    resultConditions(inWindow, 'r'),
    { sql: `r.metric IN (${CHANGE_METRICS.map(() => '?').join(', ')})`, params: [...CHANGE_METRICS] },
    { sql: 'r.timepoint_months > 0', params: [] },
  ]);
  const chosen = and([
    { sql: 'k.pick = 1', params: [] },
    bmdChangeMin === undefined ? null : { sql: 'k.mean >= ?', params: [bmdChangeMin] },
    bmdChangeMax === undefined ? null : { sql: 'k.mean <= ?', params: [bmdChangeMax] },
  ]);
  const facetColumns = groupBy.map((facet, i) => `, ${facetValueSql(facet)} AS g${i}`).join('');
  const rows = prepared(
    db.$client,
    `WITH ranked AS (
         SELECT r.id, r.arm_id, r.trial_id, r.site, r.metric, r.method, r.statistic, r.timepoint_months, r.n,
           r.mean, r.sd_effective, r.sd_source,
           row_number() OVER (
             PARTITION BY r.arm_id, r.site, r.metric, r.method, r.statistic
             ORDER BY r.timepoint_months DESC, r.sd IS NULL, r.sd_effective IS NULL, r.id
           ) AS pick
         FROM bmd_results r JOIN arms a ON a.id = r.arm_id JOIN trials t ON t.id = r.trial_id
         WHERE ${candidates.sql}
       )
       SELECT k.arm_id AS armId, a.label AS armLabel, k.trial_id AS trialId, t.provenance_kind AS provenance, k.site AS site,
         k.metric AS metric, k.method AS method, k.statistic AS statistic, k.timepoint_months AS timepointMonths,
         k.n AS n, k.mean AS mean, k.sd_effective AS sdEffective, k.sd_source AS sdSource${facetColumns}
       FROM ranked k JOIN arms a ON a.id = k.arm_id JOIN trials t ON t.id = k.trial_id
       WHERE ${chosen.sql}
       ORDER BY k.arm_id, k.site, k.metric, k.method, k.statistic`,
  ).all(...candidates.params, ...chosen.params) as Row[];
  return rows.map((row) => {
    const facets: Record<string, string | null> = {};
    groupBy.forEach((facet, i) => {
      facets[facet] = (row[`g${i}`] as string | null) ?? null;
    });
    return {
      armId: row.armId,
      armLabel: row.armLabel,
      trialId: row.trialId,
      provenance: row.provenance,
      site: row.site,
      metric: row.metric,
      method: row.method,
      statistic: row.statistic,
      timepointMonths: row.timepointMonths,
      n: row.n,
      mean: row.mean,
      sdEffective: row.sdEffective,
      sdSource: row.sdSource,
      facets,
    };
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
