import type { FastifyReply, FastifyRequest } from 'fastify';
import { filtersOf, type ListQuery } from '../filters/list-query';
import {
  type CursorPosition,
  decodeCursor,
  encodeCursor,
  type ParsedSort,
  parseSort,
} from '../filters/pagination';
import { type Filters, normaliseFilters } from '../filters/params';
import { sendCsv, sendJsonText, setNextLink, wantsCsv } from './list-support';

export interface ListPage<Row> {
  rows: Row[];
  /** Sort value and id of the last row, when another row follows it. */
  next: CursorPosition | null;
}

/** What a filtered, sorted, paginated list reads; the HTTP around it is the same for every list. */
export interface ListSource<Row> {
  /** Names the endpoint a cursor is bound to, e.g. `GET /trials`. */
  endpoint: string;
  page: (filters: Filters, sort: ParsedSort, limit: number, after?: CursorPosition) => ListPage<Row>;
  count: (filters: Filters) => number;
  csv: { filename: string; write: (rows: Row[]) => string };
  /**
   * The page's `data` as JSON text, when rows already are JSON (stored documents): spliced
   * instead of re-serialised. Without it, rows go through the route's response serialiser.
   */
  jsonText?: (rows: Row[]) => string;
}

/**
 * The handler of a list endpoint: filters, sort and cursor in; the page, its `nextCursor`, the
 * `Link` header, `total` when asked, as JSON or CSV out.
 */
export function listHandler<Row>(source: ListSource<Row>) {
  // Each answer is sent on the reply, so the handler resolves with nothing (Fastify's async contract).
  return async (request: FastifyRequest<{ Querystring: ListQuery }>, reply: FastifyReply): Promise<void> => {
    const query = request.query;
    const filters = filtersOf(query);
    const normalised = normaliseFilters(filters);
    const after = query.cursor
      ? decodeCursor(query.cursor, source.endpoint, normalised, query.sort)
      : undefined;
    const page = source.page(filters, parseSort(query.sort), query.limit, after);
    const nextCursor = page.next ? encodeCursor(source.endpoint, normalised, query.sort, page.next) : null;
    setNextLink(request, reply, nextCursor);
    if (wantsCsv(request, query.format)) {
      sendCsv(reply, source.csv.write(page.rows), source.csv.filename);
      return;
    }
    const pageInfo = {
      limit: query.limit,
      nextCursor,
      ...(query.countTotal ? { total: source.count(filters) } : {}),
    };
    if (!source.jsonText) reply.send({ data: page.rows, page: pageInfo });
    else sendJsonText(reply, `{"data":${source.jsonText(page.rows)},"page":${JSON.stringify(pageInfo)}}`);
  };
}
