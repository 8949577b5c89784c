import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
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
  const source = illustrativeTrials(trials, BENCH_SEED);
  const started = Date.now();
  for (let done = 0; done < trials; ) {
    const size = Math.min(BATCH, trials - done);
    inTransaction(db, () => {
      for (let i = 0; i < size; i++) {
        const next = source.next();
        if (next.done) return;
        insertTrial(db, TrialInput.parse(next.value), {
          changedBy: 'bench-data',
          channel: 'IMPORT',
          now: new Date(Date.UTC(2026, 0, 1)),
        });
      }
    });
    done += size;
    log(`${done}/${trials} trials (${Math.round((done / (Date.now() - started)) * 1000)}/s)`);
  }
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
