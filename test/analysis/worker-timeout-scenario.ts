/**
 * Run with `node --import tsx` (worker threads load TypeScript through it, as under `npm start`):
 * an app over a catalogue file whose first analysis stalls its worker past ANALYSIS_TIMEOUT_MS,
 * then the same analysis again. Prints both answers as one JSON line for the test to judge.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app';
import { defaultConfig } from '../../src/config';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { loadFixture } from '../helpers/catalogue-fixture';

const url = '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE';
const dir = mkdtempSync(join(tmpdir(), 'analysis-timeout-'));
const db = openDatabase(join(dir, 'catalogue.db'));
try {
  runMigrations(db);
  loadFixture(db);
  const app = await buildApp({
    config: defaultConfig({ ANALYSIS_TIMEOUT_MS: 8000, MAX_EVENT_LOOP_DELAY_MS: 0 }),
    db,
    analysisHooks: { workerStall: { ms: 60_000, tasks: 1 } },
  });
  const answer = async () => {
    const res = await app.inject({ url });
    return { status: res.statusCode, retryAfter: res.headers['retry-after'], body: res.json() };
  };
  const stuck = await answer();
  const next = await answer();
  await app.close();
  process.stdout.write(`${JSON.stringify({ stuck, next })}\n`);
} finally {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}
