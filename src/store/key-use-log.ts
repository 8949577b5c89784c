import type { Db } from '../db/client';
import { type ApiKey, recordKeyUse } from './api-keys';

/** A key's last use is stored at most this often: it tells operators which keys are alive, not every call. */
export const KEY_USE_WRITE_INTERVAL_MS = 60_000;

/**
 * The server's record of when each key was last used. Verifying a key must never wait for, or
 * fail on, another process's write lock, so uses are noted in memory and written now and then: at
 * most once a minute per key, by a write that gives up at once when the database is busy (the
 * server's connection waits for no lock) and is tried again at the key's next use, and at close.
 */
export class KeyUseLog {
  /** Uses not yet stored, by key id: the latest time of each. */
  private readonly pending = new Map<number, string>();
  /** When each key's use was last stored, in epoch milliseconds. */
  private readonly storedAt = new Map<number, number>();

  constructor(
    private readonly db: Db,
    private readonly intervalMs = KEY_USE_WRITE_INTERVAL_MS,
  ) {}

  /** Notes a use of `key` and answers the key as it now stands (its last use is this one). */
  note(key: ApiKey, now = new Date()): ApiKey {
    const at = now.toISOString();
    this.pending.set(key.id, at);
    const stored = this.storedAt.get(key.id);
    if (stored === undefined || now.getTime() - stored >= this.intervalMs) this.store(key.id, now.getTime());
    return { ...key, lastUsedAt: at };
  }

  /** Stores every use still pending, each giving up at once when the database is busy. */
  flush(now = new Date()): void {
    for (const id of [...this.pending.keys()]) this.store(id, now.getTime());
  }

  private store(id: number, nowMs: number): void {
    const at = this.pending.get(id);
    if (at === undefined || !recordKeyUse(this.db, id, at)) return;
    this.pending.delete(id);
    this.storedAt.set(id, nowMs);
  }
}
