import type { Database, Statement } from 'better-sqlite3';
import { LRUCache } from 'lru-cache';

/**
 * Prepared statements, kept per connection and keyed by their SQL text. Preparing costs more
 * than running a small query, and filtered queries repeat the same few shapes.
 */
const perConnection = new WeakMap<Database, LRUCache<string, Statement>>();

export function prepared(sqlite: Database, sql: string): Statement {
  let cache = perConnection.get(sqlite);
  if (!cache) {
    cache = new LRUCache({ max: 500 });
    perConnection.set(sqlite, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = sqlite.prepare(sql);
    cache.set(sql, statement);
  }
  return statement;
}
