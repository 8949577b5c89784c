import Database from 'better-sqlite3';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { type ApiKeyRole, createApiKey } from '../../src/store/api-keys';

/** Migrates a database file and creates a key on it, as an operator would before the first start. */
export function prepareDatabase(path: string, role: ApiKeyRole = 'admin'): string {
  const db = openDatabase(path);
  runMigrations(db);
  const { secret } = createApiKey(db, `${role}-ops-test`, role);
  closeDatabase(db);
  return secret;
}

/** `PRAGMA integrity_check` of a database file, read-only. */
export function integrityCheck(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
  } finally {
    db.close();
  }
}
