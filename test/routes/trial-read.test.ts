import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialInput } from '../../src/schemas/trial-input';
import { insertTrial, inTransaction } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { FIXTURE_TRIALS, loadFixture } from '../helpers/catalogue-fixture';
import { trialBody } from '../helpers/trial-fixtures';

let t: TestApp;
let ids: string[];

beforeAll(async () => {
  t = await buildTestApp();
  ids = loadFixture(t.db);
});
afterAll(() => t.close());

describe('GET /trials/{id}', () => {
  it('answers the bare trial with an ETag, and 304 for a matching If-None-Match', async () => {
    const res = await t.app.inject({ url: `/trials/${ids[0]}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().title).toBe('Alpha marrow infusion');
    expect(res.json().version).toBe(1);
    const etag = res.headers.etag as string;
    expect(etag).toBe('"v1"');
    const again = await t.app.inject({ url: `/trials/${ids[0]}`, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const stale = await t.app.inject({ url: `/trials/${ids[0]}`, headers: { 'if-none-match': '"v0"' } });
    expect(stale.statusCode).toBe(200);
  });

  it('derives sdEffective from SE and from a 95% CI, and keeps the reported spread unchanged', async () => {
    const res = await t.app.inject({ url: `/trials/${ids[6]}` });
    const [fromSe, fromCi] = res.json().bmdResults as Record<string, number | string | null>[];
    // n = 20, SE 0.7: SD = 0.7·√20 = 3.130495...
    expect(fromSe).toMatchObject({ se: 0.7, sd: null, sdSource: 'FROM_SE' });
    expect(fromSe?.sdEffective as number).toBeCloseTo(3.1304952, 6);
    // n = 20, CI 0.1–2.1: SD = √20·2.0/(2·t(0.975, 19)); t = 2.0930241 (tables) → 2.1366864...
    expect(fromCi).toMatchObject({ ciLower: 0.1, ciUpper: 2.1, sd: null, sdSource: 'FROM_CI' });
    expect(fromCi?.sdEffective as number).toBeCloseTo(2.1366864, 5);
  });

  it('answers 404 problem+json for an unknown id and 400 for an id that cannot be one', async () => {
    const missing = await t.app.inject({ url: '/trials/tr_doesnotexist' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json()).toMatchObject({
      status: 404,
      title: 'Not found',
      instance: '/trials/tr_doesnotexist',
    });
    const bad = await t.app.inject({ url: `/trials/${'x'.repeat(65)}` });
    expect(bad.statusCode).toBe(400);
  });

  it('lists revisions newest first', async () => {
    const res = await t.app.inject({ url: `/trials/${ids[1]}/revisions` });
    expect(res.statusCode).toBe(200);
    const data = res.json().data as { version: number; action: string }[];
    expect(data.map((r) => [r.version, r.action])).toEqual([[1, 'CREATE']]);
    const one = await t.app.inject({ url: `/trials/${ids[1]}/revisions/1` });
    expect(one.json().snapshot.title).toBe('Beta adipose injection');
  });
});

describe('CSV', () => {
  it('GET /trials with Accept: text/csv gives one row per trial with a header', async () => {
    const res = await t.app.inject({ url: '/trials?limit=500&sort=title', headers: { accept: 'text/csv' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(FIXTURE_TRIALS.length);
    expect(rows.map((r) => r.title)).toEqual(FIXTURE_TRIALS.map((x) => x.title).sort());
    const beta = rows.find((r) => r.title === 'Beta adipose injection');
    expect(beta).toMatchObject({
      countries: 'CN;US',
      cellSources: 'ADIPOSE',
      comparators: 'PLACEBO',
      bmdResultCount: '3',
    });
  });

  it('quotes commas, quotes and line breaks so every field survives', async () => {
    const tricky = 'Trial "quoted", with comma\nand a new line';
    const id = inTransaction(t.db, () =>
      insertTrial(t.db, TrialInput.parse(trialBody({ title: tricky, sponsor: 'A, B & "C"' })), {
        changedBy: 'test',
        channel: 'API',
      }),
    ).id;
    const res = await t.app.inject({ url: `/trials?format=csv&q=quoted&limit=5` });
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, title: tricky, sponsor: 'A, B & "C"' });
    expect(res.body).toContain('"Trial ""quoted"", with comma');
  });

  it('GET /bmd-results?format=csv gives one row per result with trial and arm columns', async () => {
    const res = await t.app.inject({ url: '/bmd-results?format=csv&limit=500&registryId=ChiCTR2000000001' });
    const rows = parse(res.body, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.armLabel, r.cellSource, r.comparator, r.method, r.mean])).toEqual(
      expect.arrayContaining([
        // A missing value is NA, as R reads it.
        ['UC-MSC', 'UMBILICAL_CORD', 'NA', 'QCT', '6.2'],
        ['Zoledronate', 'NA', 'BISPHOSPHONATE', 'QCT', '3.9'],
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(Object.keys(rows[0] as object)).toContain('trialId');
  });
});

describe('GET /bmd-results selects arms and results themselves', () => {
  async function rows(query: string) {
    const res = await t.app.inject({ url: `/bmd-results?limit=500&${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data as { trialTitle: string; armLabel: string; mean: number; id: string }[];
  }

  it('without arm filters returns every result of every arm', async () => {
    const all = await rows('');
    const expected = FIXTURE_TRIALS.reduce((sum, x) => sum + (x.bmdResults?.length ?? 0), 0);
    expect(all).toHaveLength(expected);
    expect(new Set(all.map((r) => r.id)).size).toBe(expected);
  });

  it('with a cell filter keeps only results of matching cell-therapy arms', async () => {
    const found = await rows('cellSource=ADIPOSE');
    expect(found.map((r) => `${r.trialTitle}/${r.armLabel}/${r.mean}`).sort()).toEqual([
      'Beta adipose injection/Adipose cells/0.031',
      'Beta adipose injection/Adipose cells/2.1',
    ]);
  });

  it('armType selects arms of that type; result filters select results', async () => {
    const found = await rows('armType=PLACEBO_COMPARATOR,NO_INTERVENTION&timepointMin=1');
    expect(found.map((r) => r.armLabel).sort()).toEqual(['Calcium only', 'Placebo']);
  });
});

describe('GET /vocabularies and /health', () => {
  it('lists every enum with labels', async () => {
    const body = (await t.app.inject({ url: '/vocabularies' })).json();
    expect(body.route).toContainEqual({ value: 'INTRAOSSEOUS', label: 'Intraosseous' });
    expect(body.cellSource.map((v: { value: string }) => v.value)).toContain('IPSC');
  });

  it('reports database reachability and the migration version', async () => {
    const body = (await t.app.inject({ url: '/health' })).json();
    expect(body).toMatchObject({ status: 'ok', database: { reachable: true } });
    expect(body.migrations.applied).toBe(body.migrations.known);
  });
});
