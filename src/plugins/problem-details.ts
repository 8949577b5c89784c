import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ProblemError, type ProblemFieldError } from '../errors';

export const PROBLEM_TYPE_BASE = 'https://stemcell-osteoporosis-catalogue.example/problems/';

export const ProblemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'ProblemDetails', description: 'RFC 9457 problem details.' });

export type ProblemBody = z.output<typeof ProblemDetails>;

const TITLES: Record<number, [string, string]> = {
  400: ['bad-request', 'Bad request'],
  401: ['unauthorized', 'Authentication required'],
  403: ['forbidden', 'Not allowed'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  409: ['conflict', 'Conflict'],
  410: ['gone', 'Deleted'],
  412: ['precondition-failed', 'Precondition failed'],
  413: ['payload-too-large', 'Request body too large'],
  414: ['uri-too-long', 'URI too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  428: ['precondition-required', 'Precondition required'],
  429: ['rate-limited', 'Too many requests'],
  431: ['headers-too-large', 'Request header fields too large'],
  503: ['unavailable', 'Service unavailable'],
};

export function problem(
  status: number,
  detail: string,
  instance: string,
  errors?: ProblemFieldError[],
  slug?: string,
  title?: string,
): ProblemBody {
  const [defaultSlug, defaultTitle] = TITLES[status] ?? ['error', 'Error'];
  return {
    type: `${PROBLEM_TYPE_BASE}${slug ?? defaultSlug}`,
    title: title ?? defaultTitle,
    status,
    detail,
    instance,
    ...(errors?.length ? { errors } : {}),
  };
}

const CONTEXT_PREFIX: Record<string, string> = {
  querystring: '/query',
  params: '/path',
  headers: '/headers',
  body: '',
};

/** Field errors from a schema failure, each at a JSON Pointer, unknown parameters with what is allowed. */
function validationErrors(error: FastifyError, request: FastifyRequest): ProblemFieldError[] {
  const prefix = CONTEXT_PREFIX[error.validationContext ?? 'body'] ?? '';
  const allowed = allowedQueryParameters(request);
  return (error.validation ?? []).flatMap((v) => {
    const params = v.params as { keys?: string[] };
    if (v.keyword === 'unrecognized_keys' && params.keys) {
      const base = v.instancePath === '/' ? '' : v.instancePath;
      const hint = prefix === '/query' && allowed ? `; allowed parameters: ${allowed.join(', ')}` : '';
      return params.keys.map((key) => ({ path: `${prefix}${base}/${key}`, message: `unknown field${hint}` }));
    }
    const path = v.instancePath === '/' ? '' : v.instancePath;
    return [{ path: `${prefix}${path}`, message: v.message ?? 'is not valid' }];
  });
}

function allowedQueryParameters(request: FastifyRequest): string[] | null {
  const schema = request.routeOptions.schema?.querystring as { shape?: Record<string, unknown> } | undefined;
  return schema?.shape ? Object.keys(schema.shape) : null;
}

export function sendProblem(reply: FastifyReply, body: ProblemBody, headers: Record<string, string> = {}) {
  return reply.code(body.status).headers(headers).type('application/problem+json').send(body);
}

/**
 * The one place errors become responses: RFC 9457 problem+json for every error, no stack traces,
 * and no 500 for anything a client can send.
 */
async function problemDetails(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const instance = request.url;
    if (error instanceof ProblemError) {
      return sendProblem(
        reply,
        problem(error.status, error.message, instance, error.errors, error.slug, error.title),
        error.headers,
      );
    }
    if (hasZodFastifySchemaValidationErrors(error) || error.validation) {
      const where =
        error.validationContext === 'querystring' ? 'query parameters' : (error.validationContext ?? 'body');
      return sendProblem(
        reply,
        problem(
          400,
          `The request's ${where} are not valid; see errors.`,
          instance,
          validationErrors(error, request),
          'validation-error',
          'Your request is not valid',
        ),
      );
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const headers: Record<string, string> = {};
      const retryAfter = reply.getHeader('retry-after');
      if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
      return sendProblem(reply, problem(status, error.message, instance), headers);
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      problem(
        500,
        'The server failed to answer this request.',
        instance,
        undefined,
        'internal',
        'Internal error',
      ),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problem(404, `No route ${request.method} ${request.url.split('?')[0]}.`, request.url)),
  );
}

export default fp(problemDetails, { name: 'problem-details' });
