import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import fp from 'fastify-plugin';
import { SECRET_PREFIX } from '../store/api-keys';

/** An incoming X-Request-Id is kept only when it is a plain token, so it cannot forge log lines. */
const PLAIN_TOKEN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's X-Request-Id when it is a plain token (so one id follows a
 * request across services), else a random UUID.
 */
export function requestId(request: IncomingMessage): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && PLAIN_TOKEN.test(header) ? header : randomUUID();
}

/**
 * Query parameters by which clients commonly send a credential, compared in lower case without
 * `-` or `_`: access_token, api_key, apikey, key, token (and accessToken, api-key…).
 */
const SECRET_PARAMETERS = new Set(['accesstoken', 'apikey', 'key', 'token']);
const API_KEY_TEXT = new RegExp(`${SECRET_PREFIX}[A-Za-z0-9_%-]+`, 'g');
const REDACTED = '[REDACTED]';

function parameterName(pair: string): string {
  const raw = pair.split('=', 1)[0] ?? '';
  let name: string;
  try {
    name = decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    name = raw;
  }
  return name.toLowerCase().replace(/[-_]/g, '');
}

/**
 * The URL as it may be logged: the value of every query parameter that can carry a credential is
 * replaced, and so is anything that looks like one of this service's API keys wherever it stands.
 * Keys belong in the Authorization header, but a client that puts one in the URL must not have it
 * copied into every log line and log store.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query =
    queryStart === -1
      ? ''
      : `?${url
          .slice(queryStart + 1)
          .split('&')
          .map((pair) =>
            pair.includes('=') && SECRET_PARAMETERS.has(parameterName(pair))
              ? `${pair.split('=', 1)[0]}=${REDACTED}`
              : pair,
          )
          .join('&')}`;
  return `${path}${query}`.replace(API_KEY_TEXT, REDACTED);
}

/** Fastify's `req` log serializer, with the URL redacted (it is used wherever a request is logged whole). */
function requestForLog(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** The app's logger option with the redacting request serializer; `false` stays silent. */
export function withRedactedUrls(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  return { ...options, serializers: { ...options.serializers, req: requestForLog } };
}

/** Whether a line at `level` would be written; a logger that cannot say (Fastify's silent one) is asked. */
function levelEnabled(log: FastifyBaseLogger, level: 'info' | 'error'): boolean {
  const { isLevelEnabled } = log as FastifyBaseLogger & { isLevelEnabled?: (level: string) => boolean };
  return isLevelEnabled === undefined || isLevelEnabled.call(log, level);
}

/**
 * One log line per request instead of Fastify's two, written when the response has been sent:
 * its id (`reqId`), method, URL (redacted), route, status and duration. Headers and bodies are
 * never logged, so neither are API keys.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    // Below the line's level (LOG_LEVEL=warn, say) the URL is not even redacted: nothing is written.
    if (!levelEnabled(request.log, error ? 'error' : 'info')) return;
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      route: request.routeOptions.url ?? null,
      statusCode: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) request.log.error({ ...line, err: error }, 'request failed while responding');
    else request.log.info(line, 'request completed');
  }
}

/** Echoes the request id in X-Request-Id on every response, errors included. */
async function requestLog(app: FastifyInstance) {
  // A callback hook: an async one would cost every request a promise and its microtasks.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}

export default fp(requestLog, { name: 'request-log' });
