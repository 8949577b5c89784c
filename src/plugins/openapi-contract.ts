import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * What the route schemas cannot say about a response, added to the OpenAPI document once here:
 * the media type of errors (`application/problem+json`), the response headers clients rely on,
 * the CSV alternative of list endpoints, and the 503 any operation gives while the server sheds
 * load. Other apps generate clients from this document, so it must describe the wire exactly.
 * Also what zod and @fastify/swagger emit that the wire does not need: the comma form of list
 * parameters, the CSV part of request bodies, JavaScript's safe-integer bounds and the unused
 * input/output twins of component schemas.
 */

interface Schema {
  $ref?: string;
  type?: string | string[];
  anyOf?: Schema[];
}
interface MediaType {
  schema?: Schema;
}
interface Response {
  description: string;
  headers?: Record<string, { $ref: string }>;
  content?: Record<string, MediaType>;
}
interface Parameter {
  name: string;
  in: string;
  schema?: { enum?: unknown[]; type?: string | string[] };
  style?: string;
  explode?: boolean;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, Response>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { headers?: Record<string, unknown>; schemas?: Record<string, unknown> };
}

const SCHEMAS = '#/components/schemas/';
const PROBLEM_REF = `${SCHEMAS}ProblemDetails`;
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

/**
 * A list parameter takes comma-separated values (`provenance=REGISTRY,PUBLICATION`), the form the
 * README uses, or repeated ones: the server reads both. The document declares the comma form, so
 * that Swagger UI sends it and validating proxies accept it; each description names both.
 */
function commaSeparated(parameter: Parameter): void {
  if (parameter.in !== 'query' || parameter.schema?.type !== 'array') return;
  parameter.style = 'form';
  parameter.explode = false;
}

const isText = (schema: Schema) => schema.type === 'string';

/** The branches of nested `anyOf`s, gathering what the unions themselves say (title, example). */
function branchesOf(schema: Schema | undefined, annotations: Record<string, unknown>): Schema[] {
  if (!schema?.anyOf) return schema ? [schema] : [];
  const { anyOf, ...own } = schema;
  Object.assign(annotations, own);
  return anyOf.flatMap((branch) => branchesOf(branch, annotations));
}

/**
 * A route that reads its body as text takes CSV or JSON under one schema (a string, or one of the
 * JSON shapes): CSV is documented as the string, JSON as the shapes (no body of this API is a bare
 * JSON string or null).
 */
function splitCsvBody(content: Record<string, MediaType> | undefined): void {
  const csv = content?.['text/csv'];
  const json = content?.['application/json'];
  if (!content || !csv || !json) return;
  const annotations: Record<string, unknown> = {};
  const branches = branchesOf(json.schema, annotations);
  const text = branches.find(isText);
  const shapes = branches.filter((b) => !isText(b) && b.type !== 'null');
  if (!text || !shapes.length) return;
  // @fastify/swagger files one media object under every type consumed: each gets its own.
  content['text/csv'] = { ...csv, schema: text };
  content['application/json'] = { ...json, schema: { ...annotations, anyOf: shapes } };
}

/** zod writes `.int()` as ±Number.MAX_SAFE_INTEGER bounds, which no client needs to see (or sample). */
function dropSafeIntegerBounds(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) dropSafeIntegerBounds(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as Record<string, unknown>;
  if (object.minimum === Number.MIN_SAFE_INTEGER) delete object.minimum;
  if (object.maximum === Number.MAX_SAFE_INTEGER) delete object.maximum;
  for (const value of Object.values(object)) dropSafeIntegerBounds(value);
}

/** The names of the component schemas `node` refers to, directly. */
function schemaRefs(node: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) schemaRefs(item, into);
  else if (typeof node === 'object' && node !== null)
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith(SCHEMAS))
        into.add(value.slice(SCHEMAS.length));
      else schemaRefs(value, into);
    }
  return into;
}

/**
 * The zod transform emits every registered schema twice, as read (`X`) and as written (`XInput`);
 * only those the operations reach, directly or through other components, are kept.
 */
function dropUnusedSchemas(doc: OpenApiDocument): void {
  const schemas = doc.components?.schemas;
  if (!schemas) return;
  const reached = new Set<string>();
  const pending = [...schemaRefs(doc.paths, new Set())];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (reached.has(name)) continue;
    reached.add(name);
    pending.push(...schemaRefs(schemas[name], new Set()));
  }
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}

/**
 * Components in name order: otherwise they follow the order the modules happen to register their
 * schemas, and moving an import would change the document without changing the contract.
 */
function sortSchemas(doc: OpenApiDocument): void {
  const schemas = doc.components?.schemas;
  if (!schemas || !doc.components) return;
  doc.components.schemas = Object.fromEntries(
    Object.entries(schemas).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Adds the above to a document produced by @fastify/swagger, in place; running it twice changes nothing. */
export function refineOpenApi(doc: OpenApiDocument): OpenApiDocument {
  doc.components ??= {};
  doc.components.headers = Object.fromEntries(Object.entries(HEADERS));
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const parameter of operation.parameters ?? []) commaSeparated(parameter);
      splitCsvBody(operation.requestBody?.content);
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
  dropSafeIntegerBounds(doc);
  dropUnusedSchemas(doc);
  sortSchemas(doc);
  return doc;
}

/** Refines the document @fastify/swagger builds (it caches one object per app) once routes are known. */
async function openapiContract(app: FastifyInstance) {
  app.addHook('onReady', async () => {
    refineOpenApi(app.swagger() as unknown as OpenApiDocument);
  });
}

export default fp(openapiContract, { name: 'openapi-contract', dependencies: ['swagger'] });
