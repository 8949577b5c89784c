import { existsSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { MIGRATIONS_FOLDER } from './migrate';

/** What an operator needs to know about a database file before trusting it. */
export interface DatabaseReport {
  /** `ok`, or what PRAGMA integrity_check found. */
  integrity: string;
  appliedMigrations: number;
  knownMigrations: number;
  /** Hashes of applied migrations this code does not ship: the file was written by newer code. */
  unknownMigrations: string[];
  trials: number;
}

export class DatabaseFileError extends Error {}

let knownHashes: string[] | undefined;

/** The hashes drizzle records for the migrations this code ships, oldest first. */
export function knownMigrationHashes(): string[] {
  knownHashes ??= readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.hash);
  return knownHashes;
}

/**
 * Opens a database file read-only. A read-only connection to a WAL file cannot remove the empty
 * -wal and -shm files it creates, so `close` removes those it created (never ones already there,
 * which belong to another connection).
 */
export function openReadOnly(path: string): { db: Database.Database; close: () => void } {
  const hadSidecars = existsSync(`${path}-wal`) || existsSync(`${path}-shm`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new DatabaseFileError(`${path} cannot be opened: ${(error as Error).message}`);
  }
  return {
    db,
    close: () => {
      db.close();
      if (hadSidecars || (existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0)) return;
      rmSync(`${path}-wal`, { force: true });
      rmSync(`${path}-shm`, { force: true });
    },
  };
}

/** Opens a database file read-only and reports its integrity, migrations and size; never writes. */
export function inspectDatabaseFile(path: string): DatabaseReport {
  const { db, close } = openReadOnly(path);
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const tables = new Set(
      (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
        (r) => r.name,
      ),
    );
    if (!tables.has('__drizzle_migrations') || !tables.has('trials'))
      throw new DatabaseFileError(
        `${path} is not a catalogue database (it has no migrations or trials table).`,
      );
    const applied = (
      db.prepare('SELECT hash FROM __drizzle_migrations ORDER BY id').all() as { hash: string }[]
    ).map((r) => r.hash);
    const known = knownMigrationHashes();
    const trials = (db.prepare('SELECT count(*) AS n FROM trials').get() as { n: number }).n;
    return {
      integrity,
      appliedMigrations: applied.length,
      knownMigrations: known.length,
      unknownMigrations: applied.filter((h) => !known.includes(h)),
      trials,
    };
  } catch (error) {
    if (error instanceof DatabaseFileError) throw error;
    throw new DatabaseFileError(`${path} cannot be read as a database: ${(error as Error).message}`);
  } finally {
    close();
  }
}

/** Refuses a file that is damaged, or whose schema is newer than this code understands. */
export function assertRestorable(path: string, report: DatabaseReport): void {
  if (report.integrity !== 'ok')
    throw new DatabaseFileError(`${path} fails PRAGMA integrity_check: ${report.integrity.slice(0, 500)}`);
  if (report.unknownMigrations.length > 0 || report.appliedMigrations > report.knownMigrations)
    throw new DatabaseFileError(
      `${path} has a newer schema than this code (${report.appliedMigrations} migrations applied, ` +
        `${report.knownMigrations} known${report.unknownMigrations.length ? `, ${report.unknownMigrations.length} unknown` : ''}): ` +
        'restore it with the version of the service that wrote it.',
    );
}
