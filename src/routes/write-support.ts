import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { unauthorized } from '../errors';
import type { WriteContext } from '../store/trial-store';

/** The body's media type, lower case and without parameters; undefined when nothing is sent. */
export const mediaTypeOf = (request: FastifyRequest): string | undefined =>
  request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase().slice(0, 100);

/** A revision note is a short reason, read in lists of revisions: one line, bounded. */
export const MAX_REVISION_NOTE_LENGTH = 500;

/**
 * Header values reach the server as bytes read as Latin-1; a note sent in UTF-8 is read back as
 * UTF-8, so that "Überprüft" is kept as written. Bytes that are not UTF-8 stay as read.
 */
function asUtf8(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value) || /[\u0100-\uffff]/.test(value)) return value;
  const decoded = Buffer.from(value, 'latin1').toString('utf8');
  return decoded.includes('\uFFFD') ? value : decoded;
}

const RevisionNote = z
  .string()
  .transform(asUtf8)
  .pipe(
    z
      .string()
      .trim()
      .max(MAX_REVISION_NOTE_LENGTH, `a revision note is at most ${MAX_REVISION_NOTE_LENGTH} characters`)
      .regex(
        /^[^\p{Cc}]*$/u,
        'a revision note is one line of text: no control characters (tab, CR, LF, ...)',
      ),
  )
  .optional()
  .meta({
    description:
      `Why this write is made (UTF-8, at most ${MAX_REVISION_NOTE_LENGTH} characters, no control characters); ` +
      'kept as the `note` of every revision the write appends. Required when an admin changes a trial’s ' +
      'provenance kind.',
    // The limit as the document states it: zod cannot see through the UTF-8 reading above.
    maxLength: MAX_REVISION_NOTE_LENGTH,
  });

/** The headers every trial write and import takes; other headers pass through untouched. */
export const WriteHeaders = z.looseObject({ 'x-revision-note': RevisionNote });

/** The validated `X-Revision-Note`, or undefined when none (or only blanks) was sent. */
function revisionNoteOf(request: FastifyRequest): string | undefined {
  const note = request.headers['x-revision-note'];
  return typeof note === 'string' && note.trim() !== '' ? note.trim() : undefined;
}

/**
 * Who writes: the name of the API key the role check accepted, the channel, and the reason sent
 * in `X-Revision-Note`, all recorded on each revision.
 */
export function writerOf(request: FastifyRequest, channel: WriteContext['channel'] = 'API'): WriteContext {
  if (!request.apiKey) throw unauthorized('This operation needs an API key.');
  const note = revisionNoteOf(request);
  return { changedBy: request.apiKey.name, channel, ...(note === undefined ? {} : { note }) };
}
