import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { count, syncRuns, syncSetup } from './support';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sync-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Waits (at most 30 s, polling) until `done` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !done(); i += 1) await new Promise((r) => setTimeout(r, 50));
  expect(done()).toBe(true);
}

describe('a sync killed part-way', () => {
  it('leaves each study whole or absent, stays RUNNING, and a re-run completes the work', async () => {
    const database = join(dir, 'killed.db');
    const { standIn } = await syncSetup();
    // Pages 1 and 2 answer; page 3 never does, and the process is killed while it waits.
    standIn.faults.push('ok', 'ok', 'hang');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/sync.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_PATH: database,
        CTGOV_API_URL: standIn.url,
        CTGOV_MAX_REQUESTS_PER_MINUTE: '600000',
        CTGOV_REQUEST_TIMEOUT_MS: '60000',
      },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await until(() => standIn.requests.length === 3);
    child.kill('SIGKILL');
    await exited;

    const db = openDatabase(database);
    try {
      runMigrations(db);
      // Page 2's two synthetic studies were written, each with its arms and its one revision.
      expect(count(db, 'SELECT count(*) FROM trials')).toBe(2);
      expect(count(db, 'SELECT count(DISTINCT trial_id) FROM arms')).toBe(2);
      expect(count(db, "SELECT count(*) FROM revisions WHERE channel = 'SYNC'")).toBe(2);
      expect(syncRuns(db)).toMatchObject([{ outcome: 'RUNNING', finishedAt: null }]);

      const { sync } = await syncSetup({ db });
      const rerun = await sync();
      expect(rerun.code, rerun.text).toBe(0);
      // The killed run never completed, so the re-run asks for everything again.
      expect(rerun.out[0]).toMatch(/created 1, updated 0, unchanged 2, skipped 4, refused 0/);
      expect(count(db, 'SELECT count(*) FROM trials')).toBe(3);
      expect(syncRuns(db).map((r) => r.outcome)).toEqual(['RUNNING', 'COMPLETED']);
    } finally {
      db.$client.close();
    }
  });
});
