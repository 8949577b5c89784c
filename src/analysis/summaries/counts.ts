import type { Db } from '../../db/client';
import { prepared } from '../../db/statements';
import {
  illustrativeWarning,
  noProvenance,
  type ProvenanceCounts,
  type ProvenanceKind,
} from '../../domain/evidence-report';
import { FACETS, type FacetLevel, type FacetName } from '../../filters/facets';
import type { Filters } from '../../filters/params';
import {
  and,
  cellArmConditions,
  inList,
  resultConditions,
  type SqlPart,
  trialSelection,
} from '../../filters/sql';
import { dataVersion } from '../../store/trial-store';
import { countMaskedFacet, countsFromMask } from './mask-counts';

const ARMS = 'JOIN arms a ON a.trial_id = t.id';
const RESULTS = 'JOIN bmd_results r ON r.trial_id = t.id';

/**
 * Which joined rows count at each level: the selected cell-therapy arms (those matching every
 * cell-arm filter), the control arms (narrowed by `comparator`), all arms (narrowed by `armType`),
 * or the results matching the result filters. Trial facets count the trial row itself.
 */
const LEVEL_ROWS: Record<FacetLevel, { join: string; rows: (f: Filters) => SqlPart | null }> = {
  trial: { join: '', rows: () => null },
  'cell-arm': { join: ARMS, rows: (f) => cellArmConditions(f, 'a') },
  'control-arm': {
    join: ARMS,
    rows: (f) => and([{ sql: 'a.cell_source IS NULL', params: [] }, inList('a.comparator', f.comparator)]),
  },
  arm: { join: ARMS, rows: (f) => inList('a.type', f.armType) },
  result: { join: RESULTS, rows: (f) => resultConditions(f, 'r') },
};

export interface FacetValueCount {
  value: string | number | boolean | null;
  trials: number;
}

/** Facet counts over the selected trials, each one GROUP BY in SQL; a trial counts once per value. */
export function countFacets(db: Db, filters: Filters, facets: readonly FacetName[]) {
  const sel = trialSelection(filters);
  const counted: Partial<Record<FacetName, FacetValueCount[]>> = {};
  for (const facet of facets) {
    if (countsFromMask(facet, filters)) {
      counted[facet] = countMaskedFacet(db, sel, facet);
      continue;
    }
    const def = FACETS[facet];
    const level = LEVEL_ROWS[def.level];
    const join = 'each' in def ? def.each.join : level.join;
    const value = 'each' in def ? def.each.value : def.value;
    const where = and([sel, level.rows(filters)]);
    const rows = prepared(
      db.$client,
      `SELECT ${value} AS value, count(DISTINCT t.id) AS trials FROM trials t ${join}
         WHERE ${where.sql} GROUP BY 1 ORDER BY trials DESC, value IS NULL, value`,
    ).all(...where.params) as { value: string | number | null; trials: number }[];
    const decode = 'decode' in def ? def.decode : undefined;
    counted[facet] = rows.map(({ value, trials }) => ({
      value: decode && value !== null ? decode(value) : value,
      trials,
    }));
  }
  const provenance = countByProvenance(db, sel);
  const total = Object.values(provenance).reduce((sum, n) => sum + n, 0);
  return { facets: counted, total, provenance, warnings: illustrativeWarning(provenance) };
}

/** The selected trials counted by provenance kind, every kind present (zero or not). */
function countByProvenance(db: Db, sel: SqlPart): ProvenanceCounts {
  const rows = prepared(
    db.$client,
    `SELECT t.provenance_kind AS kind, count(*) AS n FROM trials t WHERE ${sel.sql} GROUP BY 1`,
  ).all(...sel.params) as { kind: ProvenanceKind; n: number }[];
  const counts = noProvenance();
  for (const { kind, n } of rows) counts[kind] = n;
  return counts;
}

/** `/summaries/counts`: the counts and the data version they were read at, in one read transaction. */
export function runCounts(db: Db, filters: Filters, facets: readonly FacetName[]) {
  return db.$client
    .transaction(() => ({ ...countFacets(db, filters, [...new Set(facets)]), dataVersion: dataVersion(db) }))
    .deferred();
}
