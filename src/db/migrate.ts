import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { Db } from './client';
import { prepared } from './statements';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

interface Journal {
  entries: { idx: number; tag: string }[];
}

let known: string[] | undefined;

/** The migrations this code knows, newest last (read once: they ship with the code). */
export function knownMigrations(): string[] {
  if (!known) {
    const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as Journal;
    known = journal.entries.map((e) => e.tag);
  }
  return known;
}

export function runMigrations(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** How many migrations the database has applied (drizzle records one row per migration). */
export function appliedMigrationCount(db: Db): number {
  const row = prepared(db.$client, 'SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
  return row.n;
}
