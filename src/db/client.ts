import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * How long a command-line tool waits for another process's write lock: it serves no one, so it
 * may wait for a running import or sync to commit rather than fail.
 */
export const TOOL_BUSY_TIMEOUT_MS = 5000;
/**
 * The server never waits for a lock: better-sqlite3 is synchronous, so any wait would stall the
 * event loop and every request with it. A write that finds the database busy answers 503 at once,
 * and WAL lets reads go on beside the other writer.
 */
export const SERVER_BUSY_TIMEOUT_MS = 0;

export interface OpenDatabaseOptions {
  /** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
}

/** Opens the catalogue file (or `:memory:`) with the pragmas every connection needs. */
export function openDatabase(
  path: string,
  { busyTimeoutMs = TOOL_BUSY_TIMEOUT_MS }: OpenDatabaseOptions = {},
): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  setBusyTimeout(sqlite, busyTimeoutMs);
  // WAL with NORMAL is durable across application crashes; only an OS crash can lose the last commit.
  sqlite.pragma('synchronous = NORMAL');
  return drizzle({ client: sqlite, schema }) as Db;
}

/** Changes how long a connection waits for a lock, e.g. once a server's start-up migrations are done. */
export function setBusyTimeout(connection: Database.Database, ms: number): void {
  connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(ms))}`);
}

export function closeDatabase(db: Db): void {
  if (!db.$client.open) return;
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
}
