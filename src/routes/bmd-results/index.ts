import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BMD_RESULT_CSV_COLUMNS, bmdResultCsvRow } from '../../csv/bmd-result-csv';
import { ListQuery } from '../../filters/list-query';
import { countBmdResults, listBmdResults } from '../../store/bmd-result-list';
import { listHandler } from '../list-endpoint';
import { BmdResultList } from './schemas';

export default async function bmdResultRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/bmd-results',
    {
      schema: {
        operationId: 'listBmdResults',
        tags: ['bmd-results'],
        summary: 'Find reported BMD results',
        description:
          'One row per reported result with its trial and arm attributes. Here the filters select arms and ' +
          'results themselves: cell-arm filters keep results of matching cell-therapy arms, `armType` keeps ' +
          'arms of that type, and result filters keep matching results. Sorted by the trial field named in ' +
          '`sort`, ties by result id. CSV columns are the ones `POST /imports?format=csv` reads; a CSV export is ' +
          'the whole selection, streamed, unless `limit` or `cursor` is sent (then that page, with its `Link` header).',
        querystring: ListQuery,
        response: { 200: BmdResultList },
      },
    },
    listHandler({
      endpoint: 'GET /bmd-results',
      page: listBmdResults,
      count: countBmdResults,
      csv: { filename: 'bmd-results.csv', columns: BMD_RESULT_CSV_COLUMNS, row: bmdResultCsvRow },
    }),
  );
}
