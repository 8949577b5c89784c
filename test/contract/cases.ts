import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { trialBody } from '../helpers/trial-fixtures';

/** What a case needs: the app, keys, and trials it may read, change or delete. */
export interface CaseContext {
  app: FastifyInstance;
  editor: Record<string, string>;
  admin: Record<string, string>;
  /** A live trial of the fixture, with registry id NCT00000001. */
  liveId: string;
}

export interface ContractCase {
  operation: string;
  status: number;
  name: string;
  run: (ctx: CaseContext) => Promise<LightMyRequestResponse>;
}

const UNKNOWN_ID = 'tr_doesnotexist0';
const BAD_ID = 'not%20an%20id!';
const OVERSIZED = JSON.stringify({ ...trialBody(), briefSummary: 'x'.repeat(1_100_000) });
/** Over the import limit the contract apps use (IMPORT_BODY_LIMIT_BYTES = 2 MB). */
const OVERSIZED_IMPORT = JSON.stringify({
  trials: [{ ...trialBody(), briefSummary: 'x'.repeat(2_100_000) }],
});
export const CONTRACT_IMPORT_LIMIT = 2_000_000;
const json = { 'content-type': 'application/json' };

async function created(ctx: CaseContext, registryId?: string): Promise<{ id: string; etag: string }> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/trials',
    headers: ctx.editor,
    payload: trialBody(registryId ? { registryIds: [registryId] } : {}),
  });
  if (res.statusCode !== 201) throw new Error(`setup: create answered ${res.statusCode}: ${res.body}`);
  return { id: (res.json() as { id: string }).id, etag: String(res.headers.etag) };
}

async function deleted(ctx: CaseContext): Promise<string> {
  const { id } = await created(ctx);
  const res = await ctx.app.inject({ method: 'DELETE', url: `/trials/${id}`, headers: ctx.admin });
  if (res.statusCode !== 204) throw new Error(`setup: delete answered ${res.statusCode}`);
  return id;
}

const req = (options: InjectOptions) => (ctx: CaseContext) => ctx.app.inject(options);
const c = (operation: string, status: number, name: string, run: ContractCase['run']): ContractCase => ({
  operation,
  status,
  name,
  run,
});

/** The evidence analyses around a meta-analysis: the same query, and their own parameters. */
const EVIDENCE_PATHS = [
  '/meta-analyses/bmd/leave-one-out',
  '/meta-analyses/bmd/cumulative',
  '/meta-analyses/bmd/cumulative.svg',
  '/meta-analyses/bmd/small-study-effects',
  '/meta-analyses/bmd/funnel.svg',
  '/meta-analyses/bmd/regression',
  '/meta-analyses/bmd/summary-of-findings',
];
function evidenceQuery(path: string): string {
  if (path.endsWith('summary-of-findings')) return 'test=z';
  const outcome = 'site=LUMBAR_SPINE&metric=PERCENT_CHANGE';
  return path.endsWith('regression') ? `${outcome}&moderators=timepointMonths` : outcome;
}

