import { z } from 'zod';
import { trueOrFalse, wholeNumberText } from '../schemas/common';
import type { Filters } from './params';
import { ftsQuery, type SqlPart } from './sql';

export const SORT_KEYS = ['startDate', 'enrollment', 'updatedAt', 'title'] as const;
/** Full-text relevance: bm25 over the search index, best match first, ties by id; only with `q`. */
export const RELEVANCE = 'relevance';
export type SortKey = (typeof SORT_KEYS)[number] | typeof RELEVANCE;
const SORT_VALUES = SORT_KEYS.flatMap((k) => [k, `-${k}`]).concat(RELEVANCE) as [string, ...string[]];

/** The trial column each column sort key orders by. */
export const SORT_COLUMNS: Record<(typeof SORT_KEYS)[number], string> = {
  startDate: 't.start_sort',
  enrollment: 't.enrollment_count',
  updatedAt: 't.updated_at',
  title: 't.title',
};

export const ListShape = {
  limit: wholeNumberText(
    z
      .number({ error: 'must be a whole number from 1 to 500' })
      .int('must be a whole number from 1 to 500')
      .min(1, 'must be at least 1')
      .max(500, 'must be at most 500')
      .default(25),
  ).meta({
    description:
      'Rows per page, 1 to 500 (default 25). A CSV export has no default limit: without `limit` or `cursor` it is the whole selection.',
  }),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .meta({ description: 'Opaque; take it from page.nextCursor of the previous page.' }),
  sort: z
    .enum(SORT_VALUES, { error: () => `must be one of ${SORT_VALUES.join(', ')}` })
    .default('-startDate')
    .meta({
      description:
        'A prefix `-` sorts descending. Nulls sort last either way. `relevance` (only with `q`) ranks by ' +
        'full-text relevance (bm25), best match first, ties by id.',
    }),
  countTotal: trueOrFalse()
    .default(false)
    .meta({ description: '`true` adds `page.total`: how many rows match the filters, over all pages.' }),
};

export interface ParsedSort {
  key: SortKey;
  descending: boolean;
}

/** `sort=relevance` ranks by the search, so it needs one. */
export function checkSortRules(query: { sort: string; q?: string | undefined }, ctx: z.RefinementCtx): void {
  if (query.sort === RELEVANCE && query.q === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['sort'],
      message: 'sort=relevance ranks trials by how well they match q: give q, or sort by another key',
    });
}

/** What a list orders by: a trial column, or the bm25 rank of a join on the search index (alias `t`). */
export interface SortOrder {
  column: string;
  join: SqlPart | null;
}

export function sortOrder(sort: ParsedSort, filters: Filters): SortOrder {
  if (sort.key !== RELEVANCE) return { column: SORT_COLUMNS[sort.key], join: null };
  const fts = filters.q === undefined ? null : ftsQuery(filters.q);
  // Without a word to search, the selection is empty (trialConditions), and so is the page.
  if (fts === null) return { column: 'NULL', join: null };
  return {
    column: 'relevance.rank',
    join: {
      sql: `JOIN (SELECT rowid AS search_id, bm25(trials_fts) AS rank FROM trials_fts WHERE trials_fts MATCH ?)
        relevance ON relevance.search_id = t.search_id`,
      params: [fts],
    },
  };
}

export function parseSort(sort: string): ParsedSort {
  const descending = sort.startsWith('-');
  return { key: (descending ? sort.slice(1) : sort) as SortKey, descending };
}

export interface CursorPosition {
  value: string | number | null;
  id: string;
}

/**
 * A keyset page as one SQL statement. Nulls sort last in both directions and ties break by id in
 * the sort's direction, so every row has one place. The non-null rows and the null rows are read
 * by two index-ordered subqueries, each a range scan from the cursor (an OR across both, or
 * `ORDER BY col IS NULL`, would defeat the (column, id) index and scan from the start).
 */
export function keysetPage(options: {
  select: string;
  from: string;
  /** Joined after `from`, with its parameters (the relevance rank). */
  join?: SqlPart | null;
  where: SqlPart;
  column: string;
  idColumn: string;
  descending: boolean;
  after?: CursorPosition;
  limit: number;
  /** Sort the matching rows instead of walking the sort index: right when few rows match. */
  sortMatches?: boolean;
}): SqlPart {
  const { select, where, idColumn, descending, after, limit } = options;
  const from = options.join ? `${options.from} ${options.join.sql}` : options.from;
  const fromParams = options.join?.params ?? [];
  // A unary + keeps SQLite from using the column's index, so it collects the matches first.
  const column = options.sortMatches ? `+${options.column}` : options.column;
  const dir = descending ? 'DESC' : 'ASC';
  const op = descending ? '<' : '>';
  const parts: string[] = [];
  const params: unknown[] = [];
  if (after?.value !== null) {
    const afterCursor = after ? `(${column}, ${idColumn}) ${op} (?, ?)` : '1';
    parts.push(
      `SELECT * FROM (SELECT 0 AS part, ${column} AS sortValue, ${idColumn} AS sortId, ${select} ${from}
       WHERE (${where.sql}) AND ${column} IS NOT NULL AND ${afterCursor} ORDER BY ${column} ${dir}, ${idColumn} ${dir} LIMIT ?)`,
    );
    params.push(...fromParams, ...where.params, ...(after ? [after.value, after.id] : []), limit);
  }
  const nullFrom = after?.value === null ? `${idColumn} ${op} ?` : '1';
  parts.push(
    `SELECT * FROM (SELECT 1 AS part, NULL AS sortValue, ${idColumn} AS sortId, ${select} ${from}
     WHERE (${where.sql}) AND ${column} IS NULL AND ${nullFrom} ORDER BY ${idColumn} ${dir} LIMIT ?)`,
  );
  params.push(...fromParams, ...where.params, ...(after?.value === null ? [after.id] : []), limit);
  return {
    sql: `${parts.join(' UNION ALL ')} ORDER BY part, sortValue ${dir}, sortId ${dir} LIMIT ?`,
    params: [...params, limit],
  };
}

/**
 * A page from the rows of a keyset query run for one row more than the page (`limit + 1`): that
 * extra row, when it comes, shows another page follows, which starts after the page's last row.
 */
export function pageOfRows<R extends { sortValue: CursorPosition['value']; sortId: string }>(
  rows: R[],
  limit: number,
): { rows: R[]; next: CursorPosition | null } {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return { rows: shown, next: more && last ? { value: last.sortValue, id: last.sortId } : null };
}

export interface Page {
  limit: number;
  nextCursor: string | null;
  total?: number;
}

export const PageSchema = z
  .object({
    limit: z.number().int(),
    nextCursor: z.string().nullable(),
    total: z.number().int().optional(),
  })
  .meta({ id: 'Page' });
