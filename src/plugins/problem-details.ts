import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { catalogueBusy, isLockHeld } from '../db/busy';
import { CatalogueError, type ErrorKind, internalError, notFound, type ProblemFieldError } from '../errors';

/** A validation problem lists this many errors at most; `errorsTotal` counts them all. */
export const MAX_LISTED_ERRORS = 50;

export const PROBLEM_TYPE_BASE = 'https://stemcell-osteoporosis-catalogue.example/problems/';

export const ProblemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    errorsTotal: z
      .number()
      .int()
      .optional()
      .meta({
        description: `How many validation errors there are when more than the ${MAX_LISTED_ERRORS} listed in \`errors\`.`,
      }),
    allowedParameters: z.array(z.string()).optional().meta({
      description: 'When a query parameter is unknown: the parameters the operation takes.',
    }),
  })
  .meta({ id: 'ProblemDetails', description: 'RFC 9457 problem details.' });

export type ProblemBody = z.output<typeof ProblemDetails>;

interface ProblemSpec {
  status: number;
  /** The end of the problem's `type` URI. */
  slug: string;
  title: string;
  headers?: (error: CatalogueError) => Record<string, string>;
}

/** RFC 6750 §3: every refused credential names the scheme, and the reason once a key was sent. */
const bearerChallenge = (error: CatalogueError) => ({
  'www-authenticate': `Bearer realm="catalogue"${error.challenge ? `, error="${error.challenge}"` : ''}`,
});

const retryAfter = (error: CatalogueError): Record<string, string> =>
  error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };

/**
 * What each kind answers: the only place a kind meets HTTP. Where kinds share a status, the one
 * listed first stands for an error from Fastify or a plugin that carries nothing but that status.
 */
const PROBLEMS: Record<ErrorKind, ProblemSpec> = {
  malformed: { status: 400, slug: 'bad-request', title: 'Bad request' },
  invalid: { status: 400, slug: 'validation-error', title: 'Your request is not valid' },
  refusedImport: { status: 400, slug: 'import-rejected', title: 'The import was refused' },
  unauthenticated: {
    status: 401,
    slug: 'unauthorized',
    title: 'Authentication required',
    headers: bearerChallenge,
  },
  forbidden: { status: 403, slug: 'forbidden', title: 'Not allowed', headers: bearerChallenge },
  notFound: { status: 404, slug: 'not-found', title: 'Not found' },
  methodNotAllowed: { status: 405, slug: 'method-not-allowed', title: 'Method not allowed' },
  notAcceptable: { status: 406, slug: 'not-acceptable', title: 'Not acceptable' },
  timeout: { status: 408, slug: 'request-timeout', title: 'Request timeout' },
  conflict: { status: 409, slug: 'conflict', title: 'Conflicts with another record' },
  gone: { status: 410, slug: 'gone', title: 'Deleted' },
  stale: { status: 412, slug: 'precondition-failed', title: 'The record has changed' },
  payloadTooLarge: { status: 413, slug: 'payload-too-large', title: 'Request body too large' },
  uriTooLong: { status: 414, slug: 'uri-too-long', title: 'URI too long' },
  unsupportedMediaType: { status: 415, slug: 'unsupported-media-type', title: 'Unsupported media type' },
  expectationFailed: { status: 417, slug: 'expectation-failed', title: 'Expectation failed' },
  preconditionRequired: { status: 428, slug: 'precondition-required', title: 'If-Match required' },
  rateLimited: { status: 429, slug: 'rate-limited', title: 'Too many requests', headers: retryAfter },
  headersTooLarge: { status: 431, slug: 'headers-too-large', title: 'Request header fields too large' },
  internal: { status: 500, slug: 'internal', title: 'Internal error' },
  overloaded: { status: 503, slug: 'overloaded', title: 'Service unavailable', headers: retryAfter },
  busy: { status: 503, slug: 'unavailable', title: 'Service unavailable', headers: retryAfter },
  analysisBusy: {
    status: 503,
    slug: 'analysis-queue-full',
    title: 'Too many analyses waiting',
    headers: retryAfter,
  },
  analysisTimeout: {
    status: 503,
    slug: 'analysis-timeout',
    title: 'The analysis took too long',
    headers: retryAfter,
  },
};

const KIND_OF_STATUS = new Map<number, ErrorKind>();
for (const [kind, spec] of Object.entries(PROBLEMS) as [ErrorKind, ProblemSpec][])
  if (!KIND_OF_STATUS.has(spec.status)) KIND_OF_STATUS.set(spec.status, kind);

/**
 * The kind a client-error status from Fastify or a plugin stands for. A client status no kind
 * has is still the client's doing, so it is answered as a malformed request rather than a 500.
 */
export function kindOfClientStatus(status: number): ErrorKind {
  return KIND_OF_STATUS.get(status) ?? 'malformed';
}

