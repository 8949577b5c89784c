import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TRIAL_CSV_COLUMNS, trialCsvRow } from '../../csv/trial-csv';
import type { Db } from '../../db/client';
import { badRequest, gone, notFound } from '../../errors';
import type { CursorSigner } from '../../filters/cursors';
import { ListQuery } from '../../filters/list-query';
import { FilterShape } from '../../filters/params';
import { Trial } from '../../schemas/trial';
import { trialState } from '../../store/history';
import { countTrials, listRevisions, listTrials, readRevision } from '../../store/trial-list';
import { listHandler } from '../list-endpoint';
import { sendJsonText, setNextLink } from '../list-support';
import { etagFor, matchesAny } from './etag';
import {
  Gone,
  NotFound,
  RevisionList,
  RevisionParams,
  RevisionQuery,
  RevisionSnapshot,
  TrialList,
  TrialParams,
} from './schemas';

export function trialReadRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/trials',
    {
      schema: {
        operationId: 'listTrials',
        tags: ['trials'],
        summary: 'Find trials',
        description:
          'Trials matching every filter given, as full records, sorted and paginated by an opaque cursor. ' +
          'Cell-arm filters (cellSource, cellType, donor, route) must all hold on one cell-therapy arm; result ' +
          'filters (site, metric, method, timepoint…, bmdChange…) on one result of such an arm. ' +
          '`Accept: text/csv` or `format=csv` gives one CSV row per trial: the whole selection, streamed, ' +
          'unless `limit` or `cursor` is sent (then that page, with its `Link` header).',
        querystring: ListQuery,
        response: {
          200: TrialList.meta({ description: 'A page of trials. With CSV, text/csv.' }),
        },
      },
    },
    listHandler({
      endpoint: 'GET /trials',
      page: (catalogue, filters, sort, limit, after) => {
        const page = listTrials(catalogue, filters, sort, limit, after);
        return { rows: page.documents, next: page.next };
      },
      count: (catalogue, filters) => countTrials(catalogue, filters),
      csv: {
        filename: 'trials.csv',
        columns: TRIAL_CSV_COLUMNS,
        row: (document) => trialCsvRow(JSON.parse(document) as Trial),
      },
      // The stored documents are already valid JSON of the Trial schema: spliced, not re-serialised.
      jsonText: (documents) => `[${documents.join(',')}]`,
    }),
  );

  r.get(
    '/trials/:id',
    {
      schema: {
        operationId: 'getTrial',
        tags: ['trials'],
        summary: 'Read one trial',
        description:
          'The trial with an `ETag`; send it back in `If-None-Match` to get 304 when unchanged. With `asOf`, the ' +
          'trial as it stood at that instant (its latest revision by then): 410 when it had been deleted, 404 ' +
          'when it did not yet exist.',
        params: TrialParams,
        querystring: z.strictObject({ asOf: FilterShape.asOf }),
        headers: z.object({
          'if-none-match': z
            .string()
            .optional()
            .meta({ description: 'An ETag you hold, such as `"v3"`: 304 when the trial is still at it.' }),
        }),
        response: {
          200: Trial,
          304: z.null().meta({ description: 'Not modified since the ETag you sent.' }),
          404: NotFound,
          410: Gone,
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { asOf } = request.query;
      const stored = trialState(db, id, asOf);
      const when = asOf === undefined ? '' : ` as of ${asOf}`;
      if (stored.state === 'deleted')
        throw gone(`Trial ${id} was deleted${asOf === undefined ? '' : ` by ${asOf}`}.`);
      if (stored.state === 'absent') throw notFound(`No trial has id ${id}${when}.`);
      reply.header('etag', etagFor(stored.version));
      // A 304 has no body (RFC 9110 §15.4.5): nothing is serialised, so no Content-Length or -Type is sent.
      if (matchesAny(request.headers['if-none-match'], stored.version))
        return reply.code(304).send(undefined as never);
      return sendJsonText(reply, stored.document);
    },
  );

  r.get(
    '/trials/:id/revisions',
    {
      schema: {
        operationId: 'listTrialRevisions',
        tags: ['trials'],
        summary: 'Every version of a trial',
        description:
          'What was written, when and by whom, newest first, the current version included; paged like a list ' +
          '(`limit`, opaque `cursor` bound to this trial, `Link: rel="next"`). A deleted trial’s revisions stay ' +
          'readable. Each version’s document is at GET /trials/{id}/revisions/{version}.',
        params: TrialParams,
        querystring: RevisionQuery,
        response: { 200: RevisionList, 404: NotFound },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { limit, cursor } = request.query;
      const { cursors } = request.server;
      const before = cursor ? revisionCursorVersion(cursors, cursor, id) : undefined;
      const page = listRevisions(db, id, limit, before);
      if (!page) throw notFound(`No trial has id ${id}.`);
      const last = page.rows.at(-1);
      const nextCursor =
        page.more && last
          ? cursors.encode(REVISIONS_ENDPOINT, id, REVISIONS_ORDER, { value: last.version, id })
          : null;
      setNextLink(request, reply, nextCursor);
      return { data: page.rows, page: { limit, nextCursor } };
    },
  );

  r.get(
    '/trials/:id/revisions/:version',
    {
      schema: {
        operationId: 'getTrialRevision',
        tags: ['trials'],
        summary: 'One version of a trial',
        description:
          'The trial exactly as that version stored it (a deleted trial’s versions stay readable); 404 when the ' +
          'trial has no such version.',
        params: RevisionParams,
        response: { 200: RevisionSnapshot, 404: NotFound },
      },
    },
    async (request, reply) => {
      const { id, version } = request.params;
      const row = readRevision(db, id, version);
      if (!row) throw notFound(`Trial ${id} has no version ${version}.`);
      const { snapshot, ...meta } = row;
      return sendJsonText(reply, `${JSON.stringify(meta).slice(0, -1)},"snapshot":${snapshot}}`);
    },
  );
}

const REVISIONS_ENDPOINT = 'GET /trials/{id}/revisions';
const REVISIONS_ORDER = '-version';

/** The version a revisions cursor ends at; 400 for a cursor of another trial or endpoint. */
function revisionCursorVersion(cursors: CursorSigner, cursor: string, id: string): number {
  const at = cursors.decode(cursor, REVISIONS_ENDPOINT, id, REVISIONS_ORDER);
  if (typeof at.value !== 'number' || at.id !== id)
    throw badRequest('The cursor is not valid: pass page.nextCursor exactly as received.', [
      { path: '/query/cursor', message: 'not a cursor this service issued' },
    ]);
  return at.value;
}
