import type { Db } from '../../db/client';
import type { Filters } from '../../filters/params';
import { trialSelection } from '../../filters/sql';
import { type CursorPosition, keysetPage, type ParsedSort, SORT_COLUMNS } from '../../pagination';
import type { Trial } from '../../schemas/trial';

interface TrialRow {
  sortValue: string | number | null;
  sortId: string;
  document: string;
}

export interface TrialPage {
  /** Stored JSON documents, served as they are: they were validated when written. */
  documents: string[];
  /** Sort value and id of the last row, when another row follows it. */
  next: { value: string | number | null; id: string } | null;
}

export function listTrials(
  db: Db,
  filters: Filters,
  sort: ParsedSort,
  limit: number,
  after?: CursorPosition,
): TrialPage {
  const query = keysetPage({
    select: 't.document AS document',
    from: 'FROM trials t',
    where: trialSelection(filters),
    column: SORT_COLUMNS[sort.key],
    idColumn: 't.id',
    descending: sort.descending,
    after,
    limit: limit + 1,
  });
  const rows = db.$client.prepare(query.sql).all(...query.params) as TrialRow[];
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return {
    documents: shown.map((r) => r.document),
    next: more && last ? { value: last.sortValue, id: last.sortId } : null,
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
