import { randomFillSync } from 'node:crypto';

const ID_BYTES = 9;
/** Random bytes drawn in blocks: one system call per 455 ids instead of one per id (imports make many). */
const pool = Buffer.alloc(ID_BYTES * 455);
let offset = pool.length;

/** Opaque, URL-safe, unguessable ids; the prefix says what kind of record an id names. */
export function newId(prefix: 'tr' | 'arm' | 'res'): string {
  if (offset + ID_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const id = pool.toString('base64url', offset, offset + ID_BYTES);
  offset += ID_BYTES;
  return `${prefix}_${id}`;
}
