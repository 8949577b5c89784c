import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badRequest } from '../errors';
import type { CursorPosition } from './pagination';

/** Drawn once per process for servers without CURSOR_SECRET: their cursors last as long as the process. */
let processKey: Buffer | undefined;

function signingKey(secret: string | undefined): Buffer {
  if (secret !== undefined) return Buffer.from(secret, 'utf8');
  processKey ??= randomBytes(32);
  return processKey;
}

/** Binds a cursor to the endpoint, the normalised filters and the sort (not the page size). */
function binding(endpoint: string, filters: string, sort: string): string {
  return createHash('sha256').update(`${endpoint}\n${filters}\n${sort}`).digest('base64url').slice(0, 16);
}

const notIssuedHere = () =>
  badRequest('The cursor is not valid: pass page.nextCursor exactly as received.', [
    { path: '/query/cursor', message: 'not a cursor this service issued' },
  ]);

function isPosition(parsed: unknown): parsed is [string, CursorPosition['value'], string] {
  return (
    Array.isArray(parsed) &&
    parsed.length === 3 &&
    typeof parsed[0] === 'string' &&
    typeof parsed[2] === 'string' &&
    (parsed[1] === null || typeof parsed[1] === 'string' || typeof parsed[1] === 'number')
  );
}

/**
 * Issues and reads pagination cursors: a position in a sorted list, signed with HMAC-SHA256 under
 * the server's key. A client can neither forge one (to read from an arbitrary position or feed
 * arbitrary values to the keyset query) nor alter one; a cursor from a server with another key
 * is refused like any other that this server did not issue.
 */
export class CursorSigner {
  readonly #key: Buffer;

  /** `secret`: CURSOR_SECRET; unset, the process's random key. */
  constructor(secret: string | undefined) {
    this.#key = signingKey(secret);
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#key).update(`cursor:${payload}`).digest();
  }

  encode(endpoint: string, filters: string, sort: string, at: CursorPosition): string {
    const position = [binding(endpoint, filters, sort), at.value, at.id];
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${this.#mac(payload).toString('base64url')}`;
  }

  /** The position a cursor names; 400 (at `/query/cursor`) for one altered, forged or of another query. */
  decode(cursor: string, endpoint: string, filters: string, sort: string): CursorPosition {
    const [payload, signature, extra] = cursor.split('.');
    if (!payload || !signature || extra !== undefined) throw notIssuedHere();
    const expected = this.#mac(payload);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw notIssuedHere();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw notIssuedHere();
    }
    if (!isPosition(parsed)) throw notIssuedHere();
    if (parsed[0] !== binding(endpoint, filters, sort))
      throw badRequest(
        'This cursor belongs to another query: a cursor works only with the filters and sort it came from.',
        [{ path: '/query/cursor', message: 'issued for different filters, sort or endpoint' }],
      );
    return { value: parsed[1], id: parsed[2] };
  }
}