/** One request per documented answer that the catalogue's own data can provoke. */
export const CASES: ContractCase[] = [
  c('get /trials', 200, 'a page with a next link', req({ url: '/trials?limit=2&countTotal=true' })),
  c('get /trials', 200, 'as CSV', req({ url: '/trials?format=csv' })),
  c('get /trials', 200, 'CSV by Accept', req({ url: '/trials', headers: { accept: 'text/csv' } })),
  c('get /trials', 400, 'a limit out of range', req({ url: '/trials?limit=0' })),
  c('get /trials', 400, 'an unknown parameter', req({ url: '/trials?colour=red' })),

  c('post /trials', 201, 'create', (ctx) =>
    ctx.app.inject({ method: 'POST', url: '/trials', headers: ctx.editor, payload: trialBody() }),
  ),
  c('post /trials', 400, 'an invalid body', (ctx) =>
    ctx.app.inject({ method: 'POST', url: '/trials', headers: ctx.editor, payload: { title: '' } }),
  ),
  c('post /trials', 401, 'no key', req({ method: 'POST', url: '/trials', payload: trialBody() })),
  c('post /trials', 401, 'an unknown key', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { authorization: 'Bearer not-a-key' },
      payload: trialBody(),
    }),
  ),
  c('post /trials', 409, 'a registry id already taken', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/trials',
      headers: ctx.editor,
      payload: trialBody({ registryIds: ['NCT00000001'] }),
    }),
  ),
  c('post /trials', 413, 'a body over the limit', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { ...ctx.editor, ...json },
      payload: OVERSIZED,
    }),
  ),
  c('post /trials', 415, 'not JSON', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/trials',
      headers: { ...ctx.editor, 'content-type': 'text/plain' },
      payload: 'a trial',
    }),
  ),

  c('get /trials/{id}', 200, 'read', (ctx) => ctx.app.inject({ url: `/trials/${ctx.liveId}` })),
  c('get /trials/{id}', 304, 'not modified', async (ctx) => {
    const first = await ctx.app.inject({ url: `/trials/${ctx.liveId}` });
    return ctx.app.inject({
      url: `/trials/${ctx.liveId}`,
      headers: { 'if-none-match': String(first.headers.etag) },
    });
  }),
  c('get /trials/{id}', 400, 'a malformed id', req({ url: `/trials/${BAD_ID}` })),
  c('get /trials/{id}', 404, 'an unknown id', req({ url: `/trials/${UNKNOWN_ID}` })),
  c('get /trials/{id}', 410, 'a deleted trial', async (ctx) =>
    ctx.app.inject({ url: `/trials/${await deleted(ctx)}` }),
  ),

  c('put /trials/{id}', 200, 'replace', async (ctx) => {
    const { id, etag } = await created(ctx);
    return ctx.app.inject({
      method: 'PUT',
      url: `/trials/${id}`,
      headers: { ...ctx.editor, 'if-match': etag },
      payload: trialBody({ title: 'Replaced' }),
    });
  }),
  c('put /trials/{id}', 400, 'an invalid body', async (ctx) => {
    const { id, etag } = await created(ctx);
    return ctx.app.inject({
      method: 'PUT',
      url: `/trials/${id}`,
      headers: { ...ctx.editor, 'if-match': etag },
      payload: { ...trialBody(), arms: [] },
    });
  }),
  c('put /trials/{id}', 401, 'no key', (ctx) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/trials/${ctx.liveId}`,
      headers: { 'if-match': '"v1"' },
      payload: trialBody(),
    }),
  ),
  c('put /trials/{id}', 403, 'an editor changing the provenance kind', async (ctx) => {
    const { id, etag } = await created(ctx);
    return ctx.app.inject({
      method: 'PUT',
      url: `/trials/${id}`,
      headers: { ...ctx.editor, 'if-match': etag },
      payload: trialBody({ provenance: { kind: 'ILLUSTRATIVE', sources: ['test fixture'] } }),
    });
  }),
  c('put /trials/{id}', 404, 'an unknown id', (ctx) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/trials/${UNKNOWN_ID}`,
      headers: { ...ctx.editor, 'if-match': '"v1"' },
      payload: trialBody(),
    }),
  ),
  c('put /trials/{id}', 409, 'a registry id of another trial', async (ctx) => {
    const { id, etag } = await created(ctx);
    return ctx.app.inject({
      method: 'PUT',
      url: `/trials/${id}`,
      headers: { ...ctx.editor, 'if-match': etag },
      payload: trialBody({ registryIds: ['NCT00000001'] }),
    });
  }),
  c('put /trials/{id}', 410, 'a deleted trial', async (ctx) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/trials/${await deleted(ctx)}`,
      headers: { ...ctx.editor, 'if-match': '"v1"' },
      payload: trialBody(),
    }),
  ),
  c('put /trials/{id}', 412, 'a stale If-Match', async (ctx) => {
    const { id } = await created(ctx);
    return ctx.app.inject({
      method: 'PUT',
      url: `/trials/${id}`,
      headers: { ...ctx.editor, 'if-match': '"v99"' },
      payload: trialBody(),
    });
  }),
  c('put /trials/{id}', 413, 'a body over the limit', (ctx) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/trials/${ctx.liveId}`,
      headers: { ...ctx.editor, ...json, 'if-match': '"v1"' },
      payload: OVERSIZED,
    }),
  ),
  c('put /trials/{id}', 415, 'not JSON', (ctx) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/trials/${ctx.liveId}`,
      headers: { ...ctx.editor, 'content-type': 'text/plain', 'if-match': '"v1"' },
      payload: 'a trial',
    }),
  ),
  c('put /trials/{id}', 428, 'no If-Match', (ctx) =>
    ctx.app.inject({
      method: 'PUT',
      url: `/trials/${ctx.liveId}`,
      headers: ctx.editor,
      payload: trialBody(),
    }),
  ),

  c('delete /trials/{id}', 204, 'delete', async (ctx) => {
    const { id } = await created(ctx);
    return ctx.app.inject({ method: 'DELETE', url: `/trials/${id}`, headers: ctx.admin });
  }),
  c('delete /trials/{id}', 400, 'a malformed id', (ctx) =>
    ctx.app.inject({ method: 'DELETE', url: `/trials/${BAD_ID}`, headers: ctx.admin }),
  ),
  c('delete /trials/{id}', 401, 'no key', req({ method: 'DELETE', url: `/trials/${UNKNOWN_ID}` })),
  c('delete /trials/{id}', 403, 'an editor key', (ctx) =>
    ctx.app.inject({ method: 'DELETE', url: `/trials/${ctx.liveId}`, headers: ctx.editor }),
  ),
  c('delete /trials/{id}', 404, 'an unknown id', (ctx) =>
    ctx.app.inject({ method: 'DELETE', url: `/trials/${UNKNOWN_ID}`, headers: ctx.admin }),
  ),
  c('delete /trials/{id}', 410, 'a deleted trial', async (ctx) =>
    ctx.app.inject({ method: 'DELETE', url: `/trials/${await deleted(ctx)}`, headers: ctx.admin }),
  ),
  c('delete /trials/{id}', 412, 'a stale If-Match', async (ctx) => {
    const { id } = await created(ctx);
    return ctx.app.inject({
      method: 'DELETE',
      url: `/trials/${id}`,
      headers: { ...ctx.admin, 'if-match': '"v7"' },
    });
  }),

  c('get /trials/{id}/revisions', 200, 'history', (ctx) =>
    ctx.app.inject({ url: `/trials/${ctx.liveId}/revisions` }),
  ),
  c('get /trials/{id}/revisions', 400, 'a malformed id', req({ url: `/trials/${BAD_ID}/revisions` })),
  c('get /trials/{id}/revisions', 404, 'an unknown id', req({ url: `/trials/${UNKNOWN_ID}/revisions` })),
  c('get /trials/{id}/revisions', 200, 'a page with a next link', (ctx) =>
    ctx.app.inject({ url: `/trials/${ctx.liveId}/revisions?limit=1` }),
  ),
  c('get /trials/{id}/revisions', 400, 'a cursor not issued here', (ctx) =>
    ctx.app.inject({ url: `/trials/${ctx.liveId}/revisions?cursor=nope` }),
  ),
  c('get /trials/{id}/revisions/{version}', 200, 'a snapshot', (ctx) =>
    ctx.app.inject({ url: `/trials/${ctx.liveId}/revisions/1` }),
  ),
  c('get /trials/{id}/revisions/{version}', 400, 'a malformed version', (ctx) =>
    ctx.app.inject({ url: `/trials/${ctx.liveId}/revisions/zero` }),
  ),
  c('get /trials/{id}/revisions/{version}', 404, 'an unknown version', (ctx) =>
    ctx.app.inject({ url: `/trials/${ctx.liveId}/revisions/9999` }),
  ),

  c('get /bmd-results', 200, 'a page with a next link', req({ url: '/bmd-results?limit=2' })),
  c('get /bmd-results', 200, 'as CSV', req({ url: '/bmd-results?format=csv' })),
  c('get /bmd-results', 400, 'an unknown site', req({ url: '/bmd-results?site=ELBOW' })),

  c('get /summaries/counts', 200, 'facets', req({ url: '/summaries/counts' })),
  c('get /summaries/counts', 400, 'an unknown facet', req({ url: '/summaries/counts?facets=colour' })),
  c('get /summaries/bmd-change', 200, 'groups', req({ url: '/summaries/bmd-change?groupBy=cellSource' })),
  c(
    'get /summaries/bmd-change',
    400,
    'an unknown group',
    req({ url: '/summaries/bmd-change?groupBy=colour' }),
  ),

  c(
    'get /meta-analyses/bmd',
    200,
    'pooled',
    req({ url: '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE' }),
  ),
  c(
    'get /meta-analyses/bmd',
    200,
    'as CSV',
    req({ url: '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&format=csv' }),
  ),
  c('get /meta-analyses/bmd', 400, 'no site', req({ url: '/meta-analyses/bmd?metric=PERCENT_CHANGE' })),
  c(
    'get /meta-analyses/bmd/forest.svg',
    200,
    'a plot',
    req({ url: '/meta-analyses/bmd/forest.svg?site=LUMBAR_SPINE&metric=PERCENT_CHANGE' }),
  ),
  c('get /meta-analyses/bmd/forest.svg', 400, 'no site', req({ url: '/meta-analyses/bmd/forest.svg' })),
  ...EVIDENCE_PATHS.flatMap((path) => [
    c(`get ${path}`, 200, 'answered', req({ url: `${path}?${evidenceQuery(path)}` })),
    c(`get ${path}`, 400, 'an unknown parameter', req({ url: `${path}?${evidenceQuery(path)}&colour=red` })),
  ]),
  c(
    'get /meta-analyses/bmd/summary-of-findings',
    200,
    'as CSV',
    req({ url: '/meta-analyses/bmd/summary-of-findings?format=csv' }),
  ),

  c('post /imports', 200, 'a bundle', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: ctx.editor,
      payload: { trials: [trialBody({ registryIds: ['NCT07770101'] })] },
    }),
  ),
  c('post /imports', 200, 'a dry run', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/imports?format=bundle&dryRun=true',
      headers: ctx.editor,
      payload: { trials: [trialBody({ registryIds: ['NCT07770102'] })] },
    }),
  ),
  c('post /imports', 400, 'a rejected record', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: ctx.editor,
      payload: { trials: [{ ...trialBody(), title: '' }] },
    }),
  ),
  c('post /imports', 400, 'an unknown format', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/imports?format=xml',
      headers: ctx.editor,
      payload: { trials: [] },
    }),
  ),
  c(
    'post /imports',
    401,
    'no key',
    req({ method: 'POST', url: '/imports?format=bundle', payload: { trials: [] } }),
  ),
  c('post /imports', 413, 'a body over the import limit', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: { ...ctx.editor, ...json },
      payload: OVERSIZED_IMPORT,
    }),
  ),
  c('post /imports', 415, 'a media type that does not fit the format', (ctx) =>
    ctx.app.inject({
      method: 'POST',
      url: '/imports?format=bundle',
      headers: { ...ctx.editor, 'content-type': 'text/csv' },
      payload: 'trialId,armLabel\n',
    }),
  ),

  c('get /vocabularies', 200, 'every vocabulary', req({ url: '/vocabularies' })),
  c('get /health', 200, 'healthy', req({ url: '/health' })),
];

/**
 * A request per operation that would succeed but for the server's state, for the answers any
 * operation can give: 429 (rate limited), 500 (the database failed), 503 (overloaded).
 */
export const PLAIN_REQUESTS: Record<string, (ctx: CaseContext) => InjectOptions> = {
  'get /trials': () => ({ url: '/trials' }),
  'post /trials': (ctx) => ({ method: 'POST', url: '/trials', headers: ctx.editor, payload: trialBody() }),
  'get /trials/{id}': (ctx) => ({ url: `/trials/${ctx.liveId}` }),
  'put /trials/{id}': (ctx) => ({
    method: 'PUT',
    url: `/trials/${ctx.liveId}`,
    headers: { ...ctx.editor, 'if-match': '*' },
    payload: trialBody(),
  }),
  'delete /trials/{id}': (ctx) => ({ method: 'DELETE', url: `/trials/${ctx.liveId}`, headers: ctx.admin }),
  'get /trials/{id}/revisions': (ctx) => ({ url: `/trials/${ctx.liveId}/revisions` }),
  'get /trials/{id}/revisions/{version}': (ctx) => ({ url: `/trials/${ctx.liveId}/revisions/1` }),
  'get /bmd-results': () => ({ url: '/bmd-results' }),
  'get /summaries/counts': () => ({ url: '/summaries/counts' }),
  'get /summaries/bmd-change': () => ({ url: '/summaries/bmd-change' }),
  'get /meta-analyses/bmd': () => ({ url: '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE' }),
  'get /meta-analyses/bmd/forest.svg': () => ({
    url: '/meta-analyses/bmd/forest.svg?site=LUMBAR_SPINE&metric=PERCENT_CHANGE',
  }),
  ...Object.fromEntries(
    EVIDENCE_PATHS.map((path) => [`get ${path}`, () => ({ url: `${path}?${evidenceQuery(path)}` })]),
  ),
  'post /imports': (ctx) => ({
    method: 'POST',
    url: '/imports?format=bundle',
    headers: ctx.editor,
    payload: { trials: [trialBody()] },
  }),
  'get /vocabularies': () => ({ url: '/vocabularies' }),
  'get /health': () => ({ url: '/health' }),
};

/** The operations answered by the analysis runner: each also answers 503 when its analysis cannot run now. */
export const ANALYSIS_OPERATIONS = Object.keys(PLAIN_REQUESTS).filter((operation) =>
  /^get \/(summaries|meta-analyses)\//.test(operation),
);

/** Documented answers no request can provoke, each with the reason; kept as short as possible. */
export const UNREACHABLE: Record<string, string> = {
  'post /trials 403': 'every key role may create a trial',
  'post /imports 403': 'every key role may import',
  'get /vocabularies 400': 'it takes no parameters',
  'get /health 400': 'it takes no parameters',
  'get /vocabularies 500': 'it answers from memory, without the database',
  'get /health 500': 'a database failure is reported as 503 with the health report',
};
