import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeed } from '../../seed/load-seed';
import { closeDatabase, openDatabase } from '../../src/db/client';
import type { ImportReport } from '../../src/imports/types';
import { createApiKey } from '../../src/store/api-keys';
import { freshDb, openTestApp, type TestApp } from '../helpers/build-test-app';
import { type RunningServer, startServer } from '../helpers/start-server';
import { bearer } from '../writes/support';
import { REAL_CTGOV, readText } from './support';

/**
 * The same imports sent to the real server over a catalogue file (run on its import thread) and
 * to the app over an in-memory catalogue (run inline), both seeded alike: each answers the same.
 */
const MAX_RECORDS = 50;
const REGISTRY_BUNDLE = readFileSync(new URL('../fixtures/registry-trials.json', import.meta.url), 'utf8');
const REAL_CTGOV_FILES = ['NCT00763412.json', 'NCT02210780.json', 'NCT02513394.json', 'NCT05594173.json'];

let server: RunningServer;
let serverKey: Record<string, string>;
let inline: TestApp;
let inlineKey: Record<string, string>;
beforeAll(async () => {
  server = await startServer({ IMPORT_MAX_RECORDS: String(MAX_RECORDS) });
  const db = openDatabase(server.databasePath);
  serverKey = bearer(createApiKey(db, 'importer', 'editor').secret);
  closeDatabase(db);
  const memory = freshDb();
  loadSeed(memory);
  inline = await openTestApp({ db: memory, config: { IMPORT_MAX_RECORDS: MAX_RECORDS } });
  inlineKey = bearer(createApiKey(memory, 'importer', 'editor').secret);
}, 60_000);
afterAll(() => server?.stop());

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: ImportReport & { errors?: unknown[] };
}

async function viaThread(query: string, body: string, contentType = 'application/json'): Promise<Answer> {
  const res = await fetch(`${server.url}/imports?${query}`, {
    method: 'POST',
    headers: { ...serverKey, 'content-type': contentType },
    body,
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after') ?? undefined,
    body: (await res.json()) as Answer['body'],
  };
}

async function inlineAnswer(query: string, body: string, contentType = 'application/json'): Promise<Answer> {
  const res = await inline.app.inject({
    method: 'POST',
    url: `/imports?${query}`,
    headers: { ...inlineKey, 'content-type': contentType },
    payload: body,
  });
  const retryAfter = res.headers['retry-after'];
  return {
    status: res.statusCode,
    retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
    body: res.json(),
  };
}

/** Both answers; the ids of trials an import created are drawn at random, so each is checked and set aside. */
async function both(query: string, body: string): Promise<[Answer, Answer]> {
  const answers = [await viaThread(query, body), await inlineAnswer(query, body)] as [Answer, Answer];
  for (const answer of answers)
    for (const record of answer.body.records ?? [])
      if (record.outcome === 'CREATED' && record.id !== null) {
        expect(record.id).toMatch(/\S/);
        record.id = '(created)';
      }
  return answers;
}

describe('POST /imports on the import thread answers as the inline import does', () => {
  it('a real registry bundle (test/fixtures/registry-trials.json), as a dry run and for real', async () => {
    for (const dryRun of [true, false]) {
      const [thread, memory] = await both(`format=bundle&dryRun=${dryRun}`, REGISTRY_BUNDLE);
      expect(thread.status, JSON.stringify(thread.body)).toBe(200);
      expect(thread.body.records).toHaveLength(5);
      expect(thread).toEqual(memory);
    }
  });

  it('real ClinicalTrials.gov records: skipped, then created, and seen by the reads and the cached counts', async () => {
    const studies = `[${REAL_CTGOV_FILES.map((file) => readText(REAL_CTGOV, file)).join(',')}]`;
    const skipped = await both('format=ctgov', studies);
    expect(skipped[0].body).toMatchObject({ created: 0, skipped: 4 });
    expect(skipped[0]).toEqual(skipped[1]);

    const counts = async () =>
      ((await (await fetch(`${server.url}/summaries/counts`)).json()) as { total: number }).total;
    const countedBefore = await counts();
    const created = await both('format=ctgov&allowOffTopic=true', studies);
    expect(created[0].body).toMatchObject({ created: 4, skipped: 0 });
    expect(created[0]).toEqual(created[1]);
    // The import committed on its own connection; the server's reads and its analysis cache see it.
    expect(await counts()).toBe(countedBefore + 4);
    const [nctId] = REAL_CTGOV_FILES[0]?.split('.') ?? [];
    const listed = await fetch(`${server.url}/trials?registryId=${nctId}`);
    expect(((await listed.json()) as { data: unknown[] }).data).toHaveLength(1);
  });

  it('a refused import: the same 400 problem with its report, and nothing written', async () => {
    const bundle = JSON.parse(REGISTRY_BUNDLE) as { trials: Record<string, unknown>[] };
    bundle.trials[1] = { ...bundle.trials[1], studyType: 'NOT_A_STUDY_TYPE' };
    const healthBefore = await (await fetch(`${server.url}/health`)).json();
    const [thread, memory] = await both('format=bundle', JSON.stringify(bundle));
    expect(thread.status).toBe(400);
    expect(thread.body.rejected[0]).toMatchObject({ index: 1, path: '/studyType' });
    expect(thread.body.errors).toEqual([{ path: '/trials/1/studyType', message: expect.any(String) }]);
    expect(thread).toEqual(memory);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual(healthBefore);
  });

  it('more records than IMPORT_MAX_RECORDS: the same 400', async () => {
    const body = JSON.stringify({ trials: Array.from({ length: MAX_RECORDS + 1 }, () => ({})) });
    const [thread, memory] = await both('format=bundle', body);
    expect(thread.status).toBe(400);
    expect(String((thread.body as { detail?: string }).detail)).toContain(`at most ${MAX_RECORDS}`);
    expect(thread).toEqual(memory);
  });

  it('a catalogue held by another writer answers 503 with Retry-After, and the retry imports', async () => {
    const other = new Database(server.databasePath);
    try {
      other.exec('BEGIN IMMEDIATE');
      const busy = await viaThread('format=bundle', REGISTRY_BUNDLE);
      expect(busy.status).toBe(503);
      expect(busy.retryAfter).toBe('1');
      expect(busy.body).toMatchObject({ status: 503, title: expect.any(String) });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await viaThread('format=bundle&dryRun=true', REGISTRY_BUNDLE)).status).toBe(200);
  }, 30_000);

  it('beyond one running import and four waiting, an import is answered 503 at once', async () => {
    // The import thread is up from the start: the first import goes straight to it,
    // waits there for the lock, and the next four wait in the queue.
    const other = new Database(server.databasePath);
    let answers: Promise<Answer>[] = [];
    try {
      other.exec('BEGIN IMMEDIATE');
      let settled = 0;
      const refusalsIn = new Promise<void>((resolve) => {
        answers = Array.from({ length: 8 }, () =>
          viaThread('format=bundle&dryRun=true', REGISTRY_BUNDLE).finally(() => {
            if (++settled === 3) resolve();
          }),
        );
      });
      // The refusals answer while the lock is still held; the five accepted imports wait for it.
      await refusalsIn;
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    const statuses = (await Promise.all(answers)).map((a) => `${a.status} ${a.retryAfter ?? ''}`.trim());
    expect(statuses.filter((s) => s === '503 5')).toHaveLength(3);
    expect(statuses.filter((s) => s === '200')).toHaveLength(5);
  }, 30_000);
});
