import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { bmdResultsToCsv } from '../../csv/bmd-result-csv';
import type { Db } from '../../db/client';
import { filtersOf, ListQuery } from '../../filters/list-query';
import { decodeCursor, encodeCursor, parseSort } from '../../filters/pagination';
import { normaliseFilters } from '../../filters/params';
import { sendCsv, setNextLink, wantsCsv } from '../list-support';
import { countBmdResults, listBmdResults } from './repository';
import { BmdResultList } from './schemas';

const ENDPOINT = 'GET /bmd-results';

export function bmdResultRoutes(app: FastifyInstance, db: Db) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/bmd-results',
    {
      schema: {
        tags: ['bmd-results'],
        summary: 'Find reported BMD results',
        description:
          'One row per reported result with its trial and arm attributes. Here the filters select arms and ' +
          'results themselves: cell-arm filters keep results of matching cell-therapy arms, `armType` keeps ' +
          'arms of that type, and result filters keep matching results. Sorted by the trial field named in ' +
          '`sort`, ties by result id. CSV columns are the ones `POST /imports?format=csv` reads.',
        querystring: ListQuery,
        response: { 200: BmdResultList },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const filters = filtersOf(query);
      const normalised = normaliseFilters(filters);
      const after = query.cursor ? decodeCursor(query.cursor, ENDPOINT, normalised, query.sort) : undefined;
      const page = listBmdResults(db, filters, parseSort(query.sort), query.limit, after);
      const nextCursor = page.next ? encodeCursor(ENDPOINT, normalised, query.sort, page.next) : null;
      setNextLink(request, reply, nextCursor);
      if (wantsCsv(request, query.format))
        return sendCsv(reply, bmdResultsToCsv(page.rows), 'bmd-results.csv');
      return {
        data: page.rows,
        page: {
          limit: query.limit,
          nextCursor,
          ...(query.countTotal ? { total: countBmdResults(db, filters) } : {}),
        },
      };
    },
  );
}
