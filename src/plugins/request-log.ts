import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import fp from 'fastify-plugin';

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
 * One log line per request instead of Fastify's two, written when the response has been sent:
 * its id (`reqId`), method, URL, route, status and duration. Headers and bodies are never logged,
 * so neither are API keys.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const line = {
      method: request.method,
      url: request.url,
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
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

export default fp(requestLog, { name: 'request-log' });
