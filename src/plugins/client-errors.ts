import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type CatalogueError,
  headersTooLarge,
  internalError,
  malformedRequest,
  requestTimeout,
  uriTooLong,
} from '../errors';
import { problem, sendProblem } from './problem-details';

/** What went wrong before a request could be read at all, with a sentence for the client. */
function classify(error: NodeJS.ErrnoException): CatalogueError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return requestTimeout('The request was not received in time.');
    case 'HPE_HEADER_OVERFLOW':
      return headersTooLarge('The request headers are larger than this server accepts.');
    case 'HPE_URI_TOO_LONG':
      return uriTooLong('The request target is longer than this server accepts.');
    default:
      return malformedRequest('The request is not well-formed HTTP.');
  }
}

/** The request target from the raw bytes, when they hold a plain one; otherwise the root. */
function targetOf(error: Error & { rawPacket?: Buffer }): string {
  const firstLine = error.rawPacket?.subarray(0, 2048).toString('latin1').split('\r\n', 1)[0] ?? '';
  const target = /^[A-Z]{3,10} (\/[\x21-\x7e]{0,1000}) HTTP\/1\.[01]$/.exec(firstLine)?.[1];
  return target ?? '/';
}

/**
 * Fastify's `clientErrorHandler`: errors Node's HTTP parser raises before there is a request
 * (malformed syntax, oversized headers, timeouts) still get an RFC 9457 body, written raw.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error, socket: Socket) {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const body = problem(classify(err), targetOf(err));
  const { status } = body;
  this.log.debug({ code: err.code, status }, 'client error before routing');
  if (socket.writable) {
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        'Connection: close\r\n\r\n' +
        text,
    );
  }
  socket.destroy(err);
}

/** What a URL Fastify could not route says to the client, or null when it was not the URL's fault. */
function urlRefusal(error: FastifyError): CatalogueError | null {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH')
    return uriTooLong('A path parameter is longer than this server accepts.');
  if (error.code === 'FST_ERR_BAD_URL')
    return malformedRequest('The request URL is not valid: it has a malformed percent-encoding or path.');
  return null;
}

/**
 * Fastify's `frameworkErrors`: a URL it cannot decode, or a path parameter over the length limit.
 * The one other error it reports here, a failing async route constraint, is the server's own.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const refusal = urlRefusal(error);
  if (refusal) return sendProblem(reply, refusal, request.url);
  request.log.error({ err: error }, 'unhandled framework error');
  return sendProblem(reply, internalError('The server failed to answer this request.'), request.url);
}
