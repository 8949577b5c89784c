import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trial } from '../../src/schemas/trial';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, result, testTrial } from '../meta-analyses/catalogue';
import { expectProblem } from '../writes/support';

// Made-up trials (test data): each title or summary states one way of naming the same thing.
let t: TestApp;
const ids: Record<string, string> = {};
const arm = [cellArm('Arm A')];
const TRIALS: Record<string, { title: string; briefSummary?: string }> = {
  msc: { title: 'Infusion of MSC in women', briefSummary: 'They had vertebral fractures before.' },
  mesenchymal: { title: 'Mesenchymal stromal cells given once' },
  bmsc: { title: 'BMSCs injected into the hip' },
  marrowStromal: { title: 'Bone-marrow stromal cell implant' },
  bmd: { title: 'Effect on bone mineral density' },
  bmdShort: { title: 'BMD after twelve months' },
  stemCell: { title: 'One stem cell dose', briefSummary: 'Follow-up for a fracture.' },
  ovx: { title: 'Ovariectomized volunteers, not really' },
};

beforeAll(async () => {
  t = await buildTestApp();
  const names = Object.keys(TRIALS);
  const created = addTrials(
    t.db,
    names.map((name) => testTrial(TRIALS[name]?.title as string, { ...TRIALS[name], arms: arm })),
  );
  names.forEach((name, i) => {
    ids[name] = created[i] as string;
  });
});
afterAll(() => t.close());

async function found(query: string): Promise<string[]> {
  const res = await t.app.inject({ url: `/trials?limit=100&q=${encodeURIComponent(query)}` });
  expect(res.statusCode, res.body).toBe(200);
  const byId = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
  return (res.json().data as Trial[]).map((trial) => byId[trial.id] as string).sort();
}

describe('full-text search (q)', () => {
  it('matches a word’s other forms: fracture finds fractures, and stem cells finds stem cell', async () => {
    expect(await found('fracture')).toEqual(['msc', 'stemCell']);
    expect(await found('fractures')).toEqual(['msc', 'stemCell']);
    expect(await found('stem cells')).toEqual(await found('stem cell'));
    expect(await found('stem cells')).toEqual(['stemCell']);
    expect(await found('ovariectomised')).toEqual(['ovx']);
  });

  it('matches the field’s synonyms and abbreviations both ways', async () => {
    expect(await found('mesenchymal')).toEqual(['bmsc', 'marrowStromal', 'mesenchymal', 'msc']);
    expect(await found('MSC')).toEqual(['bmsc', 'marrowStromal', 'mesenchymal', 'msc']);
    expect(await found('mesenchymal stem cells')).toEqual(['bmsc', 'marrowStromal', 'mesenchymal', 'msc']);
    expect(await found('BMSC')).toEqual(['bmsc', 'marrowStromal']);
    expect(await found('bone marrow MSC')).toEqual(['bmsc', 'marrowStromal']);
    expect(await found('BMD')).toEqual(['bmd', 'bmdShort']);
    expect(await found('bone mineral density')).toEqual(['bmd', 'bmdShort']);
    expect(await found('OVX')).toEqual(['ovx']);
  });

  it('keeps all-words semantics: every word (or its synonyms) must match', async () => {
    expect(await found('mesenchymal fracture')).toEqual(['msc']);
    expect(await found('MSC women')).toEqual(['msc']);
    expect(await found('mesenchymal hip')).toEqual(['bmsc']);
    expect(await found('BMD twelve months')).toEqual(['bmdShort']);
  });

  it.each(['"MSC', 'MSC OR x', 'NEAR(MSC fracture)', '-MSC', 'title:MSC', 'MSC*', '(BMD'])(
    'takes search syntax literally: %s',
    async (query) => {
      const res = await t.app.inject({ url: `/trials?q=${encodeURIComponent(query)}` });
      expect(res.statusCode, res.body).toBe(200);
    },
  );
});

describe('sort=relevance', () => {
  let ranked: Record<string, string>;
  beforeAll(() => {
    // One trial names the word three times in a short title; the other once, in a long summary;
    // two more are identical, so they tie and go by id.
    const filler = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const [often, once, tieA, tieB] = addTrials(t.db, [
      testTrial('Osteoprogenitor osteoprogenitor osteoprogenitor', { arms: arm }),
      testTrial('Another study', { arms: arm, briefSummary: `${filler} osteoprogenitor ${filler}` }),
      testTrial('Osteoprogenitor twin', { arms: arm }),
      testTrial('Osteoprogenitor twin', { arms: arm }),
    ]) as string[];
    const [first, second] = [tieA, tieB].sort() as [string, string];
    ranked = { often: often as string, first, second, once: once as string };
  });

  const pages = async (query: string, limit: number) => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url = `/trials?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.app.inject({ url });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { data: Trial[]; page: { nextCursor: string | null } };
      seen.push(...body.data.map((trial) => trial.id));
      cursor = body.page.nextCursor;
    } while (cursor);
    return seen;
  };

  it('ranks the best match first (bm25), ties by id, and pages by cursor in the same order', async () => {
    const order = [ranked.often, ranked.first, ranked.second, ranked.once];
    expect(await pages('q=osteoprogenitor&sort=relevance', 100)).toEqual(order);
    expect(await pages('q=osteoprogenitor&sort=relevance', 1)).toEqual(order);
  });

  it('is a 400 without q', async () => {
    const body = expectProblem(await t.app.inject({ url: '/trials?sort=relevance' }), 400);
    expect(body.errors).toEqual([
      { path: '/query/sort', message: expect.stringMatching(/sort=relevance .* give q/) },
    ]);
    expect((await t.app.inject({ url: '/bmd-results?sort=relevance' })).statusCode).toBe(400);
  });

  it('binds its cursor to q', async () => {
    const first = await t.app.inject({ url: '/trials?q=osteoprogenitor&sort=relevance&limit=1' });
    const cursor = encodeURIComponent(first.json().page.nextCursor);
    const other = await t.app.inject({
      url: `/trials?q=osteoprogenitor%20twin&sort=relevance&limit=1&cursor=${cursor}`,
    });
    expect(expectProblem(other, 400).errors).toEqual([
      { path: '/query/cursor', message: 'issued for different filters, sort or endpoint' },
    ]);
  });

  it('orders /bmd-results rows by their trial’s relevance', async () => {
    const [withResults] = addTrials(t.db, [
      testTrial('Nanofat study', {
        arms: [cellArm('Arm A')],
        bmdResults: [result('Arm A', 10, 1, 1), result('Arm A', 10, 2, 1, { timepointMonths: 6 })],
      }),
    ]);
    const res = await t.app.inject({ url: '/bmd-results?q=nanofat&sort=relevance' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().data as { id: string; trialId: string }[];
    expect(rows.map((r) => r.trialId)).toEqual([withResults, withResults]);
    expect(rows.map((r) => r.id)).toEqual(rows.map((r) => r.id).sort());
  });
});
