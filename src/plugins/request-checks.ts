import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { expectationFailed, unsupportedMediaType } from '../errors';

const CONTINUE = /^\s*100-continue\s*$/i;
const UTF8 = new Set(['utf-8', 'utf8']);

/** A header value as it may be quoted back in a problem's detail. */
const quoted = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** The methods whose bodies the routes read (and whose operations document a 415). */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

function hasBody(method: string, headers: IncomingHttpHeaders): boolean {
  if (!BODY_METHODS.has(method)) return false;
  return headers['transfer-encoding'] !== undefined || Number(headers['content-length'] ?? 0) > 0;
}

/** The `charset` parameter of a Content-Type, in lower case; undefined when it has none. */
function charsetOf(contentType: string): string | undefined {
  return /;\s*charset\s*=\s*("?)([^";,\s]*)\1/i.exec(contentType)?.[2]?.toLowerCase();
}

/**
 * Bodies are parsed as the bytes sent, in UTF-8. A compressed body or another charset would be
 * misread (and answered as "not valid JSON", or stored garbled), so it is refused, saying what is read.
 */
function checkBodyEncoding(headers: IncomingHttpHeaders): void {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    throw unsupportedMediaType(
      `Request bodies are read uncompressed: Content-Encoding ${quoted(encoding)} is not accepted. ` +
        'Send the body without a Content-Encoding.',
    );
  const charset = charsetOf(headers['content-type'] ?? '');
  if (charset !== undefined && !UTF8.has(charset))
    throw unsupportedMediaType(
      `Request bodies are read as UTF-8: charset ${quoted(charset)} is not accepted. ` +
        'Send the body in UTF-8 (charset=utf-8, or no charset).',
    );
}

/**
 * Refuses, as problem+json like every other error, what this server cannot honour in a request:
 * an `Expect` other than 100-continue (417), and a body it would misread (415).
 */
async function requestChecks(app: FastifyInstance) {
  // Node answers an Expect it does not know with an empty 417 of its own unless this event is
  // listened to; the request is routed instead, and the hook below refuses it.
  app.server.on('checkExpectation', (request, response) => app.server.emit('request', request, response));
  // Callback hooks: async ones would cost every request a promise and its microtasks.
  app.addHook('onRequest', (request, _reply, done) => {
    const expect = request.headers.expect;
    if (expect !== undefined && !CONTINUE.test(expect))
      done(
        expectationFailed(
          `This server meets no expectation but 100-continue: Expect ${quoted(expect)} cannot be met.`,
        ),
      );
    else done();
  });
  app.addHook('preParsing', (request, _reply, payload, done) => {
    try {
      if (hasBody(request.method, request.headers)) checkBodyEncoding(request.headers);
    } catch (error) {
      done(error as Error);
      return;
    }
    done(null, payload);
  });
}

export default fp(requestChecks, { name: 'request-checks', dependencies: ['problem-details'] });
