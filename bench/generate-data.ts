import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Database } from 'better-sqlite3';
import { illustrativeTrials } from '../seed/illustrative/generate';
import { closeDatabase, openDatabase } from '../src/db/client';
import { runMigrations } from '../src/db/migrate';
import { TrialInput } from '../src/schemas/trial-input';
import { insertTrial, inTransaction } from '../src/store/trial-store';

/**
 * Writes a deterministic synthetic catalogue (every record ILLUSTRATIVE, drawn from the seed
 * set's distributions with a fixed seed) into a migrated SQLite file that
 * `DATABASE_PATH=FILE npm start` serves. Records go through the same write path as the API.
 */
const BENCH_SEED = 7_302_026;
const BATCH = 5_000;

/** base64url's 64 characters in ASCII order, so that ids written with them sort as numbers do. */
const ORDERED_ID_ALPHABET = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 12;

/**
 * The n-th trial's id: the shape `newId` gives (`tr_` and 12 URL-safe characters), but ascending.
 * Every table keyed or indexed by trial id then grows at its end instead of at a random page, which
 * at a million trials (a 16 GB file) is the difference between a write staying in the page cache
 * and one that reads and rewrites a page from anywhere in the file.
 */
export function orderedTrialId(n: number): string {
  let id = '';
  for (let rest = n, i = 0; i < ID_LENGTH; i++, rest = Math.floor(rest / 64))
    id = ORDERED_ID_ALPHABET[rest % 64] + id;
  return `tr_${id}`;
}

/**
 * Drops the secondary indexes that neither enforce a constraint nor serve a read of the write path
 * (the non-unique ones; primary keys and unique indexes stay, so every write is checked as the
 * API's is) and returns their definitions. Built once at the end from sorted keys, an index costs a
 * fraction of what a million random insertions into it cost, and holds the same entries.
 */
function deferSecondaryIndexes(sqlite: Database): string[] {
  const indexes = sqlite
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
       AND sql NOT LIKE 'CREATE UNIQUE INDEX%'`,
    )
    .all() as { name: string; sql: string }[];
  for (const { name } of indexes) sqlite.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
  return indexes.map(({ sql }) => sql);
}

export function generateCatalogue(
  file: string,
  trials: number,
  log: (line: string) => void = () => {},
): void {
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) rmSync(file + suffix);
  const db = openDatabase(file);
  runMigrations(db);
  // A bulk load: durability of each batch does not matter until the end, so skip the fsyncs.
  db.$client.pragma('synchronous = OFF');
  // Every trial inserts into a dozen indexes whose B-trees outgrow SQLite's default 2 MB page
  // cache within the first few thousand trials; a 1 GiB cache keeps them in memory (measured at
  // 20,000 trials: 36.7 s with the default, 18.3 s with this).
  db.$client.pragma('cache_size = -1048576');
  const deferred = deferSecondaryIndexes(db.$client);
  const source = illustrativeTrials(trials, BENCH_SEED);
  const started = Date.now();
  let written = 0;
  for (let done = 0; done < trials; ) {
    const size = Math.min(BATCH, trials - done);
    inTransaction(db, () => {
      for (let i = 0; i < size; i++) {
        const next = source.next();
        if (next.done) return;
        insertTrial(
          db,
          TrialInput.parse(next.value),
          { changedBy: 'bench-data', channel: 'IMPORT', now: new Date(Date.UTC(2026, 0, 1)) },
          orderedTrialId(written++),
        );
      }
    });
    done += size;
    log(`${done}/${trials} trials (${Math.round((done / (Date.now() - started)) * 1000)}/s)`);
  }
  log(`building ${deferred.length} indexes`);
  for (const sql of deferred) db.$client.exec(sql);
  db.$client.pragma('synchronous = NORMAL');
  db.$client.exec('ANALYZE');
  closeDatabase(db);
}

function main() {
  const { values } = parseArgs({
    options: {
      trials: { type: 'string', default: '100000' },
      out: { type: 'string', default: 'data/bench.db' },
    },
  });
  const trials = Number(values.trials);
  if (!Number.isInteger(trials) || trials < 1) throw new Error('--trials must be a whole number ≥ 1');
  generateCatalogue(values.out as string, trials, (line) => process.stdout.write(`\r${line}   `));
  process.stdout.write(`\nWrote ${values.out}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
