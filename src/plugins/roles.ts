import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiKeyRole } from '../store/api-keys';
import { ProblemDetails } from './problem-details';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least role of API key the route admits; routes without one are public reads. */
    role?: ApiKeyRole;
  }
}

const problem = (description: string) => ProblemDetails.meta({ description });

/** What every keyed route can answer before its handler runs; a route may say more of its own. */
const KEYED_ERRORS = {
  401: problem('No API key, or one that is unknown or revoked (`WWW-Authenticate: Bearer`).'),
  403: problem('The API key’s role does not allow this operation.'),
};
/** What a keyed route that takes a body can answer before reading it. */
const BODY_ERRORS = {
  413: problem('The body is larger than the limit.'),
  415: problem('The body’s media type is not one this operation takes.'),
};

const asList = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

/**
 * A route declares its role (`config: { role: 'editor' }`) and this hook does the rest, the same
 * way for every write: the key check and the per-key write limit run first, at preParsing, so a
 * refused request is never read or validated; and the document says the route needs a key and
 * what it answers without one.
 */
async function roles(app: FastifyInstance) {
  app.addHook('onRoute', (route: RouteOptions) => {
    const role = route.config?.role;
    if (!role) return;
    route.preParsing = [app.requireRole(role), app.limitWrites, ...asList(route.preParsing)];
    const schema = route.schema ?? {};
    const takesBody = route.method === 'POST' || route.method === 'PUT';
    route.schema = {
      ...schema,
      security: [{ bearerAuth: [] }],
      response: { ...KEYED_ERRORS, ...(takesBody ? BODY_ERRORS : {}), ...(schema.response as object) },
    };
  });
}

export default fp(roles, { name: 'roles', dependencies: ['auth', 'security'] });
