import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { checkKindChange } from '../../domain/provenance-kind-change';
import { preconditionFailed, preconditionRequired, unsupportedMediaType } from '../../errors';
import { ProblemDetails } from '../../plugins/problem-details';
import { Trial } from '../../schemas/trial';
import { TrialInput } from '../../schemas/trial-input';
import { deleteTrial, insertTrial, inTransaction, loadTrial, updateTrial } from '../../store/trial-store';
import { mediaTypeOf, WriteHeaders, writerOf } from '../write-support';
import { etagFor, versionsIn } from './etag';
import { Gone, NotFound, TrialParams } from './schemas';

const problem = (description: string) => ProblemDetails.meta({ description });

const NOT_JSON = problem('The body is not `application/json`.');

const IfMatch = z
  .string()
  .optional()
  .meta({ description: 'The ETag of the version you changed, from GET /trials/{id}, such as `"v3"`.' });

/** If-Match as sent: absent, `*` (any current version), or the versions it names. */
type IfMatchCondition = undefined | '*' | number[];

/** RFC 9110 §13.1.1: If-Match compares strongly, so weak tags never match. */
function ifMatch(header: string | undefined): IfMatchCondition {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  const strong = header.split(',').filter((tag) => !/^\s*W\//.test(tag));
  return versionsIn(strong.join(','));
}

/**
 * The version a conditional write may replace: the current one when If-Match names it, else a
 * 412. Called inside the write's transaction, so nothing can change between check and write.
 */
function expectedVersion(db: Db, id: string, condition: IfMatchCondition): number | undefined {
  if (condition === undefined || condition === '*') return undefined;
  const current = loadTrial(db, id);
  if (!current) return undefined; // the store answers 404 or 410
  if (condition.includes(current.version)) return current.version;
  throw preconditionFailed(
    `Trial ${id} has changed: it is at ETag ${etagFor(current.version)}, which If-Match does not name. ` +
      'Fetch it again and reapply your change.',
  );
}

/** Writes take JSON only, checked before the body is read: other parsers must not reach /trials. */
async function requireJson(request: FastifyRequest): Promise<void> {
  const mediaType = mediaTypeOf(request);
  if (mediaType === undefined) return; // no body: validation answers; a body without a type is a 415 already
  if (mediaType !== 'application/json')
    throw unsupportedMediaType(
      `A trial is sent as application/json, not ${mediaType || 'an empty media type'}.`,
    );
}

export function trialWriteRoutes(app: FastifyInstance, db: Db) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/trials',
    {
      config: { role: 'editor' },
      preParsing: requireJson,
      schema: {
        operationId: 'createTrial',
        tags: ['trials'],
        summary: 'Create a trial',
        description:
          'Needs an editor key. The body is a Trial; read-only fields (`id`, `version`, `createdAt`, ' +
          '`updatedAt`, result ids, `sdEffective`, `sdSource`) are ignored and any other unknown field is a 400. ' +
          'Answers the stored trial with its `Location` and `ETag`. Provenance kind REGISTRY needs a registry id ' +
          'and a source, PUBLICATION a reference and a source.',
        headers: WriteHeaders,
        body: TrialInput,
        response: {
          201: Trial.meta({ description: 'The trial as stored.' }),
          415: NOT_JSON,
          409: problem('A registry id or arm id already belongs to another trial; `errors` names it.'),
        },
      },
    },
    async (request, reply) => {
      const ctx = writerOf(request);
      const trial = inTransaction(db, () => {
        return insertTrial(db, request.body, ctx);
      });
      return reply
        .code(201)
        .header('location', `/trials/${trial.id}`)
        .header('etag', etagFor(trial.version))
        .send(trial);
    },
  );

  r.put(
    '/trials/:id',
    {
      config: { role: 'editor' },
      preParsing: requireJson,
      schema: {
        operationId: 'replaceTrial',
        tags: ['trials'],
        summary: 'Replace a trial',
        description:
          'Needs an editor key and `If-Match` with the ETag you read: without it 428, and 412 when the trial ' +
          'has changed since. The body replaces the whole record; send an arm’s `id` to keep it. A GET body ' +
          'can be sent back as it is. Only an admin key may change the provenance kind (an editor gets 403), ' +
          'with its reason in `X-Revision-Note` (400 without); an ILLUSTRATIVE trial never becomes REGISTRY or ' +
          'PUBLICATION (400).',
        params: TrialParams,
        headers: WriteHeaders.extend({ 'if-match': IfMatch }),
        body: TrialInput,
        response: {
          200: Trial.meta({ description: 'The trial as stored, with its new `ETag`.' }),
          400: problem(
            'The body is not valid; or it changes the provenance kind without `X-Revision-Note`, or makes an ' +
              'ILLUSTRATIVE trial REGISTRY or PUBLICATION. `errors` names the field or header.',
          ),
          403: problem(
            'The API key’s role does not allow this operation: an editor key may not change a trial’s provenance kind.',
          ),
          415: NOT_JSON,
          404: NotFound,
          409: problem('A registry id or arm id already belongs to another trial; `errors` names it.'),
          410: Gone,
          412: problem('The trial has changed since the ETag in `If-Match`.'),
          428: problem('`If-Match` is missing.'),
        },
      },
    },
    async (request, reply) => {
      const ctx = writerOf(request);
      const { id } = request.params;
      const condition = ifMatch(request.headers['if-match']);
      if (condition === undefined)
        throw preconditionRequired(
          'Send `If-Match` with the ETag of the version you changed (from GET /trials/{id}).',
        );
      const trial = inTransaction(db, () => {
        const expected = expectedVersion(db, id, condition);
        const stored = loadTrial(db, id);
        if (stored)
          checkKindChange(id, stored.provenance.kind, request.body.provenance.kind, {
            isAdmin: request.apiKey?.role === 'admin',
            ...(ctx.note === undefined ? {} : { note: ctx.note }),
          });
        return updateTrial(db, id, request.body, ctx, expected);
      });
      return reply.header('etag', etagFor(trial.version)).send(trial);
    },
  );

  r.delete(
    '/trials/:id',
    {
      config: { role: 'admin' },
      schema: {
        operationId: 'deleteTrial',
        tags: ['trials'],
        summary: 'Delete a trial',
        description:
          'Needs an admin key. `If-Match` is honoured when sent (412 when the trial has changed). The trial ' +
          'then answers 410; its revisions stay readable.',
        params: TrialParams,
        headers: WriteHeaders.extend({ 'if-match': IfMatch }),
        response: {
          204: z.null().meta({ description: 'Deleted.' }),
          404: NotFound,
          410: Gone,
          412: problem('The trial has changed since the ETag in `If-Match`.'),
        },
      },
    },
    async (request, reply) => {
      const ctx = writerOf(request);
      const { id } = request.params;
      const condition = ifMatch(request.headers['if-match']);
      inTransaction(db, () => deleteTrial(db, id, ctx, expectedVersion(db, id, condition)));
      return reply.code(204).send(null);
    },
  );
}
