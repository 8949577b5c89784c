import cors from '@fastify/cors';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preParsingAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
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
 * Each address's normalised form, remembered: a client sends many requests from one address, and
 * normalising costs each of them an IPv6 test (an IPv6 address is parsed whole). Bounded, so a
 * flood of addresses only empties it.
 */
const normalizedAddresses = new Map<string, string>();
const NORMALIZED_ADDRESSES_MAX = 10_000;

/**
 * The address a request counts against. A connection the client has already broken (say, by a
 * malformed chunked body) may have no address left by the time the limiter asks; it still counts,
 * against one shared key, rather than failing inside the limiter on every such request.
 */
export function clientKey(request: FastifyRequest): string {
  const address = request.ip ?? request.socket?.remoteAddress;
  if (!address) return 'unknown-client';
  let key = normalizedAddresses.get(address);
  if (key === undefined) {
    if (normalizedAddresses.size >= NORMALIZED_ADDRESSES_MAX) normalizedAddresses.clear();
    key = normalizeIP(address);
    normalizedAddresses.set(address, key);
  }
  return key;
}

const tooManyRequests = (seconds: number) =>
  rateLimited(`Rate limit reached: retry in ${seconds} second${seconds === 1 ? '' : 's'}.`, seconds);

/** The security headers: helmet's defaults, with a CSP that lets the Swagger UI at /docs work. */
export const HELMET_OPTIONS: HelmetOptions = {
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
};

type Middleware = (request: never, response: never, next: (error?: unknown) => void) => void;

/**
 * The headers a helmet middleware sets, recorded once by running it against a stand-in response.
 * None of HELMET_OPTIONS depends on the request (no nonce, no per-request directive), so every
 * response gets the same names and values in the same order; setting them from this list spares
 * each request helmet's chain of middlewares and the Content-Security-Policy's re-assembly.
 * Helmet also removes X-Powered-By, which nothing in this service sets.
 */
function recordedHeaders(middleware: Middleware): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [];
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers.push([name, String(value)]);
    },
    removeHeader: () => {},
  };
  let failed: unknown;
  middleware({} as never, response as never, (error) => {
    failed = error;
  });
  if (failed) throw failed;
  return headers;
}

/**
 * Security headers, CORS and rate limits. Every request counts against its client address
 * (RATE_LIMIT_MAX, at onRequest, so refused credentials are counted too); a write also counts
 * against its key (RATE_LIMIT_WRITE_MAX), once the key is known.
 */
async function security(app: FastifyInstance, config: SecurityConfig) {
  const securityHeaders = recordedHeaders(helmet(HELMET_OPTIONS));
  app.addHook('onRequest', (request, reply, done) => {
    const response = reply.raw;
    for (const [name, value] of securityHeaders) response.setHeader(name, value);
    // Every OPTIONS is answered as a CORS preflight; @fastify/cors answers one that lacks its
    // headers with a text/plain 400, so the same refusal is made first here, as problem+json.
    if (
      request.method === 'OPTIONS' &&
      !(request.headers.origin && request.headers['access-control-request-method'])
    )
      done(
        malformedRequest(
          'OPTIONS is answered as a CORS preflight: send both Origin and Access-Control-Request-Method.',
        ),
      );
    else done();
  });

  await app.register(cors, {
    origin: corsOrigin(config.CORS_ORIGIN),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'if-match', 'if-none-match', 'accept'],
    // Joined once here; @fastify/cors would join a list again on every request.
    exposedHeaders: EXPOSED_HEADERS.join(', '),
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
