import type { Db } from '../../db/client';
import type { Filters } from '../../filters/params';
import { and, type SqlPart, trialSelection } from '../../filters/sql';
import { keyset, type ParsedSort, SORT_COLUMNS } from '../../pagination';
import type { Trial } from '../../schemas/trial';

export interface TrialPage {
  trials: Trial[];
  /** Sort value and id of the last row, when another row follows it. */
  next: { value: string | number | null; id: string } | null;
}

export function listTrials(
  db: Db,
  filters: Filters,
  sort: ParsedSort,
  limit: number,
  after?: { value: string | number | null; id: string },
): TrialPage {
  const column = SORT_COLUMNS[sort.key];
  const page = keyset(column, 't.id', sort.descending, after);
  const where: SqlPart = and([trialSelection(filters), page.where]);
  const rows = db.$client
    .prepare(
      `SELECT t.id AS id, ${column} AS sortValue, t.document AS document FROM trials t
       WHERE ${where.sql} ORDER BY ${page.orderBy} LIMIT ?`,
    )
    .all(...where.params, limit + 1) as { id: string; sortValue: string | number | null; document: string }[];
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return {
    trials: shown.map((r) => JSON.parse(r.document) as Trial),
    next: more && last ? { value: last.sortValue, id: last.id } : null,
  };
}

export function countTrials(db: Db, filters: Filters): number {
  const where = trialSelection(filters);
  const row = db.$client
    .prepare(`SELECT count(*) AS n FROM trials t WHERE ${where.sql}`)
    .get(...where.params) as {
    n: number;
  };
  return row.n;
}

export function listRevisions(db: Db, id: string) {
  const rows = db.$client
    .prepare(
      `SELECT version, action, changed_by AS changedBy, changed_at AS changedAt, snapshot
       FROM revisions WHERE trial_id = ? ORDER BY version DESC`,
    )
    .all(id) as {
    version: number;
    action: 'CREATE' | 'UPDATE' | 'DELETE';
    changedBy: string;
    changedAt: string;
    snapshot: string;
  }[];
  return rows.map((r) => ({ ...r, snapshot: JSON.parse(r.snapshot) as Trial }));
}
