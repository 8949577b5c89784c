import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { appliedMigrationCount, knownMigrations, runMigrations } from '../../src/db/migrate';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('migrate an empty file to the latest schema, with WAL, foreign keys and a busy timeout', () => {
    dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const path = join(dir, 'nested', 'catalogue.db');
    const db = openDatabase(path);
    runMigrations(db);
    expect(existsSync(path)).toBe(true);
    expect(appliedMigrationCount(db)).toBe(knownMigrations().length);
    expect(db.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = (
      db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      expect.arrayContaining(['trials', 'arms', 'bmd_results', 'revisions', 'trials_fts', 'api_keys']),
    );
    closeDatabase(db);
  });

  it('running them twice changes nothing', () => {
    dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const db = openDatabase(join(dir, 'catalogue.db'));
    runMigrations(db);
    runMigrations(db);
    expect(appliedMigrationCount(db)).toBe(knownMigrations().length);
    expect(db.$client.prepare('SELECT count(*) AS n FROM catalogue_state').get()).toEqual({ n: 1 });
    closeDatabase(db);
  });

  it('CHECK constraints keep vocabularies out of reach of a bad write', () => {
    dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const db = openDatabase(join(dir, 'catalogue.db'));
    runMigrations(db);
    expect(() =>
      db.$client
        .prepare(`INSERT INTO trials (id, title, study_type, overall_status, population, provenance_kind,
          has_bmd_results, version, created_at, updated_at, search_id) VALUES ('x', 't', 'INTERVENTIONAL', 'DONE',
          'MIXED', 'USER', 0, 1, 'a', 'a', 1)`)
        .run(),
    ).toThrow(/CHECK constraint failed/);
    closeDatabase(db);
  });
});
