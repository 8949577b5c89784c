import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { ProblemDetails } from './problem-details';

export const API_TAGS = [
  {
    name: 'trials',
    description: 'Trials of stem-cell therapy for osteoporosis: find, read and curate them.',
  },
  { name: 'bmd-results', description: 'Reported bone-mineral-density results, one row each.' },
  { name: 'summaries', description: 'Facet counts and pooled within-arm BMD change.' },
  { name: 'meta-analyses', description: 'Cell therapy versus control, pooled by random effects.' },
  { name: 'imports', description: 'Bulk loading: bundles, CSV and ClinicalTrials.gov records.' },
  { name: 'reference', description: 'Vocabularies and service health.' },
];

const DESCRIPTION = `A catalogue of clinical-trial evidence on stem-cell therapy for osteoporosis: trials by cell
source, route of administration and reported bone-mineral-density (BMD) change, with meta-analytic summaries.

Every trial carries its provenance. Records whose \`provenance.kind\` is \`ILLUSTRATIVE\` are made up for
demonstration, are titled \`[Illustrative] …\`, and are flagged in every summary they feed; filter
\`provenance=REGISTRY,PUBLICATION\` to leave them out.

Errors are RFC 9457 \`application/problem+json\`. Writes need \`Authorization: Bearer <api key>\`.`;

/** Problem responses every operation can give; added once here rather than by hand per route. */
const SHARED_ERRORS = {
  400: ProblemDetails.meta({ description: 'The request is not valid; `errors` lists each problem.' }),
  429: ProblemDetails.meta({ description: 'Too many requests; retry after `Retry-After` seconds.' }),
  500: ProblemDetails.meta({ description: 'The server failed; no client input should cause this.' }),
};

/**
 * Swagger UI redirects /docs/static/index.html to the docs page by rewriting the end of the URL,
 * so with a query string it redirects to itself, forever; here every form of it lands on the page.
 */
async function leaveStaticIndex(request: FastifyRequest, reply: FastifyReply) {
  if (request.routeOptions.url === '/docs/static/index.html') return reply.redirect('/docs/', 302);
}

async function swaggerPlugin(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs') || route.schema?.hide) return;
    const schema = route.schema ?? {};
    route.schema = { ...schema, response: { ...SHARED_ERRORS, ...(schema.response as object) } };
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Stem-cell osteoporosis evidence catalogue',
        version: '1.0.0',
        description: DESCRIPTION,
        contact: { name: 'The maintainers of the stem-cell osteoporosis evidence catalogue' },
      },
      // Relative: the document describes the server that serves it, wherever that listens.
      servers: [{ url: '/', description: 'The server this document is served by.' }],
      tags: API_TAGS,
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key created with `npm run apikey`.',
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, tryItOutEnabled: false },
    uiHooks: { onRequest: leaveStaticIndex },
  });

  // A person who opens the bare address lands on the docs; not an operation of the API.
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/docs', 302));
}

export default fp(swaggerPlugin, { name: 'swagger' });
