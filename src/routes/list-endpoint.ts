import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CsvValue, csvStream, toCsv } from '../csv/write-csv';
import type { Db } from '../db/client';
import { filtersOf, type ListQuery } from '../filters/list-query';
import { type CursorPosition, type ParsedSort, parseSort } from '../filters/pagination';
import { type Filters, normaliseFilters } from '../filters/params';
import { sendCsv, sendJsonText, sentPaging, setNextLink, wantsCsv } from './list-support';

export interface ListPage<Row> {
  rows: Row[];
  /** Sort value and id of the last row, when another row follows it. */
  next: CursorPosition | null;
}

/** What a filtered, sorted, paginated list reads; the HTTP around it is the same for every list. */
export interface ListSource<Row> {
  /** Names the endpoint a cursor is bound to, e.g. `GET /trials`. */
  endpoint: string;
  /** Reads run on `db`: the live catalogue, or the one rebuilt for `asOf`. */
  page: (db: Db, filters: Filters, sort: ParsedSort, limit: number, after?: CursorPosition) => ListPage<Row>;
  count: (db: Db, filters: Filters) => number;
  /** The CSV export: its columns, and one row's cells (missing values null or undefined). */
  csv: { filename: string; columns: readonly string[]; row: (row: Row) => Record<string, CsvValue> };
  /**
   * The page's `data` as JSON text, when rows already are JSON (stored documents): spliced
   * instead of re-serialised. Without it, rows go through the route's response serialiser.
   */
  jsonText?: (rows: Row[]) => string;
}

/** Rows an export reads at a time: what it holds in memory, and few statements for a large export. */
export const EXPORT_PAGE_SIZE = 500;

/**
 * Every row of the selection in sort order, read one keyset page at a time as the rows are taken:
 * a page is read only once the rows before it have been consumed. The first page is read at once,
 * so that an error in it is answered as an error before anything is sent. (A page is read whole
 * rather than through an open `.iterate()`, which would hold the one connection busy between
 * pages and refuse every other request's query meanwhile.)
 */
export function exportRows<Row>(
  source: Pick<ListSource<Row>, 'page'>,
  db: Db,
  filters: Filters,
  sort: ParsedSort,
  pageSize = EXPORT_PAGE_SIZE,
): Iterable<Row> {
  let page = source.page(db, filters, sort, pageSize);
  return (function* () {
    for (;;) {
      yield* page.rows;
      if (!page.next) return;
      page = source.page(db, filters, sort, pageSize, page.next);
    }
  })();
}

/**
 * The handler of a list endpoint: filters, sort and cursor in; the page, its `nextCursor`, the
 * `Link` header, `total` when asked, as JSON or CSV out. A CSV export is the whole selection,
 * streamed, unless `limit` or `cursor` is sent: then it is that page, with its `Link` header.
 */
export function listHandler<Row>(source: ListSource<Row>) {
  // Each answer is sent on the reply, so the handler resolves with nothing (Fastify's async contract).
  // A streamed answer is awaited (a reply is thenable until the response ends): resolving while it
  // still flows would have Fastify answer again, with an empty body.
  return async (request: FastifyRequest<{ Querystring: ListQuery }>, reply: FastifyReply): Promise<void> => {
    const query = request.query;
    const filters = filtersOf(query);
    const normalised = normaliseFilters(filters);
    const { cursors } = request.server;
    const after = query.cursor
      ? cursors.decode(query.cursor, source.endpoint, normalised, query.sort)
      : undefined;
    const sort = parseSort(query.sort);
    const db = request.server.catalogueAt(query.asOf);
    const csv = wantsCsv(request, query.format);
    if (csv && !sentPaging(request)) {
      const rows = exportRows(source, db, filters, sort);
      await sendCsv(reply, csvStream(source.csv.columns, mapRows(rows, source.csv.row)), source.csv.filename);
      return;
    }
    const page = source.page(db, filters, sort, query.limit, after);
    const nextCursor = page.next ? cursors.encode(source.endpoint, normalised, query.sort, page.next) : null;
    setNextLink(request, reply, nextCursor);
    if (csv) {
      sendCsv(reply, toCsv(source.csv.columns, page.rows.map(source.csv.row)), source.csv.filename);
      return;
    }
    const pageInfo = {
      limit: query.limit,
      nextCursor,
      ...(query.countTotal ? { total: source.count(db, filters) } : {}),
    };
    if (!source.jsonText) reply.send({ data: page.rows, page: pageInfo });
    else sendJsonText(reply, `{"data":${source.jsonText(page.rows)},"page":${JSON.stringify(pageInfo)}}`);
  };
}

function* mapRows<Row, Out>(rows: Iterable<Row>, map: (row: Row) => Out): Iterable<Out> {
  for (const row of rows) yield map(row);
}
