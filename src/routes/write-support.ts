import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/client';
import { ProblemError, unauthorized } from '../errors';
import { inTransaction, type WriteContext } from '../store/trial-store';

/** The body's media type, lower case and without parameters; undefined when nothing is sent. */
export const mediaTypeOf = (request: FastifyRequest): string | undefined =>
  request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase().slice(0, 100);

/** Who writes: the name of the API key the role check accepted, recorded on each revision. */
export function writerOf(request: FastifyRequest): WriteContext {
  if (!request.apiKey) throw unauthorized('This operation needs an API key.');
  return { changedBy: request.apiKey.name };
}

/**
 * Runs one synchronous write. A database held by another process answers 503 with Retry-After,
 * not 500: the client did nothing wrong and the same request will succeed shortly.
 */
export function busyAs503<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
      throw new ProblemError(
        503,
        'unavailable',
        'Service unavailable',
        'The catalogue is busy with another write; try again shortly.',
        undefined,
        { 'retry-after': '1' },
      );
    throw error;
  }
}

/** One transaction: all of `work` commits, or none of it; a busy database answers 503. */
export function transact<T>(db: Db, work: () => T): T {
  return busyAs503(() => inTransaction(db, work));
}
