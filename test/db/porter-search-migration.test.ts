import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { MIGRATIONS_FOLDER, runMigrations } from '../../src/db/migrate';
import { addTrials, cellArm, testTrial } from '../meta-analyses/catalogue';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations as they stood before the porter search index: a catalogue written by that version. */
function migrationsBefore(tag: string): string {
  const folder = join(dir, 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const keep = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(keep).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, keep) }));
  return folder;
}

const search = (db: ReturnType<typeof openDatabase>, words: string) =>
  db.$client
    .prepare('SELECT rowid FROM trials_fts WHERE trials_fts MATCH ? ORDER BY rowid')
    .pluck()
    .all(words);

describe('the porter search-index migration', () => {
  it('rebuilds the index of an existing catalogue so that words match their stems, losing no row', () => {
    dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const db = openDatabase(join(dir, 'catalogue.db'));
    migrate(db, { migrationsFolder: migrationsBefore('0003_porter_search') });
    // The search rows of two made-up trials, as the version before the migration wrote them.
    const insert = db.$client.prepare(
      'INSERT INTO trials_fts (rowid, title, brief_summary, arm_labels, sponsor) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run(101, 'Vertebral fractures after MSC infusion', '', 'Infused arm', 'Bone Fund');
    insert.run(102, 'Another trial', 'One fracture was seen.', 'Other arm', '');
    const before = db.$client
      .prepare('SELECT rowid, title, brief_summary, arm_labels, sponsor FROM trials_fts ORDER BY rowid')
      .all();
    expect(search(db, 'fracture')).toEqual([102]); // unicode61 alone: "fracture" is not "fractures"

    runMigrations(db);
    const after = db.$client
      .prepare('SELECT rowid, title, brief_summary, arm_labels, sponsor FROM trials_fts ORDER BY rowid')
      .all();
    expect(after).toEqual(before);
    expect(search(db, 'fracture')).toEqual([101, 102]);
    expect(search(db, 'infusions')).toEqual([101]);
    expect(
      db.$client.prepare("SELECT sql FROM sqlite_master WHERE name = 'trials_fts'").pluck().get(),
    ).toMatch(/tokenize = 'porter unicode61 remove_diacritics 2'/);
    // The application keeps writing the rebuilt index.
    addTrials(db, [testTrial('Fractured hips', { arms: [cellArm('Arm')] })]);
    expect(search(db, 'fracture')).toEqual([1, 101, 102]);
    closeDatabase(db);
  });
});
