import type { Db } from '../db/client';
import { prepared } from '../db/statements';
import {
  type CursorPosition,
  keysetPage,
  type ParsedSort,
  pageOfRows,
  sortOrder,
} from '../filters/pagination';
import type { Filters } from '../filters/params';
import { and, armSelection, resultConditions } from '../filters/sql';
import type { BmdResultRow } from '../schemas/bmd-result-row';

interface RawRow extends Omit<BmdResultRow, 'registryIds' | 'phases' | 'provenanceSources'> {
  registryIds: string;
  phases: string;
  provenanceSources: string;
  part: number;
  sortValue: string | number | null;
  sortId: string;
}

const COLUMNS = `r.id AS id, t.id AS trialId, json_extract(d.document, '$.registryIds') AS registryIds,
  t.title AS trialTitle, t.study_type AS studyType, t.overall_status AS overallStatus,
  json_extract(d.document, '$.phases') AS phases, t.population AS population, t.provenance_kind AS provenanceKind,
  json_extract(d.document, '$.provenance.sources') AS provenanceSources, a.id AS armId, a.label AS armLabel,
  a.type AS armType, a.participants AS participants, a.cell_source AS cellSource, a.cell_type AS cellType,
  a.donor AS donor, a.route AS route, a.comparator AS comparator, r.site AS site, r.metric AS metric,
  r.method AS method, r.statistic AS statistic, r.timepoint_months AS timepointMonths, r.n AS n, r.mean AS mean,
  r.sd AS sd, r.se AS se, r.ci_lower AS ciLower, r.ci_upper AS ciUpper, r.sd_effective AS sdEffective,
  r.sd_source AS sdSource, r.note AS note`;

const FROM = 'FROM bmd_results r JOIN arms a ON a.id = r.arm_id JOIN trials t ON t.id = r.trial_id';
/** The trial's lists (registry ids, phases, sources) come from its document, read for page rows only. */
const DOCUMENT = 'JOIN trial_documents d ON d.trial_id = t.id';

/** Results of the selected arms that satisfy every result filter, one row each. */
export function listBmdResults(
  db: Db,
  filters: Filters,
  sort: ParsedSort,
  limit: number,
  after?: CursorPosition,
) {
  const query = keysetPage({
    select: COLUMNS,
    from: `${FROM} ${DOCUMENT}`,
    where: and([armSelection(filters, false), resultConditions(filters)]),
    ...sortOrder(sort, filters),
    idColumn: 'r.id',
    descending: sort.descending,
    after,
    limit: limit + 1,
  });
  const { rows, next } = pageOfRows(prepared(db.$client, query.sql).all(...query.params) as RawRow[], limit);
  return {
    rows: rows.map(({ part: _p, sortValue: _s, sortId: _i, ...row }) => ({
      ...row,
      registryIds: JSON.parse(row.registryIds) as string[],
      phases: JSON.parse(row.phases) as BmdResultRow['phases'],
      provenanceSources: JSON.parse(row.provenanceSources) as string[],
    })),
    next,
  };
}

export function countBmdResults(db: Db, filters: Filters): number {
  const where = and([armSelection(filters, false), resultConditions(filters)]);
  const row = prepared(db.$client, `SELECT count(*) AS n ${FROM} WHERE ${where.sql}`).get(
    ...where.params,
  ) as {
    n: number;
  };
  return row.n;
}
