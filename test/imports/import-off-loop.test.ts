import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { createApiKey } from '../../src/store/api-keys';
import { type RunningServer, startServer } from '../helpers/start-server';
import { trialBody } from '../helpers/trial-fixtures';

/** Large enough that applying it holds the write lock for far longer than a read takes. */
const TRIALS = 4_000;

let server: RunningServer;
let secret: string;
beforeAll(async () => {
  server = await startServer();
  const db = openDatabase(server.databasePath);
  secret = createApiKey(db, 'bulk-importer', 'editor').secret;
  closeDatabase(db);
}, 60_000);
afterAll(() => server?.stop());

/** True while another connection holds the catalogue's write lock: the import is being applied. */
function writeLockHeld(probe: Database.Database): boolean {
  try {
    probe.exec('BEGIN IMMEDIATE');
    probe.exec('ROLLBACK');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw error;
  }
}

async function storedTrials(): Promise<number> {
  const res = await fetch(`${server.url}/trials?countTotal=true&limit=1`);
  return ((await res.json()) as { page: { total: number } }).page.total;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a large import on a catalogue file', () => {
  it('leaves GET /health and GET /trials/{id} answering while it is applied', async () => {
    const { data } = (await (await fetch(`${server.url}/trials?limit=1`)).json()) as {
      data: { id: string }[];
    };
    const storedId = data[0]?.id as string;
    const before = (await (await fetch(`${server.url}/health`)).json()) as { dataVersion: number };
    const trialsBefore = await storedTrials();
    const bundle = {
      trials: Array.from({ length: TRIALS }, (_, i) => trialBody({ title: `Bulk-loaded test trial ${i}` })),
    };
    const finished: string[] = [];
    let importSettled = false;
    const importing = fetch(`${server.url}/imports?format=bundle`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(bundle),
    }).then(async (res) => {
      finished.push('import');
      return { status: res.status, body: (await res.json()) as { created: number } };
    });
    void importing.finally(() => {
      importSettled = true;
    });

    // The reads are sent only once the import holds the write lock, i.e. while it is being applied.
    const probe = new Database(server.databasePath);
    probe.pragma('busy_timeout = 0');
    let applying = false;
    try {
      for (let i = 0; i < 6_000 && !importSettled && !applying; i++) {
        applying = writeLockHeld(probe);
        if (!applying) await pause(5);
      }
    } finally {
      probe.close();
    }
    expect(applying, 'the import was never seen holding the write lock').toBe(true);

    const read = (name: string, path: string) =>
      fetch(`${server.url}${path}`).then((res) => {
        finished.push(name);
        return res.status;
      });
    const [health, trial, imported] = await Promise.all([
      read('health', '/health'),
      read('trial', `/trials/${storedId}`),
      importing,
    ]);
    expect([health, trial, imported.status]).toEqual([200, 200, 200]);
    expect(imported.body.created).toBe(TRIALS);
    expect(finished.slice(0, 2).sort()).toEqual(['health', 'trial']);
    expect(finished[2]).toBe('import');

    // What the import thread committed is what the server's own connection reads next.
    const after = (await (await fetch(`${server.url}/health`)).json()) as { dataVersion: number };
    expect(after.dataVersion).toBeGreaterThan(before.dataVersion);
    expect(await storedTrials()).toBe(trialsBefore + TRIALS);
  }, 120_000);
});
