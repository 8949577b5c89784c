import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * What the route schemas cannot say about a response, added to the OpenAPI document once here:
 * the media type of errors (`application/problem+json`), the response headers clients rely on,
 * the CSV alternative of list endpoints, and the 503 any operation gives while the server sheds
 * load. Other apps generate clients from this document, so it must describe the wire exactly.
 */

interface MediaType {
  schema?: { $ref?: string; type?: string };
}
interface Response {
  description: string;
  headers?: Record<string, { $ref: string }>;
  content?: Record<string, MediaType>;
}
interface Operation {
  parameters?: { name: string; in: string; schema?: { enum?: unknown[] } }[];
  responses?: Record<string, Response>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { headers?: Record<string, unknown>; schemas?: Record<string, unknown> };
}

const PROBLEM_REF = '#/components/schemas/ProblemDetails';
const PROBLEM_JSON = 'application/problem+json';

const integerHeader = { type: 'string', pattern: '^[0-9]+$' };

/** Response headers, each defined once and referred to by `$ref`. Names as clients see them. */
const HEADERS: Record<string, { description: string; required: boolean; schema: object }> = {
  'X-Request-Id': {
    description: 'The request’s id, also in the server log: yours when you sent a plain token, else new.',
    required: true,
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,128}$' },
  },
  'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: integerHeader },
  'WWW-Authenticate': {
    description: 'The authentication scheme: `Bearer`, with the reason when a key was refused.',
    required: true,
    schema: { type: 'string', pattern: '^Bearer\\b' },
  },
  ETag: {
    description: 'The version read or written; send it in If-Match or If-None-Match.',
    required: true,
    schema: { type: 'string', pattern: '^"v[0-9]+"$' },
  },
  Location: {
    description: 'The URL of the created trial.',
    required: true,
    schema: { type: 'string', pattern: '^/trials/[A-Za-z0-9_-]+$' },
  },
  Link: {
    description: 'The next page, `<…>; rel="next"`; absent on the last page.',
    required: false,
    schema: { type: 'string', pattern: '^<[^>]+>; rel="next"$' },
  },
  'Content-Disposition': {
    description: 'The file name to save the CSV under.',
    required: false,
    schema: { type: 'string' },
  },
};

const ON_EVERY_RESPONSE = ['X-Request-Id'];
const BY_STATUS: Record<string, string[]> = {
  401: ['WWW-Authenticate'],
  403: ['WWW-Authenticate'],
  429: ['Retry-After'],
  503: ['Retry-After'],
};
/** Headers particular to one operation's answer, keyed by `method path` and status. */
const BY_OPERATION: Record<string, Record<string, string[]>> = {
  'get /trials': { 200: ['Link'] },
  'get /bmd-results': { 200: ['Link'] },
  'get /trials/{id}': { 200: ['ETag'], 304: ['ETag'] },
  'post /trials': { 201: ['Location', 'ETag'] },
  'put /trials/{id}': { 200: ['ETag'] },
};

const OVERLOADED: Response = {
  description:
    'The server is overloaded, or the catalogue is busy with another write; retry after `Retry-After` seconds.',
  content: { [PROBLEM_JSON]: { schema: { $ref: PROBLEM_REF } } },
};

/** Every error is RFC 9457 problem+json, whatever media type the route's schema was filed under. */
function asProblem(response: Response): void {
  const media = Object.values(response.content ?? {})[0];
  if (media && !response.content?.[PROBLEM_JSON]) response.content = { [PROBLEM_JSON]: media };
}

/** A read whose `format` can be csv answers text/csv (on /imports, `format` names what is sent). */
const offersCsv = (method: string, operation: Operation) =>
  method === 'get' &&
  (operation.parameters ?? []).some(
    (p) => p.in === 'query' && p.name === 'format' && p.schema?.enum?.includes('csv'),
  );

/** Adds the above to a document produced by @fastify/swagger, in place; running it twice changes nothing. */
export function refineOpenApi(doc: OpenApiDocument): OpenApiDocument {
  doc.components ??= {};
  doc.components.headers = Object.fromEntries(Object.entries(HEADERS));
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const responses = operation.responses ?? {};
      operation.responses = responses;
      responses['503'] ??= structuredClone(OVERLOADED);
      for (const [status, response] of Object.entries(responses)) {
        if (Number(status) >= 400) asProblem(response);
        if (status === '200' && offersCsv(method, operation)) {
          response.content = { ...response.content, 'text/csv': { schema: { type: 'string' } } };
        }
        const names = [
          ...ON_EVERY_RESPONSE,
          ...(BY_STATUS[status] ?? []),
          ...(BY_OPERATION[`${method} ${path}`]?.[status] ?? []),
          ...(response.content?.['text/csv'] ? ['Content-Disposition'] : []),
        ];
        response.headers = Object.fromEntries(
          names.map((name) => [name, { $ref: `#/components/headers/${name}` }]),
        );
      }
    }
  }
  return doc;
}

/** Refines the document @fastify/swagger builds (it caches one object per app) once routes are known. */
async function openapiContract(app: FastifyInstance) {
  app.addHook('onReady', async () => {
    refineOpenApi(app.swagger() as unknown as OpenApiDocument);
  });
}

export default fp(openapiContract, { name: 'openapi-contract', dependencies: ['swagger'] });
