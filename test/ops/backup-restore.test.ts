import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/db/backup';
import { killServer, type ServerProcess, spawnServer } from '../helpers/start-server';
import { trialBody } from '../helpers/trial-fixtures';
import { historyProblems, liveVersions } from './catalogue-checks';
import { integrityCheck, prepareDatabase } from './database-file';

let dir: string;
const servers: ServerProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'catalogue-backup-'));
});
afterEach(async () => {
  for (const s of servers.splice(0)) await killServer(s);
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `npm run <script> -- <file>` over DATABASE_PATH, as an operator would. */
function npmRun(script: string, file: string, databasePath: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      'npm',
      ['run', '-s', script, '--', file],
      { env: { ...process.env, DATABASE_PATH: databasePath }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function start(databasePath: string) {
  const server = await spawnServer(databasePath);
  servers.push(server);
  return server;
}

async function createTrial(url: string, secret: string, title: string): Promise<string | null> {
  const res = await fetch(`${url}/trials`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(trialBody({ title })),
  });
  return res.status === 201 ? ((await res.json()) as { id: string }).id : null;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('npm run db:backup and db:restore', () => {
  it('copy a running server’s database during concurrent writes; the copy restores into a second server', async () => {
    const live = join(dir, 'live.db');
    const secret = prepareDatabase(live, 'editor');
    const first = await start(live);

    const acked: string[] = [];
    let stop = false;
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; i < 500 && !stop; i++) {
        const id = await createTrial(first.url, secret, `Concurrent ${w}-${i}`);
        if (id) acked.push(id);
      }
    });
    for (let i = 0; i < 100 && acked.length < 20; i++) await pause(50);
    const ackedBeforeBackup = [...acked];

    const backupFile = join(dir, 'backups', 'catalogue-backup.db');
    const backup = await npmRun('db:backup', backupFile, live);
    const ackedDuringBackup = acked.length - ackedBeforeBackup.length;
    stop = true;
    await Promise.all(writers);

    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/Backed up .* integrity ok/);
    expect(ackedDuringBackup).toBeGreaterThan(0); // writes went on while the copy was taken
    expect(integrityCheck(backupFile)).toBe('ok');
    expect(historyProblems(backupFile)).toEqual([]);
    const copied = liveVersions(backupFile);
    for (const id of ackedBeforeBackup) expect(copied.has(id), id).toBe(true);
    expect(existsSync(`${backupFile}-wal`)).toBe(false); // one self-contained file

    const refused = await npmRun('db:restore', backupFile, live);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/in use: stop the server/);

    const second = join(dir, 'second', 'catalogue.db');
    const restore = await npmRun('db:restore', backupFile, second);
    expect(restore.code, restore.stderr).toBe(0);
    const other = await start(second);
    const page = (await (await fetch(`${other.url}/trials?limit=1&countTotal=true`)).json()) as {
      page: { total: number };
    };
    expect(page.page.total).toBe(copied.size);
    const sample = ackedBeforeBackup[0] as string;
    expect((await fetch(`${other.url}/trials/${sample}`)).status).toBe(200);
  }, 120_000);

  it('refuse a damaged file, a non-database, or a newer schema, and leave the database as it was', async () => {
    const target = join(dir, 'target.db');
    prepareDatabase(target);
    const good = join(dir, 'good.db');
    await backupDatabase(target, good);
    const before = liveVersions(target);

    const damaged = join(dir, 'damaged.db');
    copyFileSync(good, damaged);
    const fd = openSync(damaged, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096 * 2);
    const size = statSync(damaged).size;
    writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, Math.max(4096 * 5, size - 8192));
    await expect(restoreDatabase(damaged, target)).rejects.toThrow(
      /integrity_check|cannot be read|malformed/,
    );

    const notADatabase = join(dir, 'notes.db');
    writeFileSync(notADatabase, 'not a database at all, just words '.repeat(200));
    await expect(restoreDatabase(notADatabase, target)).rejects.toThrow(/cannot be (read|opened)/);

    const newer = join(dir, 'newer.db');
    copyFileSync(good, newer);
    const db = new Database(newer);
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run(
      'f'.repeat(64),
      4102444800000,
    );
    db.close();
    await expect(restoreDatabase(newer, target)).rejects.toThrow(/newer schema than this code/);

    expect(integrityCheck(target)).toBe('ok');
    expect(liveVersions(target)).toEqual(before);
  });

  it('replace a database a killed server left behind, without replaying its stale WAL', async () => {
    const live = join(dir, 'killed.db');
    const secret = prepareDatabase(live, 'editor');
    const server = await start(live);
    const kept = await createTrial(server.url, secret, 'Kept by the backup');
    const backupFile = join(dir, 'before.db');
    await backupDatabase(live, backupFile);
    const lost = await createTrial(server.url, secret, 'Written after the backup');
    await killServer(server, 'SIGKILL');

    await restoreDatabase(backupFile, live);
    expect(integrityCheck(live)).toBe('ok');
    expect(historyProblems(live)).toEqual([]);
    const versions = liveVersions(live);
    expect(versions.has(kept as string)).toBe(true);
    expect(versions.has(lost as string)).toBe(false);

    const again = await start(live);
    expect((await fetch(`${again.url}/trials/${lost}`)).status).toBe(404);
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
  }, 60_000);
});
