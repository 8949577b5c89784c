import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { dataVersion } from '../../src/store/trial-store';
import { trialBody } from '../helpers/trial-fixtures';
import { buildLoggedApp, expectProblem, keyHeader, rowCounts, type WriteTestApp } from './support';

let t: WriteTestApp;
let editor: Record<string, string>;
let admin: Record<string, string>;

beforeEach(async () => {
  t = await buildLoggedApp();
  editor = keyHeader(t.db, 'editor-1', 'editor');
  admin = keyHeader(t.db, 'admin-1', 'admin');
});
afterEach(() => t.close());

const withResults = () =>
  trialBody({
    registryIds: ['NCT01234567'],
    arms: [
      {
        label: 'Cells',
        type: 'EXPERIMENTAL',
        participants: 20,
        cellSource: 'BONE_MARROW',
        cellType: 'MSC',
        donor: 'AUTOLOGOUS',
        route: 'INTRAVENOUS',
      },
      { label: 'Placebo', type: 'PLACEBO_COMPARATOR', participants: 18, comparator: 'PLACEBO' },
    ],
    bmdResults: [
      {
        armLabel: 'Cells',
        site: 'LUMBAR_SPINE',
        metric: 'PERCENT_CHANGE',
        method: 'DXA',
        timepointMonths: 12,
        n: 20,
        mean: 3.1,
        sd: 1.2,
      },
      {
        armLabel: 'Placebo',
        site: 'LUMBAR_SPINE',
        metric: 'PERCENT_CHANGE',
        method: 'DXA',
        timepointMonths: 12,
        n: 18,
        mean: 0.4,
        se: 0.3,
      },
    ],
  });

type ArmBody = ReturnType<typeof trialBody>['arms'][number];

/** The fixture's cell-therapy arm, changed as a test needs. */
function cellArm(overrides: Partial<ArmBody> = {}): ArmBody {
  const [arm] = trialBody().arms;
  if (!arm) throw new Error('the fixture has an arm');
  return { ...arm, ...overrides };
}

