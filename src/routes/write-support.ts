import type { FastifyRequest } from 'fastify';
import { unauthorized } from '../errors';
import type { WriteContext } from '../store/trial-store';

/** The body's media type, lower case and without parameters; undefined when nothing is sent. */
export const mediaTypeOf = (request: FastifyRequest): string | undefined =>
  request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase().slice(0, 100);

/** Who writes: the name of the API key the role check accepted, recorded on each revision. */
export function writerOf(request: FastifyRequest, channel: WriteContext['channel'] = 'API'): WriteContext {
  if (!request.apiKey) throw unauthorized('This operation needs an API key.');
  return { changedBy: request.apiKey.name, channel };
}
