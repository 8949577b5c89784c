import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import type { Filters } from '../../filters/params';
import { and, cellArmConditions, resultConditions, type SqlPart, trialSelection } from '../../filters/sql';
import { CELL_FACET_SQL } from '../meta-analyses/facet-sql';
import type { CountFacet } from './schemas';

/**
 * How each facet is counted: the value expression, the table joined to the selected trials (`t`)
 * to reach it, and which joined rows count. Arm facets count the selected cell-therapy arms (those
 * matching every cell-arm filter), comparator the control arms, site/metric/method the results
 * matching the result filters.
 */
interface FacetSql {
  value: string;
  join?: string;
  rows?: (f: Filters) => SqlPart | null;
  /** Turns the stored value into the answer's (SQLite has no booleans). */
  decode?: (v: unknown) => string | number | boolean | null;
}

const ARMS = 'JOIN arms a ON a.trial_id = t.id';
const RESULTS = 'JOIN bmd_results r ON r.trial_id = t.id';
const list = (column: string, values: readonly string[] | undefined): SqlPart | null =>
  values ? { sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] } : null;

const cellFacet = (value: string): FacetSql => ({
  value,
  join: ARMS,
  rows: (f) => cellArmConditions(f, 'a'),
});
const resultFacet = (value: string): FacetSql => ({
  value,
  join: RESULTS,
  rows: (f) => resultConditions(f, 'r'),
});

const FACETS: Record<CountFacet, FacetSql> = {
  cellSource: cellFacet(CELL_FACET_SQL.cellSource),
  cellType: cellFacet(CELL_FACET_SQL.cellType),
  donor: cellFacet(CELL_FACET_SQL.donor),
  route: cellFacet(CELL_FACET_SQL.route),
  comparator: {
    value: 'a.comparator',
    join: ARMS,
    rows: (f) => and([{ sql: 'a.cell_source IS NULL', params: [] }, list('a.comparator', f.comparator)]),
  },
  armType: { value: 'a.type', join: ARMS, rows: (f) => list('a.type', f.armType) },
  phase: { value: 'p.phase', join: 'JOIN trial_phases p ON p.trial_id = t.id' },
  status: { value: 't.overall_status' },
  studyType: { value: 't.study_type' },
  allocation: { value: 't.allocation' },
  population: { value: 't.population' },
  country: { value: 'c.country', join: 'JOIN trial_countries c ON c.trial_id = t.id' },
  provenance: { value: 't.provenance_kind' },
  riskOfBias: { value: "coalesce(t.risk_of_bias, 'NOT_ASSESSED')" },
  site: resultFacet('r.site'),
  metric: resultFacet('r.metric'),
  method: resultFacet('r.method'),
  hasBmdResults: { value: 't.has_bmd_results', decode: (v) => v === 1 },
  startYear: { value: 't.start_year' },
};

export interface FacetValueCount {
  value: string | number | boolean | null;
  trials: number;
}

/** Facet counts over the selected trials, each one GROUP BY in SQL; a trial counts once per value. */
export function countFacets(db: Db, filters: Filters, facets: readonly CountFacet[]) {
  const sel = trialSelection(filters);
  const counted: Partial<Record<CountFacet, FacetValueCount[]>> = {};
  for (const facet of facets) {
    const def = FACETS[facet];
    const where = and([sel, def.rows?.(filters) ?? null]);
    const rows = prepared(
      db.$client,
      `SELECT ${def.value} AS value, count(DISTINCT t.id) AS trials FROM trials t ${def.join ?? ''}
         WHERE ${where.sql} GROUP BY 1 ORDER BY trials DESC, value IS NULL, value`,
    ).all(...where.params) as { value: string | number | null; trials: number }[];
    counted[facet] = rows.map(({ value, trials }) => ({
      value: def.decode && value !== null ? def.decode(value) : value,
      trials,
    }));
  }
  const total = prepared(db.$client, `SELECT count(*) AS n FROM trials t WHERE ${sel.sql}`).get(
    ...sel.params,
  ) as { n: number };
  return { facets: counted, total: total.n };
}
