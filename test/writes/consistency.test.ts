import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import type { Trial } from '../../src/schemas/trial';
import { dataVersion } from '../../src/store/trial-store';
import { trialBody } from '../helpers/trial-fixtures';
import {
  allStoredText,
  buildLoggedApp,
  expectProblem,
  keyHeader,
  latestRevision,
  rowCounts,
  type WriteTestApp,
} from './support';

let t: WriteTestApp;
afterEach(() => t?.close());

const resultsBody = (notes: string[]) =>
  trialBody({
    arms: [
      {
        label: 'Cells',
        type: 'EXPERIMENTAL',
        participants: 30,
        cellSource: 'ADIPOSE',
        cellType: 'MSC',
        donor: 'ALLOGENEIC',
        route: 'INTRAVENOUS',
      },
      { label: 'Control', type: 'NO_INTERVENTION', participants: 30, comparator: 'NONE' },
    ],
    registryIds: ['NCT09999999'],
    bmdResults: notes.map((note, i) => ({
      armLabel: i % 2 ? 'Control' : 'Cells',
      site: 'FEMORAL_NECK',
      metric: 'ABSOLUTE_CHANGE',
      method: 'DXA',
      timepointMonths: 6 + i,
      n: 10,
      mean: 0.01 * i,
      sd: 0.02,
      note,
    })),
  });

describe('two clients replacing the same version', () => {
  it('lets exactly one win; the other gets 412 and nothing of its body is stored', async () => {
    t = await buildLoggedApp();
    const alice = keyHeader(t.db, 'alice', 'editor');
    const bob = keyHeader(t.db, 'bob', 'editor');
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: alice,
      payload: trialBody(),
    });
    const { id } = created.json() as Trial;
    const etag = created.headers.etag as string;

    const [a, b] = await Promise.all([
      t.app.inject({
        method: 'PUT',
        url: `/trials/${id}`,
        headers: { ...alice, 'if-match': etag },
        payload: trialBody({ title: 'Alice’s title', sponsor: 'ALICE-SPONSOR-MARK' }),
      }),
      t.app.inject({
        method: 'PUT',
        url: `/trials/${id}`,
        headers: { ...bob, 'if-match': etag },
        payload: trialBody({ title: 'Bob’s title', sponsor: 'BOB-SPONSOR-MARK' }),
      }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 412]);
    const [winner, loser] = a.statusCode === 200 ? ['ALICE', 'BOB'] : ['BOB', 'ALICE'];
    expectProblem(a.statusCode === 412 ? a : b, 412);

    const current = (await t.app.inject({ url: `/trials/${id}` })).json() as Trial;
    expect(current).toMatchObject({ version: 2, sponsor: `${winner}-SPONSOR-MARK` });
    const revisions = (await t.app.inject({ url: `/trials/${id}/revisions` })).json().data as unknown[];
    expect(revisions).toHaveLength(2);
    expect(allStoredText(t.db)).not.toContain(`${loser}-SPONSOR-MARK`);
  });

  it('holds under many concurrent writers: one success per version, every other a 412', async () => {
    t = await buildLoggedApp();
    const key = keyHeader(t.db, 'crowd', 'editor');
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: key,
      payload: trialBody(),
    });
    const { id } = created.json() as Trial;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.app.inject({
          method: 'PUT',
          url: `/trials/${id}`,
          headers: { ...key, 'if-match': '"v1"' },
          payload: trialBody({ title: `Writer ${i}` }),
        }),
      ),
    );
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 412)).toHaveLength(19);
    const winner = answers.find((r) => r.statusCode === 200)?.json() as Trial;
    expect((await t.app.inject({ url: `/trials/${id}` })).json()).toEqual(winner);
  });
});

describe('a write that fails half-way', () => {
  /** A constraint the app does not know about, failing on the last result row only. */
  function armTrigger() {
    t.db.$client.exec(`CREATE TRIGGER fail_last_result BEFORE INSERT ON bmd_results
      WHEN NEW.note = 'FAIL-HERE' BEGIN SELECT RAISE(ABORT, 'forced failure for a test'); END`);
  }

  function snapshot() {
    return {
      counts: rowCounts(t.db),
      dataVersion: dataVersion(t.db),
      documents: t.db.$client
        .prepare(
          'SELECT t.id, t.version, d.document FROM trials t JOIN trial_documents d ON d.trial_id = t.id ORDER BY t.id',
        )
        .all(),
      revisions: t.db.$client.prepare('SELECT * FROM revisions ORDER BY trial_id, version').all(),
      fts: t.db.$client.prepare('SELECT rowid, * FROM trials_fts ORDER BY rowid').all(),
    };
  }

  it('on create: answers a 500 problem without a stack trace, and leaves the database as before', async () => {
    t = await buildLoggedApp();
    const key = keyHeader(t.db, 'ed', 'editor');
    await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: key,
      payload: trialBody({ title: 'Kept' }),
    });
    armTrigger();
    const before = snapshot();
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: key,
      payload: resultsBody(['first', 'second', 'FAIL-HERE']),
    });
    const body = expectProblem(res, 500);
    expect(res.body).not.toContain('forced failure');
    expect(res.body).not.toContain('SQLITE');
    expect(body.detail).toBe('The server failed to answer this request.');
    expect(snapshot()).toEqual(before);
    expect(t.logs()).toContain('forced failure for a test'); // the operator still sees why
  });

  it('on replace: keeps the previous version, its children and its revision as the latest', async () => {
    t = await buildLoggedApp();
    const key = keyHeader(t.db, 'ed', 'editor');
    const created = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: key,
      payload: resultsBody(['a', 'b']),
    });
    const previous = created.json() as Trial;
    const previousRevision = latestRevision(t.db, previous.id);
    armTrigger();
    const before = snapshot();
    const res = await t.app.inject({
      method: 'PUT',
      url: `/trials/${previous.id}`,
      headers: { ...key, 'if-match': '"v1"' },
      payload: resultsBody(['c', 'd', 'e', 'FAIL-HERE']),
    });
    expectProblem(res, 500);
    expect(snapshot()).toEqual(before);
    expect(latestRevision(t.db, previous.id)).toEqual(previousRevision);
    const read = await t.app.inject({ url: `/trials/${previous.id}` });
    expect(read.json()).toEqual(previous);
    expect(read.headers.etag).toBe('"v1"');
    const bmd = await t.app.inject({ url: '/bmd-results' });
    expect((bmd.json().data as { note: string }[]).map((r) => r.note).sort()).toEqual(['a', 'b']);
  });
});

describe('a database held by another process', () => {
  it('answers 503 with Retry-After instead of waiting forever or failing with a 500', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'busy-db-'));
    const path = join(dir, 'catalogue.db');
    const db = openDatabase(path);
    runMigrations(db);
    t = await buildLoggedApp({}, db);
    const key = keyHeader(t.db, 'ed', 'editor');
    t.db.$client.pragma('busy_timeout = 50');
    const other = new Database(path);
    try {
      other.exec('BEGIN IMMEDIATE');
      const res = await t.app.inject({ method: 'POST', url: '/trials', headers: key, payload: trialBody() });
      expectProblem(res, 503);
      expect(res.headers['retry-after']).toBe('1');
      other.exec('ROLLBACK');
      const retried = await t.app.inject({
        method: 'POST',
        url: '/trials',
        headers: key,
        payload: trialBody(),
      });
      expect(retried.statusCode).toBe(201);
    } finally {
      other.close();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
