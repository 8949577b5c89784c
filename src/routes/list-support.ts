import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';

/** What a read that can answer CSV offers, JSON first: it is the answer when the client has no preference. */
const ANSWER_TYPES = ['application/json', 'text/csv'];

/**
 * CSV when `format=csv`, or when `Accept` prefers it to JSON: q-values are honoured (`q=0` refuses
 * a type), then the more specific range (`text/csv` over `*\/*`), then the order listed. When
 * neither is acceptable the answer is JSON, the default, rather than a 406.
 */
export function wantsCsv(request: FastifyRequest, format: string | undefined): boolean {
  if (format) return format === 'csv';
  return new Negotiator(request).mediaType(ANSWER_TYPES) === 'text/csv';
}

/** `Link: <…>; rel="next"` with the same query and the next cursor; nothing when no row follows. */
export function setNextLink(request: FastifyRequest, reply: FastifyReply, nextCursor: string | null): void {
  if (nextCursor === null) return;
  const url = new URL(request.url, 'http://localhost');
  url.searchParams.set('cursor', nextCursor);
  reply.header('link', `<${url.pathname}${url.search}>; rel="next"`);
}

/**
 * Whether the request itself sent `limit` or `cursor`: the parsed query holds `limit`'s default
 * either way, and a CSV export is paged only when asked.
 */
export function sentPaging(request: FastifyRequest): boolean {
  const sent = new URL(request.url, 'http://localhost').searchParams;
  return sent.has('limit') || sent.has('cursor');
}

/** CSV text, or a stream of it (sent as it comes, chunked, with backpressure). */
export function sendCsv(reply: FastifyReply, csv: string | Readable, filename: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .send(csv);
}

/**
 * Sends text that is already JSON of the route's response schema (stored documents), skipping
 * re-serialisation: Fastify sends a string as is once the content type is JSON.
 */
export function sendJsonText(reply: FastifyReply, json: string) {
  return reply.type('application/json; charset=utf-8').send(json as never);
}
