import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, type Db, openDatabase, SERVER_BUSY_TIMEOUT_MS } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { createApiKey, listApiKeys } from '../../src/store/api-keys';
import { KeyUseLog } from '../../src/store/key-use-log';
import { openTestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

/**
 * Another process's writer, on a thread of its own so that it can let go while the server's
 * thread is busy: it holds `BEGIN IMMEDIATE` until told to release, or for `holdAtMostMs` at most.
 * A server that waited on the lock (as a busy timeout of 5 s would make it) would see it released
 * and get its write through; one that never waits answers 503 while the lock is still held.
 */
const HOLDER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const state = new Int32Array(workerData.state);
const db = new Database(workerData.path);
db.exec('BEGIN IMMEDIATE');
db.prepare("UPDATE catalogue_state SET data_version = data_version WHERE id = 1").run();
Atomics.store(state, 0, 1);
parentPort.postMessage('held');
const release = () => {
  if (Atomics.load(state, 0) !== 1) return;
  db.exec('ROLLBACK');
  db.close();
  Atomics.store(state, 0, 2);
  parentPort.postMessage('released');
};
const safety = setTimeout(release, workerData.holdAtMostMs);
parentPort.on('message', () => { clearTimeout(safety); release(); });
`;
const HELD = 1;

interface LockHolder {
  /** 1 while the lock is held, 2 once released. */
  state: () => number;
  release: () => Promise<void>;
}

async function holdWriteLock(path: string, holdAtMostMs = 3000): Promise<LockHolder> {
  const state = new Int32Array(new SharedArrayBuffer(4));
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(HOLDER, {
    eval: true,
    workerData: { path, driver, state: state.buffer, holdAtMostMs },
  });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  if ((await next()) !== 'held') throw new Error('the holder did not take the lock');
  return {
    state: () => Atomics.load(state, 0),
    release: async () => {
      if (Atomics.load(state, 0) === HELD) {
        const released = next();
        worker.postMessage('release');
        await released;
      }
      await worker.terminate();
    },
  };
}

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A migrated catalogue file opened as the server opens it. */
function serverDatabase(): { db: Db; path: string } {
  dir = mkdtempSync(join(tmpdir(), 'second-writer-'));
  const path = join(dir, 'catalogue.db');
  const db = openDatabase(path, { busyTimeoutMs: SERVER_BUSY_TIMEOUT_MS });
  runMigrations(db);
  return { db, path };
}

describe('a second writer on the catalogue file', () => {
  it('gets writes answered 503 at once while reads and key checks go on', async () => {
    const { db, path } = serverDatabase();
    const editor = { authorization: `Bearer ${createApiKey(db, 'editor', 'editor').secret}` };
    const idle = createApiKey(db, 'used-while-busy', 'editor');
    const t = await openTestApp({ db });
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: trialBody(),
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;

    const holder = await holdWriteLock(path);
    try {
      const write = await t.app.inject({
        method: 'POST',
        url: '/trials',
        headers: editor,
        payload: trialBody(),
      });
      expect(holder.state()).toBe(HELD);
      expect(write.statusCode, write.body).toBe(503);
      expect(write.headers['retry-after']).toBe('1');
      expect(write.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(write.json().detail).toMatch(/busy with another write/);
      // The key check of a key whose use cannot be stored now still admits it (then the write is busy).
      const other = await t.app.inject({
        method: 'DELETE',
        url: `/trials/${id}`,
        headers: { authorization: `Bearer ${idle.secret}` },
      });
      expect(other.statusCode).toBe(403);
      const read = await t.app.inject({ url: `/trials/${id}` });
      expect(read.statusCode).toBe(200);
      expect(read.json().id).toBe(id);
      const health = await t.app.inject({ url: '/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json().status).toBe('ok');
      expect(holder.state()).toBe(HELD);
    } finally {
      await holder.release();
    }
    const retried = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: trialBody(),
    });
    expect(retried.statusCode).toBe(201);
    await t.close();
    // The use noted while the database was busy is stored when the server closes.
    const after = openDatabase(path);
    expect(listApiKeys(after).find((k) => k.name === 'used-while-busy')?.lastUsedAt).toEqual(
      expect.any(String),
    );
    closeDatabase(after);
  });
});

describe('recording key use', () => {
  it('never waits or fails while busy, stores a use at most once a minute, and the rest on flush', () => {
    const { db, path } = serverDatabase();
    const { key } = createApiKey(db, 'curator', 'editor');
    const stored = () => listApiKeys(db)[0]?.lastUsedAt;
    const log = new KeyUseLog(db, 60_000);
    const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, seconds));
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    expect(log.note(key, at(0)).lastUsedAt).toBe(at(0).toISOString());
    expect(stored()).toBeNull();
    other.exec('ROLLBACK');
    other.close();
    log.note(key, at(10));
    expect(stored()).toBe(at(10).toISOString());
    log.note(key, at(20));
    expect(stored()).toBe(at(10).toISOString());
    log.flush(at(20));
    expect(stored()).toBe(at(20).toISOString());
    log.note(key, at(50));
    expect(stored()).toBe(at(20).toISOString());
    log.note(key, at(85));
    expect(stored()).toBe(at(85).toISOString());
    closeDatabase(db);
  });
});
