import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killServer, type ServerProcess, spawnServer } from '../helpers/start-server';
import { trialBody } from '../helpers/trial-fixtures';
import { integrityCheck, prepareDatabase } from './database-file';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
let databasePath: string;
let secret: string;
let server: ServerProcess | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'catalogue-shutdown-'));
  databasePath = join(dir, 'catalogue.db');
  secret = prepareDatabase(databasePath, 'editor');
});
afterEach(async () => {
  await killServer(server);
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts a POST /trials whose body arrives in two halves: the request is in flight (headers read,
 * body pending) until `finish` sends the rest.
 */
function slowCreate(url: string, title: string) {
  const body = Buffer.from(JSON.stringify(trialBody({ title })));
  const half = Math.floor(body.length / 2);
  const { hostname, port } = new URL(url);
  let finish = () => {};
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method: 'POST',
        path: '/trials',
        headers: {
          authorization: `Bearer ${secret}`,
          'content-type': 'application/json',
          'content-length': body.length,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.subarray(0, half));
    finish = () => req.end(body.subarray(half));
  });
  return { answered, finish: () => finish() };
}

function walSize(path: string): number {
  return existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0;
}

function titles(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT title FROM trials ORDER BY title').all() as { title: string }[]).map(
      (r) => r.title,
    );
  } finally {
    db.close();
  }
}

describe('graceful shutdown', () => {
  it('on SIGTERM refuses new connections, finishes the request in flight, checkpoints and exits 0', async () => {
    server = await spawnServer(databasePath, { SHUTDOWN_TIMEOUT_MS: '8000' });
    const inFlight = slowCreate(server.url, 'Written during shutdown');
    await pause(300); // the server has read the headers and waits for the body

    const startedAt = Date.now();
    server.child.kill('SIGTERM');
    await pause(300);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow(); // no longer accepting connections

    inFlight.finish();
    const answer = await inFlight.answered;
    expect(answer.status, answer.body).toBe(201);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - startedAt).toBeLessThan(5000);

    expect(walSize(databasePath)).toBe(0);
    expect(integrityCheck(databasePath)).toBe('ok');
    expect(titles(databasePath)).toContain('Written during shutdown');
    expect(server.output()).toMatch(/closed: no request in flight, database checkpointed/);
  });

  it('on SIGINT gives a stalled request SHUTDOWN_TIMEOUT_MS, then cuts it and still closes cleanly', async () => {
    server = await spawnServer(databasePath, { SHUTDOWN_TIMEOUT_MS: '1000' });
    const stalled = slowCreate(server.url, 'Never finished');
    const outcome = stalled.answered.then(
      (a) => `answered ${a.status}`,
      () => 'cut',
    );
    await pause(300);

    const startedAt = Date.now();
    server.child.kill('SIGINT');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    const took = Date.now() - startedAt;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(4000);
    expect(await outcome).toBe('cut');

    expect(walSize(databasePath)).toBe(0);
    expect(integrityCheck(databasePath)).toBe('ok');
    expect(titles(databasePath)).not.toContain('Never finished');
  });
});
