import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalogue, orderedTrialId } from '../../bench/generate-data';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { RecordId } from '../../src/schemas/common';

/**
 * `npm run bench:data` loads with the secondary indexes dropped and builds them at the end, and
 * gives trials ascending ids: the catalogue it leaves must be the one the migrations describe,
 * every index holding exactly its table's rows, and every id one the API would accept.
 */
const schemaOf = (file: string) => {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare(
      `SELECT type, name, tbl_name, sql FROM sqlite_master
       WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name`,
    )
    .all();
  db.close();
  return rows;
};

describe('bench:data', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
    file = join(dir, 'bench.db');
    generateCatalogue(file, 300);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves every table and index the migrations define, with the same definitions', () => {
    const migrated = join(dir, 'migrated.db');
    const db = openDatabase(migrated);
    runMigrations(db);
    closeDatabase(db);
    const generated = schemaOf(file);
    expect(generated).toEqual(schemaOf(migrated));
    expect(generated.filter((row) => (row as { type: string }).type === 'index').length).toBeGreaterThan(30);
  });

  it('builds indexes that hold exactly their tables’ rows', () => {
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT count(*) FROM trials').pluck().get()).toBe(300);
    // Read through an index built at the end and through the table itself: the same rows.
    const byIndex = db
      .prepare('SELECT count(*) FROM arms INDEXED BY arms_list_start_idx WHERE cell_source IS NOT NULL')
      .pluck()
      .get();
    const byTable = db
      .prepare('SELECT count(*) FROM arms NOT INDEXED WHERE cell_source IS NOT NULL')
      .pluck()
      .get();
    expect(byIndex).toBe(byTable);
    db.close();
  });

  it('gives trials ids the API accepts, ascending in SQLite’s order as they were written', () => {
    const db = new Database(file, { readonly: true });
    const written = db.prepare('SELECT id FROM trials ORDER BY rowid').pluck().all() as string[];
    const sorted = db.prepare('SELECT id FROM trials ORDER BY id').pluck().all() as string[];
    db.close();
    expect(written).toEqual(sorted);
    for (const id of written) expect(RecordId.safeParse(id).success, id).toBe(true);
    // Across a carry in every position the order holds, in code units as SQLite's BINARY compares.
    for (const n of [0, 63, 64, 4095, 4096, 262_143, 999_999]) {
      const [a, b] = [orderedTrialId(n), orderedTrialId(n + 1)];
      expect(a < b, `${a} < ${b}`).toBe(true);
      expect(a).toMatch(/^tr_[A-Za-z0-9_-]{12}$/);
    }
  });
});
