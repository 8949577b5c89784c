import type { Db } from '../db/client';
import { prepared } from '../db/statements';
import { armIndexApplies, armIndexSelection } from '../filters/arm-index-selection';
import {
  type CursorPosition,
  keysetPage,
  type ParsedSort,
  pageOfRows,
  sortOrder,
} from '../filters/pagination';
import type { Filters } from '../filters/params';
import { selectedArmCondition, trialSelection } from '../filters/sql';

interface TrialRow {
  sortValue: string | number | null;
  sortId: string;
}

/**
 * The stored documents of a page, in page order. Read after the page is chosen, so the sort
 * only ever moves narrow (sort value, id) rows.
 */
function documentsOf(db: Db, ids: string[]): string[] {
  if (!ids.length) return [];
  const rows = prepared(
    db.$client,
    `SELECT trial_id AS id, document FROM trial_documents WHERE trial_id IN (${ids.map(() => '?').join(', ')})`,
  ).all(...ids) as { id: string; document: string }[];
  const byId = new Map(rows.map((r) => [r.id, r.document]));
  return ids.map((id) => byId.get(id) as string);
}

export interface TrialPage {
  /** Stored JSON documents, served as they are: they were validated when written. */
  documents: string[];
  /** Sort value and id of the last row, when another row follows it. */
  next: { value: string | number | null; id: string } | null;
}

/** Below this many matching arms, collecting and sorting the matches beats walking the sort index. */
const SPARSE_ARMS = 1_000;

/**
 * Whether the arm filters match few arms. Counting on the covering arm index is cheap, and it
 * tells which plan wins: walking trials in sort order stops early only when matches are dense.
 */
function isSparseArmSelection(db: Db, filters: Filters): boolean {
  const arm = selectedArmCondition(filters);
  if (!arm) return false;
  const row = prepared(
    db.$client,
    `SELECT count(*) AS n FROM (SELECT 1 FROM arms a WHERE ${arm.sql} LIMIT ${SPARSE_ARMS})`,
  ).get(...arm.params) as { n: number };
  return row.n < SPARSE_ARMS;
}

export type ListPlan = 'auto' | 'walk-index' | 'sort-matches' | 'arm-index';

/** The plan `auto` picks: the arm index when it applies, else by how many arms match. */
function chosenPlan(db: Db, filters: Filters, sort: ParsedSort): Exclude<ListPlan, 'auto'> {
  if (armIndexApplies(filters, sort)) return 'arm-index';
  return isSparseArmSelection(db, filters) ? 'sort-matches' : 'walk-index';
}

/** The keyset query of a page under a plan: every plan gives the same rows in the same order. */
function pageQuery(
  filters: Filters,
  sort: ParsedSort,
  plan: Exclude<ListPlan, 'auto'>,
  limit: number,
  after?: CursorPosition,
) {
  const paging = { descending: sort.descending, after, limit: limit + 1 };
  if (plan === 'arm-index') {
    const arm = armIndexSelection(filters, sort);
    return keysetPage({ select: 'a.trial_id AS id', ...arm, join: null, idColumn: 'a.trial_id', ...paging });
  }
  const sparse = plan === 'sort-matches';
  return keysetPage({
    select: 't.id AS id',
    from: 'FROM trials t',
    where: trialSelection(filters, sparse ? 'in' : 'exists'),
    sortMatches: sparse,
    ...sortOrder(sort, filters),
    idColumn: 't.id',
    ...paging,
  });
}

export function listTrials(
  db: Db,
  filters: Filters,
  sort: ParsedSort,
  limit: number,
  after?: CursorPosition,
  plan: ListPlan = 'auto',
): TrialPage {
  if (plan === 'arm-index' && !armIndexApplies(filters, sort))
    throw new Error(
      'the arm index plan needs one cell source, one route and a start-date or enrollment sort',
    );
  const query = pageQuery(
    filters,
    sort,
    plan === 'auto' ? chosenPlan(db, filters, sort) : plan,
    limit,
    after,
  );
  const { rows, next } = pageOfRows(
    prepared(db.$client, query.sql).all(...query.params) as TrialRow[],
    limit,
  );
  return {
    documents: documentsOf(
      db,
      rows.map((r) => r.sortId),
    ),
    next,
  };
}

export function countTrials(db: Db, filters: Filters): number {
  const where = trialSelection(filters);
  const row = prepared(db.$client, `SELECT count(*) AS n FROM trials t WHERE ${where.sql}`).get(
    ...where.params,
  ) as {
    n: number;
  };
  return row.n;
}

export interface RevisionMeta {
  version: number;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  changedBy: string;
  changedAt: string;
  /** Null on revisions written before channels were recorded. */
  channel: 'API' | 'IMPORT' | 'SYNC' | null;
  note: string | null;
}

const REVISION_META = 'version, action, changed_by AS changedBy, changed_at AS changedAt, channel, note';

/**
 * One page of a trial's revisions, newest first, without their snapshots: `before` is the version
 * the previous page ended at. Null when the trial has no revision at all (no such trial).
 */
export function listRevisions(
  db: Db,
  id: string,
  limit: number,
  before?: number,
): { rows: RevisionMeta[]; more: boolean } | null {
  const rows = prepared(
    db.$client,
    `SELECT ${REVISION_META} FROM revisions WHERE trial_id = ? AND version < ? ORDER BY version DESC LIMIT ?`,
  ).all(id, before ?? Number.MAX_SAFE_INTEGER, limit + 1) as RevisionMeta[];
  if (!rows.length && !prepared(db.$client, 'SELECT 1 FROM revisions WHERE trial_id = ? LIMIT 1').get(id))
    return null;
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** One revision with its snapshot as the stored JSON text (the exact document of that version). */
export function readRevision(
  db: Db,
  id: string,
  version: number,
): (RevisionMeta & { snapshot: string }) | null {
  const row = prepared(
    db.$client,
    `SELECT ${REVISION_META}, snapshot FROM revisions WHERE trial_id = ? AND version = ?`,
  ).get(id, version) as (RevisionMeta & { snapshot: string }) | undefined;
  return row ?? null;
}
