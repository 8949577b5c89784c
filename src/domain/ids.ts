import { randomBytes } from 'node:crypto';

/** Opaque, URL-safe, unguessable ids; the prefix says what kind of record an id names. */
export function newId(prefix: 'tr' | 'arm' | 'res'): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}
