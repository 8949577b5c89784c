import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from './problem-details';

/** What went wrong before a request could be read at all: status and a sentence for the client. */
function classify(error: NodeJS.ErrnoException): [number, string] {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'The request was not received in time.'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'The request headers are larger than this server accepts.'];
    case 'HPE_URI_TOO_LONG':
      return [414, 'The request target is longer than this server accepts.'];
    default:
      return [400, 'The request is not well-formed HTTP.'];
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
  const [status, detail] = classify(err);
  this.log.debug({ code: err.code, status }, 'client error before routing');
  if (socket.writable) {
    const body = JSON.stringify(problem(status, detail, targetOf(err)));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        'Content-Type: application/problem+json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(err);
}

/** Fastify's `frameworkErrors`: a URL it cannot decode, or a path parameter over the length limit. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const detail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path parameter is longer than this server accepts.'
      : 'The request URL is not valid: it has a malformed percent-encoding or path.';
  return sendProblem(reply, problem(error.statusCode ?? 400, detail, request.url));
}