async function create(body: object = trialBody()) {
  const res = await t.app.inject({ method: 'POST', url: '/trials', headers: editor, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Trial;
}

/** The revisions list, each entry with its snapshot from GET /trials/{id}/revisions/{version}. */
async function revisions(id: string) {
  const list = (await t.app.inject({ url: `/trials/${id}/revisions` })).json().data as { version: number }[];
  return Promise.all(
    list.map(
      async (r) =>
        (await t.app.inject({ url: `/trials/${id}/revisions/${r.version}` })).json() as {
          version: number;
          action: string;
          changedBy: string;
          snapshot: Trial;
        },
    ),
  );
}

describe('POST /trials', () => {
  it('creates: 201, the bare Trial, Location, ETag, a CREATE revision by the key and a new dataVersion', async () => {
    const before = dataVersion(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: withResults(),
    });
    expect(res.statusCode).toBe(201);
    const trial = res.json() as Trial;
    expect(res.headers.location).toBe(`/trials/${trial.id}`);
    expect(res.headers.etag).toBe('"v1"');
    expect(trial).toMatchObject({ version: 1, title: 'Test trial', registryIds: ['NCT01234567'] });
    expect(trial.bmdResults[0]).toMatchObject({
      armId: trial.arms[0]?.id,
      sdEffective: 1.2,
      sdSource: 'REPORTED',
    });
    expect(trial.bmdResults[1]).toMatchObject({ armId: trial.arms[1]?.id, sdSource: 'FROM_SE' });
    const read = await t.app.inject({ url: res.headers.location as string });
    expect(read.json()).toEqual(trial);
    expect(read.headers.etag).toBe('"v1"');
    const [rev] = await revisions(trial.id);
    expect(rev).toMatchObject({ version: 1, action: 'CREATE', changedBy: 'editor-1', snapshot: trial });
    expect(dataVersion(t.db)).toBe(before + 1);
  });

  it('ignores read-only fields: no client sets an id, a version or derived values', async () => {
    const trial = await create({
      ...withResults(),
      id: 'chosen_by_client',
      version: 99,
      createdAt: '1999-01-01T00:00:00Z',
      updatedAt: '1999-01-01T00:00:00Z',
    });
    expect(trial.id).not.toBe('chosen_by_client');
    expect(trial.version).toBe(1);
    expect(trial.createdAt).not.toContain('1999');
    expect((await t.app.inject({ url: '/trials/chosen_by_client' })).statusCode).toBe(404);
  });

  it('refuses any other unknown field with 400 naming its JSON path', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: { ...trialBody(), colour: 'blue', arms: [{ ...cellArm(), flavour: 'x' }] },
    });
    const body = expectProblem(res, 400);
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['/arms/0/flavour', '/colour']);
  });

  it.each([
    [
      'a result naming no arm of the trial',
      {
        bmdResults: [
          {
            armLabel: 'Nope',
            site: 'LUMBAR_SPINE',
            metric: 'PERCENT_CHANGE',
            timepointMonths: 6,
            n: 5,
            mean: 1,
          },
        ],
      },
      '/bmdResults/0/armLabel',
    ],
    [
      'n above the arm’s participants',
      {
        bmdResults: [
          {
            armLabel: 'Cells',
            site: 'LUMBAR_SPINE',
            metric: 'PERCENT_CHANGE',
            timepointMonths: 6,
            n: 21,
            mean: 1,
          },
        ],
      },
      '/bmdResults/0/n',
    ],
    [
      'a negative SD',
      {
        bmdResults: [
          {
            armLabel: 'Cells',
            site: 'LUMBAR_SPINE',
            metric: 'PERCENT_CHANGE',
            timepointMonths: 6,
            n: 5,
            mean: 1,
            sd: -0.1,
          },
        ],
      },
      '/bmdResults/0/sd',
    ],
    [
      'a negative SE',
      {
        bmdResults: [
          {
            armLabel: 'Cells',
            site: 'LUMBAR_SPINE',
            metric: 'PERCENT_CHANGE',
            timepointMonths: 6,
            n: 5,
            mean: 1,
            se: -1,
          },
        ],
      },
      '/bmdResults/0/se',
    ],
    [
      'ciLower not below ciUpper',
      {
        bmdResults: [
          {
            armLabel: 'Cells',
            site: 'LUMBAR_SPINE',
            metric: 'PERCENT_CHANGE',
            timepointMonths: 6,
            n: 5,
            mean: 1,
            ciLower: 2,
            ciUpper: 2,
          },
        ],
      },
      '/bmdResults/0/ciLower',
    ],
    ['a date that is not a partial ISO date', { startDate: '2015-13' }, '/startDate'],
    ['a malformed NCT id', { registryIds: ['NCT123'] }, '/registryIds/0'],
    ['a repeated arm label', { arms: [cellArm(), cellArm()] }, '/arms/1/label'],
    ['no arms', { arms: [] }, '/arms'],
    ['a wrong enum value', { studyType: 'GUESSWORK' }, '/studyType'],
  ])('refuses %s with 400 naming the path', async (_label, override, path) => {
    const before = rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: trialBody(override as object),
    });
    const body = expectProblem(res, 400);
    expect(body.errors?.map((e) => e.path)).toContain(path);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('refuses a registry id another trial holds with 409 naming that trial', async () => {
    const first = await create(trialBody({ registryIds: ['NCT02566655'] }));
    const before = rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: trialBody({ registryIds: ['ChiCTR2000000009', 'nct02566655'] }),
    });
    const body = expectProblem(res, 409);
    expect(body.errors).toEqual([{ path: '/registryIds/1', message: expect.stringContaining(first.id) }]);
    expect(rowCounts(t.db)).toEqual(before);
  });

  it('refuses an arm id that belongs to another trial with 409 naming that trial', async () => {
    const first = await create();
    const res = await t.app.inject({
      method: 'POST',
      url: '/trials',
      headers: editor,
      payload: trialBody({ arms: [cellArm({ id: first.arms[0]?.id as string })] }),
    });
    const body = expectProblem(res, 409);
    expect(body.errors).toEqual([{ path: '/arms/0/id', message: expect.stringContaining(first.id) }]);
  });

  it('takes JSON only: another media type is a 415 problem', async () => {
    for (const [type, payload] of [
      ['text/plain', 'hello'],
      ['text/csv', 'title\nx'],
      ['application/x-www-form-urlencoded', 'title=x'],
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/trials',
        headers: { ...editor, 'content-type': type as string },
        payload,
      });
      expectProblem(res, 415);
    }
  });

  it('answers malformed JSON and an empty body with 400 problems', async () => {
    const headers = { ...editor, 'content-type': 'application/json' };
    expectProblem(await t.app.inject({ method: 'POST', url: '/trials', headers, payload: '{"title":' }), 400);
    expectProblem(await t.app.inject({ method: 'POST', url: '/trials', headers: editor }), 400);
  });

  it('answers a body over BODY_LIMIT_BYTES with a 413 problem', async () => {
    const small = await buildLoggedApp({ BODY_LIMIT_BYTES: 2048 });
    try {
      const res = await small.app.inject({
        method: 'POST',
        url: '/trials',
        headers: keyHeader(small.db, 'ed', 'editor'),
        payload: trialBody({ briefSummary: 'x'.repeat(4096) }),
      });
      expectProblem(res, 413);
      expect(rowCounts(small.db).trials).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('PUT /trials/{id}', () => {
  it('replaces the whole record when If-Match names the current version', async () => {
    const first = await create(withResults());
    const read = await t.app.inject({ url: `/trials/${first.id}` });
    const edited = { ...(read.json() as Trial), title: 'Replaced', bmdResults: [] };
    const res = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers: { ...editor, 'if-match': read.headers.etag as string },
      payload: edited,
    });
    expect(res.statusCode, res.body).toBe(200);
    const trial = res.json() as Trial;
    expect(res.headers.etag).toBe('"v2"');
    expect(trial).toMatchObject({
      id: first.id,
      version: 2,
      title: 'Replaced',
      bmdResults: [],
      createdAt: first.createdAt,
    });
    expect(trial.arms.map((a) => a.id)).toEqual(first.arms.map((a) => a.id));
    const revs = await revisions(first.id);
    expect(revs.map((r) => [r.version, r.action, r.changedBy])).toEqual([
      [2, 'UPDATE', 'editor-1'],
      [1, 'CREATE', 'editor-1'],
    ]);
    expect(revs[1]?.snapshot).toEqual(first);
  });

  it('accepts a GET body sent back unchanged, and as it changes nothing, writes nothing (SPEC §3)', async () => {
    const first = await create(withResults());
    const read = await t.app.inject({ url: `/trials/${first.id}` });
    const before = { rows: rowCounts(t.db), version: dataVersion(t.db) };
    const res = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers: { ...admin, 'if-match': read.headers.etag as string, 'content-type': 'application/json' },
      payload: read.body,
    });
    expect(res.statusCode, res.body).toBe(200);
    const trial = res.json() as Trial;
    expect(trial.version).toBe(1);
    expect(res.headers.etag).toBe(read.headers.etag);
    expect({ rows: rowCounts(t.db), version: dataVersion(t.db) }).toEqual(before);
    expect(trial.arms).toEqual(first.arms);
    expect(trial.bmdResults.map(({ id: _id, ...rest }) => rest)).toEqual(
      first.bmdResults.map(({ id: _id, ...rest }) => rest),
    );
  });

  it('needs If-Match: 428 without it, and nothing changes', async () => {
    const first = await create();
    const before = rowCounts(t.db);
    const res = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers: editor,
      payload: trialBody({ title: 'x' }),
    });
    expectProblem(res, 428);
    expect(rowCounts(t.db)).toEqual(before);
    expect((await t.app.inject({ url: `/trials/${first.id}` })).json().title).toBe('Test trial');
  });

  it.each([
    ['a stale ETag', '"v0"'],
    ['a weak ETag (If-Match compares strongly)', 'W/"v1"'],
    ['a tag that is not ours', '"abc"'],
  ])('answers 412 for %s, and nothing changes', async (_label, tag) => {
    const first = await create();
    const res = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers: { ...editor, 'if-match': tag },
      payload: trialBody({ title: 'Lost' }),
    });
    const body = expectProblem(res, 412);
    expect(body.detail).toContain('"v1"');
    expect((await revisions(first.id)).length).toBe(1);
  });

  it('accepts a list naming the current version, and *', async () => {
    const first = await create();
    const list = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers: { ...editor, 'if-match': '"v7", "v1"' },
      payload: trialBody({ title: 'Second' }),
    });
    expect(list.statusCode).toBe(200);
    const star = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers: { ...editor, 'if-match': '*' },
      payload: trialBody({ title: 'Third' }),
    });
    expect(star.json()).toMatchObject({ version: 3, title: 'Third' });
  });

  it('answers 404 for an unknown id and 410 for a deleted one', async () => {
    const headers = { ...editor, 'if-match': '"v1"' };
    expectProblem(
      await t.app.inject({ method: 'PUT', url: '/trials/tr_unknown', headers, payload: trialBody() }),
      404,
    );
    const first = await create();
    await t.app.inject({ method: 'DELETE', url: `/trials/${first.id}`, headers: admin });
    expectProblem(
      await t.app.inject({ method: 'PUT', url: `/trials/${first.id}`, headers, payload: trialBody() }),
      410,
    );
  });

  it('validates the whole record (400 with paths) and registry ids across the catalogue (409)', async () => {
    const other = await create(trialBody({ registryIds: ['NCT11111111'] }));
    const first = await create();
    const headers = { ...editor, 'if-match': '"v1"' };
    const invalid = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers,
      payload: trialBody({ arms: [cellArm({ participants: -1 })] }),
    });
    expect(expectProblem(invalid, 400).errors?.map((e) => e.path)).toEqual(['/arms/0/participants']);
    const clash = await t.app.inject({
      method: 'PUT',
      url: `/trials/${first.id}`,
      headers,
      payload: trialBody({ registryIds: ['NCT11111111'] }),
    });
    expect(expectProblem(clash, 409).errors?.[0]?.message).toContain(other.id);
    const ownIds = await t.app.inject({
      method: 'PUT',
      url: `/trials/${other.id}`,
      headers,
      payload: trialBody({ registryIds: ['NCT11111111'] }),
    });
    expect(ownIds.statusCode).toBe(200);
  });
});

