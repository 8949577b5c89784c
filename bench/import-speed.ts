import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from 'better-sqlite3';
import { illustrativeTrials } from '../seed/illustrative/generate';
import { closeDatabase, type Db, openDatabase } from '../src/db/client';
import { runMigrations } from '../src/db/migrate';
import { runImport } from '../src/imports/import-service';
import { parseImportBody } from '../src/imports/parse-import';

/**
 * Imports a bundle of illustrative trials through the import service (JSON text → validated,
 * matched, written with revisions, one transaction), then inserts exactly the rows that import
 * wrote into a fresh database with plain prepared statements in one transaction, and compares
 * the two rates. Each side runs on its own fresh migrated file; the rounds alternate.
 *
 *   npx tsx bench/import-speed.ts [--trials 10000] [--rounds 3]
 */
const { values } = parseArgs({
  options: { trials: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '3' } },
});
const TRIALS = Number(values.trials);
const ROUNDS = Number(values.rounds);
const SEED = 7_302_026;

const dir = mkdtempSync(join(tmpdir(), 'import-speed-'));
let files = 0;

function freshDb(): Db {
  const db = openDatabase(join(dir, `run-${files++}.db`));
  runMigrations(db);
  return db;
}

interface TableRows {
  table: string;
  columns: string[];
  /** Rows grouped by the trial they belong to, in the order the import created the trials. */
  byTrial: Map<string, unknown[][]>;
}

/**
 * Every row the import wrote, table by table (parents before children, by their foreign keys),
 * each tied to its trial: by `trial_id`, by `id` for trials, by `search_id` for the search index.
 */
function dumpWrittenRows(sqlite: Database): TableRows[] {
  const names = (
    sqlite
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         AND name NOT LIKE '__drizzle%' AND name NOT LIKE 'trials_fts_%' AND name <> 'catalogue_state'`,
      )
      .pluck()
      .all() as string[]
  ).filter((name) => (sqlite.prepare(`SELECT count(*) FROM "${name}"`).pluck().get() as number) > 0);
  const parents = new Map(
    names.map((name) => [
      name,
      (sqlite.prepare(`PRAGMA foreign_key_list("${name}")`).all() as { table: string }[]).map(
        (fk) => fk.table,
      ),
    ]),
  );
  const ordered: string[] = [];
  while (ordered.length < names.length)
    for (const name of names)
      if (
        !ordered.includes(name) &&
        (parents.get(name) ?? []).every((p) => p === name || ordered.includes(p))
      )
        ordered.push(name);
  const trialOfSearchId = new Map(
    (sqlite.prepare('SELECT search_id, id FROM trials').raw().all() as [number, string][]).map(([s, id]) => [
      s,
      id,
    ]),
  );
  return ordered.map((table) => {
    const select = table === 'trials_fts' ? `SELECT rowid, * FROM "${table}"` : `SELECT * FROM "${table}"`;
    const statement = sqlite.prepare(select).raw();
    const columns = statement.columns().map((c) => c.name);
    const key = columns.indexOf(table === 'trials' ? 'id' : table === 'trials_fts' ? 'rowid' : 'trial_id');
    const byTrial = new Map<string, unknown[][]>();
    for (const row of statement.all() as unknown[][]) {
      const trialId = table === 'trials_fts' ? trialOfSearchId.get(row[key] as number) : (row[key] as string);
      const list = byTrial.get(trialId as string) ?? [];
      list.push(row);
      byTrial.set(trialId as string, list);
    }
    return { table, columns, byTrial };
  });
}

function timeImport(text: string): { ms: number; parseMs: number; db: Db } {
  const db = freshDb();
  const started = performance.now();
  const { parsed } = parseImportBody(text, 'bundle');
  const parsedAt = performance.now();
  const report = runImport(db, parsed, { changedBy: 'bench', channel: 'IMPORT' }, { dryRun: false });
  const ms = performance.now() - started;
  if (report.rejected.length || report.created !== TRIALS)
    throw new Error(`the import did not create every trial: ${JSON.stringify(report).slice(0, 500)}`);
  return { ms, parseMs: parsedAt - started, db };
}

/**
 * The baseline: the same rows inserted with plain prepared statements in one transaction, trial
 * by trial in the import's order (`per trial`), or each table in one sweep (`per table`, a bulk
 * loader's order, kinder to the indexes).
 */
function timeBaseline(tables: TableRows[], trialIds: string[], order: 'per trial' | 'per table'): number {
  const db = freshDb();
  const sqlite = db.$client;
  const inserts = tables.map(({ table, columns, byTrial }) => ({
    statement: sqlite.prepare(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    ),
    byTrial,
  }));
  const started = performance.now();
  sqlite.transaction(() => {
    if (order === 'per trial') {
      for (const id of trialIds)
        for (const { statement, byTrial } of inserts)
          for (const row of byTrial.get(id) ?? []) statement.run(row);
    } else {
      for (const { statement, byTrial } of inserts)
        for (const id of trialIds) for (const row of byTrial.get(id) ?? []) statement.run(row);
    }
  })();
  const ms = performance.now() - started;
  closeDatabase(db);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

try {
  const text = JSON.stringify({ trials: [...illustrativeTrials(TRIALS, SEED)] });
  const importMs: number[] = [];
  const parseMs: number[] = [];
  const perTrialMs: number[] = [];
  const perTableMs: number[] = [];
  let tables: TableRows[] = [];
  let trialIds: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const run = timeImport(text);
    importMs.push(run.ms);
    parseMs.push(run.parseMs);
    if (round === 0) {
      tables = dumpWrittenRows(run.db.$client);
      trialIds = run.db.$client.prepare('SELECT id FROM trials ORDER BY search_id').pluck().all() as string[];
    }
    closeDatabase(run.db);
    perTrialMs.push(timeBaseline(tables, trialIds, 'per trial'));
    perTableMs.push(timeBaseline(tables, trialIds, 'per table'));
  }
  const count = (t: TableRows) => [...t.byTrial.values()].reduce((sum, rows) => sum + rows.length, 0);
  const dbRows = tables.reduce((sum, t) => sum + count(t), 0);
  const imp = median(importMs);
  const perTrial = median(perTrialMs);
  const perTable = median(perTableMs);
  const line = (name: string, ms: number) =>
    `${name.padEnd(44)} ${String(rate(TRIALS, ms)).padStart(6)} trials/s  ${String(rate(dbRows, ms)).padStart(7)} rows/s  (${ms.toFixed(0)} ms)`;
  const lines = [
    `${TRIALS} illustrative trials (${(text.length / 1e6).toFixed(1)} MB of JSON), ${dbRows} database rows ` +
      `(${tables.map((t) => `${t.table} ${count(t)}`).join(', ')}); median of ${ROUNDS} rounds`,
    line('import service (JSON text → report)', imp),
    `${''.padEnd(44)} of which JSON parse and validation ${median(parseMs).toFixed(0)} ms`,
    line('baseline: prepared inserts, per trial', perTrial),
    line('baseline: prepared inserts, per table', perTable),
    `ratio import / baseline: ${(perTrial / imp).toFixed(2)} per trial, ${(perTable / imp).toFixed(2)} per table (target ≥ 0.50)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