/** The RFC 9457 body of an error; a refused import's report is answered alongside it. */
export function problem(error: CatalogueError, instance: string): ProblemBody {
  const { status, slug, title } = PROBLEMS[error.kind];
  return {
    type: `${PROBLEM_TYPE_BASE}${slug}`,
    title,
    status,
    detail: error.message,
    instance,
    ...(error.fieldErrors.length ? { errors: [...error.fieldErrors] } : {}),
    ...error.report,
  };
}

export function problemHeaders(error: CatalogueError): Record<string, string> {
  return PROBLEMS[error.kind].headers?.(error) ?? {};
}

const CONTEXT_PREFIX: Record<string, string> = {
  querystring: '/query',
  params: '/path',
  headers: '/headers',
  body: '',
};

/** The problem's detail for a schema failure in each part of the request. */
const VALIDATION_DETAIL: Record<string, string> = {
  body: 'The request body is not valid; see errors.',
  querystring: "The request's query parameters are not valid; see errors.",
  params: "The request's path parameters are not valid; see errors.",
  headers: "The request's headers are not valid; see errors.",
};

/**
 * Field errors from a schema failure, each at a JSON Pointer (the first MAX_LISTED_ERRORS, with
 * `errorsTotal` when there are more); an unknown query parameter adds, once, the allowed ones.
 */
function validationProblem(error: FastifyError, request: FastifyRequest): CatalogueError {
  const context = error.validationContext ?? 'body';
  const prefix = CONTEXT_PREFIX[context] ?? '';
  let unknownParameter = false;
  const errors: ProblemFieldError[] = (error.validation ?? []).flatMap((v) => {
    const params = v.params as { keys?: string[] };
    if (v.keyword === 'unrecognized_keys' && params.keys) {
      const base = v.instancePath === '/' ? '' : v.instancePath;
      unknownParameter ||= prefix === '/query';
      return params.keys.map((key) => ({ path: `${prefix}${base}/${key}`, message: 'unknown field' }));
    }
    const path = v.instancePath === '/' ? '' : v.instancePath;
    return [{ path: `${prefix}${path}`, message: v.message ?? 'is not valid' }];
  });
  const allowed = unknownParameter ? allowedQueryParameters(request) : null;
  const listed = errors.slice(0, MAX_LISTED_ERRORS);
  const detail = [
    VALIDATION_DETAIL[context] ?? 'The request is not valid; see errors.',
    ...(errors.length > listed.length
      ? [`${errors.length} errors; the first ${listed.length} are listed.`]
      : []),
    ...(allowed ? ['The parameters this operation takes are in allowedParameters.'] : []),
  ].join(' ');
  const report = {
    ...(errors.length > listed.length ? { errorsTotal: errors.length } : {}),
    ...(allowed ? { allowedParameters: allowed } : {}),
  };
  return new CatalogueError('invalid', detail, { fieldErrors: listed, report });
}

function allowedQueryParameters(request: FastifyRequest): string[] | null {
  const schema = request.routeOptions.schema?.querystring as { shape?: Record<string, unknown> } | undefined;
  return schema?.shape ? Object.keys(schema.shape) : null;
}

export function sendProblem(reply: FastifyReply, error: CatalogueError, instance: string) {
  const body = problem(error, instance);
  return reply.code(body.status).headers(problemHeaders(error)).type('application/problem+json').send(body);
}

/** A Retry-After in seconds that Fastify or a plugin already set on the reply. */
function retryAfterSet(reply: FastifyReply): number | undefined {
  const value = reply.getHeader('retry-after');
  const seconds = Number(value);
  return value !== undefined && Number.isInteger(seconds) && seconds >= 0 ? seconds : undefined;
}

/** The kind of an error, or null for a fault: one nobody raised on purpose and no client caused. */
function asCatalogueError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof CatalogueError) return error;
  // A statement outside a write transaction that met another process's lock: busy, not a fault.
  if (isLockHeld(error)) return catalogueBusy();
  if (hasZodFastifySchemaValidationErrors(error) || error.validation)
    return validationProblem(error, request);
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return new CatalogueError(kindOfClientStatus(status), error.message, {
      retryAfterSeconds: retryAfterSet(reply),
    });
  return null;
}

/** Problems name their request in full, but not a huge query string: past this length, the path alone. */
const MAX_INSTANCE_LENGTH = 2048;

function instanceOf(url: string): string {
  return url.length <= MAX_INSTANCE_LENGTH ? url : (url.split('?')[0] ?? '').slice(0, MAX_INSTANCE_LENGTH);
}

/**
 * The one place errors become responses: RFC 9457 problem+json for every error, no stack traces,
 * and no 500 for anything a client can send.
 */
async function problemDetails(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = asCatalogueError(error, request, reply);
    if (known) return sendProblem(reply, known, instanceOf(request.url));
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      internalError('The server failed to answer this request.'),
      instanceOf(request.url),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      notFound(`No route ${request.method} ${request.url.split('?')[0]}.`),
      instanceOf(request.url),
    ),
  );
}

export default fp(problemDetails, { name: 'problem-details' });
