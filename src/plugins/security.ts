import cors from '@fastify/cors';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { Config } from '../config';
import { malformedRequest, rateLimited } from '../errors';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts a write against its key's budget (RATE_LIMIT_WRITE_MAX per window); run it after auth. */
    limitWrites: preParsingAsyncHookHandler;
  }
}

type SecurityConfig = Pick<
  Config,
  'RATE_LIMIT_MAX' | 'RATE_LIMIT_WRITE_MAX' | 'RATE_LIMIT_WINDOW_MS' | 'CORS_ORIGIN'
>;

/** Response headers a browser client may read across origins. */
const EXPOSED_HEADERS = [
  'etag',
  'location',
  'link',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-request-id',
  'www-authenticate',
];

/** `*`, one origin, or a comma-separated list of them. */
function corsOrigin(setting: string): string | string[] {
  const origins = setting
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return origins.length === 1 ? (origins[0] as string) : origins;
}

/**
 * The address a request counts against. A connection the client has already broken (say, by a
 * malformed chunked body) may have no address left by the time the limiter asks; it still counts,
 * against one shared key, rather than failing inside the limiter on every such request.
 */
export function clientKey(request: FastifyRequest): string {
  const address = request.ip ?? request.socket?.remoteAddress;
  return address ? normalizeIP(address) : 'unknown-client';
}

const tooManyRequests = (seconds: number) =>
  rateLimited(`Rate limit reached: retry in ${seconds} second${seconds === 1 ? '' : 's'}.`, seconds);

/**
 * Security headers, CORS and rate limits. Every request counts against its client address
 * (RATE_LIMIT_MAX, at onRequest, so refused credentials are counted too); a write also counts
 * against its key (RATE_LIMIT_WRITE_MAX), once the key is known.
 */
async function security(app: FastifyInstance, config: SecurityConfig) {
  // Helmet's middleware is built once here; registering @fastify/helmet would rebuild it (and
  // re-parse the CSP) on every request.
  const securityHeaders = helmet({
    // Swagger UI at /docs loads its scripts and styles from /docs/static and calls this origin.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", 'https:', "'unsafe-inline'"],
        connectSrc: ["'self'"],
        // The service speaks plain HTTP on its own port by default; upgrading would break /docs.
        upgradeInsecureRequests: null,
      },
    },
    // A public API: other sites may embed its SVG and read its JSON (CORS decides the latter).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  app.addHook('onRequest', (request, reply, done) => {
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });

  // Every OPTIONS is answered as a CORS preflight; @fastify/cors answers one that lacks its headers
  // with a text/plain 400, so the same refusal is made first here, as problem+json.
  app.addHook('onRequest', async (request) => {
    if (
      request.method === 'OPTIONS' &&
      !(request.headers.origin && request.headers['access-control-request-method'])
    )
      throw malformedRequest(
        'OPTIONS is answered as a CORS preflight: send both Origin and Access-Control-Request-Method.',
      );
  });

  await app.register(cors, {
    origin: corsOrigin(config.CORS_ORIGIN),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'accept'],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });

  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: clientKey,
    errorResponseBuilder: (_request, context) => tooManyRequests(Math.max(1, Math.ceil(context.ttl / 1000))),
  });

  const perKey = app.createRateLimit({
    max: config.RATE_LIMIT_WRITE_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    keyGenerator: (request) => `write-key:${request.apiKey?.id ?? clientKey(request)}`,
  });

  app.decorate('limitWrites', async function limitWrites(request, reply) {
    const limit = await perKey(request);
    if (limit.isAllowed) return;
    reply.header('x-ratelimit-limit', limit.max);
    reply.header('x-ratelimit-remaining', limit.remaining);
    reply.header('x-ratelimit-reset', limit.ttlInSeconds);
    if (limit.isExceeded) throw tooManyRequests(Math.max(1, limit.ttlInSeconds));
  } satisfies preParsingAsyncHookHandler);
}

export default fp(security, { name: 'security', dependencies: ['problem-details'] });