describe('DELETE /trials/{id}', () => {
  it('deletes (204); the trial then answers 410, its revisions stay, the list forgets it', async () => {
    const first = await create(withResults());
    const res = await t.app.inject({ method: 'DELETE', url: `/trials/${first.id}`, headers: admin });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expectProblem(await t.app.inject({ url: `/trials/${first.id}` }), 410);
    expectProblem(await t.app.inject({ method: 'DELETE', url: `/trials/${first.id}`, headers: admin }), 410);
    const revs = await revisions(first.id);
    expect(revs.map((r) => [r.version, r.action, r.changedBy])).toEqual([
      [2, 'DELETE', 'admin-1'],
      [1, 'CREATE', 'editor-1'],
    ]);
    expect((await t.app.inject({ url: '/trials' })).json().data).toEqual([]);
    const counts = rowCounts(t.db);
    expect([counts.trials, counts.arms, counts.bmd_results, counts.registry_ids, counts.trials_fts]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    // The registry id is free again.
    await create(trialBody({ registryIds: ['NCT01234567'] }));
  });

  it('honours If-Match when sent: 412 when stale, 204 when current', async () => {
    const first = await create();
    const stale = await t.app.inject({
      method: 'DELETE',
      url: `/trials/${first.id}`,
      headers: { ...admin, 'if-match': '"v9"' },
    });
    expectProblem(stale, 412);
    expect((await t.app.inject({ url: `/trials/${first.id}` })).statusCode).toBe(200);
    const current = await t.app.inject({
      method: 'DELETE',
      url: `/trials/${first.id}`,
      headers: { ...admin, 'if-match': '"v1"' },
    });
    expect(current.statusCode).toBe(204);
  });

  it('answers 404 for an unknown id', async () => {
    expectProblem(await t.app.inject({ method: 'DELETE', url: '/trials/tr_nothing', headers: admin }), 404);
  });
});
