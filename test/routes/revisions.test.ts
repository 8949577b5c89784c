import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { trialBody } from '../helpers/trial-fixtures';
import { buildLoggedApp, expectProblem, keyHeader, type WriteTestApp } from '../writes/support';

let t: WriteTestApp;
let editor: Record<string, string>;
let admin: Record<string, string>;
let trialId: string;
let otherId: string;
const documents = new Map<number, Trial>();

async function write(method: 'POST' | 'PUT', url: string, body: object, version?: number): Promise<Trial> {
  const headers = version === undefined ? editor : { ...editor, 'if-match': `"v${version}"` };
  const res = await t.app.inject({ method, url, headers, payload: body });
  expect(res.statusCode, res.body).toBe(method === 'POST' ? 201 : 200);
  return res.json() as Trial;
}

beforeAll(async () => {
  t = await buildLoggedApp();
  editor = keyHeader(t.db, 'editor-1', 'editor');
  admin = keyHeader(t.db, 'admin-1', 'admin');
  let trial = await write('POST', '/trials', trialBody({ title: 'Edit 1' }));
  trialId = trial.id;
  documents.set(1, trial);
  for (let i = 2; i <= 60; i++) {
    trial = await write('PUT', `/trials/${trialId}`, trialBody({ title: `Edit ${i}` }), trial.version);
    documents.set(trial.version, trial);
  }
  otherId = (await write('POST', '/trials', trialBody({ title: 'Other' }))).id;
});
afterAll(() => t.close());

describe('GET /trials/{id}/revisions', () => {
  it('pages 60 versions as 25/25/10, newest first, chained by cursor with Link, without duplicates', async () => {
    const sizes: number[] = [];
    const versions: number[] = [];
    let url: string | null = `/trials/${trialId}/revisions`;
    while (url) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body.length).toBeLessThan(5000);
      const body = res.json() as {
        data: Record<string, unknown>[];
        page: { limit: number; nextCursor: string | null };
      };
      expect(body.page.limit).toBe(25);
      for (const row of body.data) {
        expect(Object.keys(row).sort()).toEqual([
          'action',
          'changedAt',
          'changedBy',
          'channel',
          'note',
          'version',
        ]);
        // Every one of these versions was written through the HTTP API, without a note.
        expect(row).toMatchObject({ channel: 'API', note: null });
        versions.push(row.version as number);
      }
      sizes.push(body.data.length);
      const link = res.headers.link as string | undefined;
      if (body.page.nextCursor === null) expect(link).toBeUndefined();
      else expect(link).toContain(`cursor=${body.page.nextCursor}`);
      url = body.page.nextCursor
        ? `/trials/${trialId}/revisions?cursor=${encodeURIComponent(body.page.nextCursor)}`
        : null;
    }
    expect(sizes).toEqual([25, 25, 10]);
    expect(versions).toEqual(Array.from({ length: 60 }, (_, i) => 60 - i));
  });

  it('takes limit 1 to 500 and refuses others', async () => {
    const res = await t.app.inject({ url: `/trials/${trialId}/revisions?limit=500` });
    expect(res.json().data).toHaveLength(60);
    expect(res.json().page.nextCursor).toBeNull();
    for (const limit of ['0', '501', 'x'])
      expectProblem(await t.app.inject({ url: `/trials/${trialId}/revisions?limit=${limit}` }), 400);
  });

  it('refuses a cursor reused on another trial with 400', async () => {
    const first = (await t.app.inject({ url: `/trials/${trialId}/revisions?limit=5` })).json();
    const cursor = encodeURIComponent(first.page.nextCursor as string);
    const res = await t.app.inject({ url: `/trials/${otherId}/revisions?cursor=${cursor}` });
    const body = expectProblem(res, 400);
    expect(body.errors?.map((e) => e.path)).toEqual(['/query/cursor']);
    const list = await t.app.inject({ url: `/trials?cursor=${cursor}` });
    expectProblem(list, 400);
  });

  it('answers 404 for an unknown trial', async () => {
    expectProblem(await t.app.inject({ url: '/trials/tr_doesnotexist/revisions' }), 404);
  });
});

describe('GET /trials/{id}/revisions/{version}', () => {
  it('returns the exact document of each version', async () => {
    for (const version of [1, 2, 30, 60]) {
      const res = await t.app.inject({ url: `/trials/${trialId}/revisions/${version}` });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        version,
        action: version === 1 ? 'CREATE' : 'UPDATE',
        changedBy: 'editor-1',
      });
      expect(typeof body.changedAt).toBe('string');
      expect(body.snapshot).toEqual(documents.get(version));
    }
  });

  it('answers 404 for an unknown version, 400 for a malformed one', async () => {
    expectProblem(await t.app.inject({ url: `/trials/${trialId}/revisions/61` }), 404);
    expectProblem(await t.app.inject({ url: '/trials/tr_doesnotexist/revisions/1' }), 404);
    expectProblem(await t.app.inject({ url: `/trials/${trialId}/revisions/0` }), 400);
    expectProblem(await t.app.inject({ url: `/trials/${trialId}/revisions/1.5` }), 400);
  });

  it('keeps a deleted trial’s revisions readable', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/trials/${otherId}`,
      headers: admin,
    });
    expect(res.statusCode).toBe(204);
    const list = (await t.app.inject({ url: `/trials/${otherId}/revisions` })).json();
    expect(list.data.map((r: { action: string }) => r.action)).toEqual(['DELETE', 'CREATE']);
    const created = await t.app.inject({ url: `/trials/${otherId}/revisions/1` });
    expect(created.json().snapshot.title).toBe('Other');
  });
});
