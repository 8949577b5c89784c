import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { addTrials, cellArm, controlArm, result, testTrial } from './catalogue';

/**
 * A whole-catalogue meta-analysis pools tens of thousands of studies: its JSON answer lists one
 * page of them (the first 1,000 unless asked otherwise) and counts them all, while the pooled
 * numbers always come from every study and the CSV carries every study.
 */
const URL = '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE';
const TRIALS = 1_030;

interface Answer {
  studies: { trialId: string }[];
  studiesTotal: number;
  pooled: { k: number; estimate: number; tau2: number } | null;
}

describe('GET /meta-analyses/bmd study pages', () => {
  let t: TestApp;
  let ids: string[];
  beforeAll(async () => {
    t = await buildTestApp();
    // Each trial pooled: a cell-therapy arm and a placebo arm with SDs, effects spread so τ² > 0.
    ids = addTrials(
      t.db,
      Array.from({ length: TRIALS }, (_, i) =>
        testTrial(`pooled ${i}`, {
          arms: [
            cellArm('Cells', { route: i % 3 === 0 ? 'INTRAOSSEOUS' : 'INTRAVENOUS' }),
            controlArm('Placebo'),
          ],
          bmdResults: [result('Cells', 20, 2 + (i % 7) * 0.5, 1.5), result('Placebo', 20, 1, 1.5)],
        }),
      ),
    );
  });

  const get = async (query: string) => {
    const res = await t.app.inject({ url: `${URL}${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Answer;
  };

  it('lists the first 1,000 studies by default and counts every one, pooled over all of them', async () => {
    const body = await get('');
    expect(body.studies).toHaveLength(1_000);
    expect(body.studiesTotal).toBe(TRIALS);
    expect(body.pooled?.k).toBe(TRIALS);
  });

  it('pages through every study, each page with the same pooled numbers', async () => {
    const first = await get('&studiesLimit=600');
    const second = await get('&studiesLimit=600&studiesOffset=600');
    const past = await get('&studiesOffset=5000');
    expect(first.studies).toHaveLength(600);
    expect(second.studies).toHaveLength(TRIALS - 600);
    expect(past.studies).toEqual([]);
    const listed = [...first.studies, ...second.studies].map((s) => s.trialId);
    expect(new Set(listed)).toEqual(new Set(ids));
    expect(listed).toHaveLength(TRIALS);
    for (const page of [second, past]) {
      expect(page.pooled).toEqual(first.pooled);
      expect(page.studiesTotal).toBe(TRIALS);
    }
  });

  it('names each subgroup’s trials among the listed studies only, and counts them all', async () => {
    type Subgrouped = Answer & { subgroups: { value: string; k: number; trialIds: string[] }[] };
    const page = (await get('&subgroup=route&studiesLimit=100')) as Subgrouped;
    const whole = (await get('&subgroup=route&studiesLimit=10000')) as Subgrouped;
    const listed = new Set(page.studies.map((s) => s.trialId));
    // A third of the trials are intraosseous (i % 3 === 0): 344 of 1,030.
    expect(page.subgroups.map((g) => [g.value, g.k])).toEqual([
      ['INTRAOSSEOUS', 344],
      ['INTRAVENOUS', 686],
    ]);
    expect(page.subgroups.flatMap((g) => g.trialIds).sort()).toEqual([...listed].sort());
    expect(whole.subgroups.flatMap((g) => g.trialIds)).toHaveLength(TRIALS);
    expect(page.subgroups.map((g) => g.k)).toEqual(whole.subgroups.map((g) => g.k));
  });

  it('answers the pooled numbers alone with studiesLimit=0', async () => {
    const none = await get('&studiesLimit=0');
    const whole = await get('&studiesLimit=10000');
    expect(none.studies).toEqual([]);
    expect(whole.studies).toHaveLength(TRIALS);
    expect(none.pooled).toEqual(whole.pooled);
  });

  it('returns every study as CSV, whatever page is asked for', async () => {
    const res = await t.app.inject({ url: `${URL}&format=csv&studiesLimit=10&studiesOffset=5` });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.body.trim().split('\n').slice(1);
    expect(new Set(rows.map((row) => row.split(',')[0]))).toEqual(new Set(ids));
  });

  it.each([
    ['studiesLimit=10001', 'studiesLimit'],
    ['studiesLimit=-1', 'studiesLimit'],
    ['studiesLimit=2.5', 'studiesLimit'],
    ['studiesLimit=0x10', 'studiesLimit'],
    ['studiesOffset=-3', 'studiesOffset'],
    ['studiesOffset=many', 'studiesOffset'],
  ])('refuses %s with a problem naming the parameter', async (query, name) => {
    const res = await t.app.inject({ url: `${URL}&${query}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toContain(name);
  });
});
