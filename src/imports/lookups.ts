import type { Database, Statement } from 'better-sqlite3';
import type { Db } from '../db/client';
import type { Trial } from '../schemas/trial';
import { loadTrial, wasDeleted } from '../store/trial-store';

/**
 * The reads an import makes for every record. The two it makes for every record are prepared
 * once per connection; stored trials are read through the store.
 */
export interface Lookups {
  /** The live trial holding a registry id (compared in upper case, as stored), if any. */
  registryOwner: (registryId: string) => string | undefined;
  /** The trial an arm id belongs to, if any. */
  armOwner: (armId: string) => string | undefined;
  /** Live trials with exactly this title. */
  titled: (title: string) => string[];
  storedTrial: (id: string) => Trial | null;
  wasDeleted: (id: string) => boolean;
}

const cache = new WeakMap<Database, Lookups>();

export function lookups(db: Db): Lookups {
  const sqlite = db.$client;
  let found = cache.get(sqlite);
  if (found) return found;
  const pluck = (sql: string): Statement => sqlite.prepare(sql).pluck();
  const registry = pluck('SELECT trial_id FROM registry_ids WHERE registry_id = ?');
  const arm = pluck('SELECT trial_id FROM arms WHERE id = ?');
  const title = pluck('SELECT id FROM trials WHERE title = ?');
  found = {
    registryOwner: (registryId) => registry.get(registryId.toUpperCase()) as string | undefined,
    armOwner: (armId) => arm.get(armId) as string | undefined,
    titled: (text) => title.all(text) as string[],
    storedTrial: (id) => (id === '' ? null : loadTrial(db, id)),
    wasDeleted: (id) => wasDeleted(db, id),
  };
  cache.set(sqlite, found);
  return found;
}
