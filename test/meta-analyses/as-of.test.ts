import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialInput } from '../../src/schemas/trial-input';
import { deleteTrial, insertTrial, inTransaction, loadTrial, updateTrial } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { cellArm, controlArm, result, testTrial } from './catalogue';

/** Writes stamped with chosen instants, so the history has a known shape. */
const at = (iso: string) => ({ changedBy: 'test', channel: 'API' as const, now: new Date(iso) });

function controlled(title: string, mean: number) {
  return TrialInput.parse(
    testTrial(title, {
      arms: [cellArm('Cells'), controlArm('Control')],
      bmdResults: [result('Cells', 40, mean, 2), result('Control', 40, 0.5, 2)],
    }),
  );
}

const QUERY = '/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE';

describe('asOf: answers from the catalogue as it stood at an instant', () => {
  let t: TestApp;
  let ids: string[];
  let asPublished: Record<string, unknown>;

  beforeAll(async () => {
    t = await buildTestApp();
    ids = inTransaction(t.db, () =>
      [1.5, 2.5, 3.0, 2.0].map(
        (mean, i) => insertTrial(t.db, controlled(`trial ${i + 1}`, mean), at('2026-01-01T00:00:00.000Z')).id,
      ),
    );
    asPublished = (await t.app.inject({ url: QUERY })).json();
    // Later: one trial deleted, one revised with a different result.
    inTransaction(t.db, () => {
      deleteTrial(t.db, ids[0] as string, at('2026-03-01T00:00:00.000Z'));
      const current = loadTrial(t.db, ids[1] as string);
      const {
        id: _i,
        version: _v,
        createdAt: _c,
        updatedAt: _u,
        ...body
      } = current as NonNullable<typeof current>;
      const revised = TrialInput.parse({
        ...body,
        bmdResults: body.bmdResults.map((r) => ({ ...r, mean: r.mean + 4 })),
      });
      updateTrial(t.db, ids[1] as string, revised, at('2026-03-01T00:00:00.000Z'));
    });
  });
  afterAll(() => t.close());

  it('today the deletion and the revision count', async () => {
    const now = (await t.app.inject({ url: QUERY })).json();
    expect(now.studies).toHaveLength(3);
    expect(now.dataVersion).toBeGreaterThan(asPublished.dataVersion as number);
  });

  it('as of an instant between the writes, the published answer comes back exactly, with its data version', async () => {
    const res = await t.app.inject({ url: `${QUERY}&asOf=2026-02-01T00:00:00Z` });
    expect(res.statusCode, res.body).toBe(200);
    const { asOf, ...answer } = res.json();
    expect(asOf).toBe('2026-02-01T00:00:00.000Z');
    expect(answer).toEqual(asPublished);
  });

  it('the evidence analyses and summaries take asOf too', async () => {
    for (const path of [
      '/meta-analyses/bmd/leave-one-out?site=LUMBAR_SPINE&metric=PERCENT_CHANGE',
      '/summaries/counts?facets=cellSource',
      '/summaries/bmd-change?groupBy=route',
    ]) {
      const res = await t.app.inject({ url: `${path}&asOf=2026-02-01T00:00:00Z` });
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      expect(res.json().dataVersion).toBe(asPublished.dataVersion);
    }
    const counts = (await t.app.inject({ url: '/summaries/counts?asOf=2026-02-01T00:00:00Z' })).json();
    expect(counts.total).toBe(4);
  });

  it('lists and single trials take asOf: the deleted trial is back, the revised one as it was', async () => {
    const list = (await t.app.inject({ url: '/trials?asOf=2026-02-01T00:00:00Z&countTotal=true' })).json();
    expect(list.page.total).toBe(4);
    expect(list.data.map((d: { id: string }) => d.id).sort()).toEqual([...ids].sort());
    const rows = (await t.app.inject({ url: '/bmd-results?asOf=2026-02-01T00:00:00Z&limit=100' })).json();
    expect(rows.data).toHaveLength(8);

    const [deleted, revised] = ids as [string, string];
    const then = await t.app.inject({ url: `/trials/${deleted}?asOf=2026-02-01T00:00:00Z` });
    expect(then.statusCode).toBe(200);
    expect(then.headers.etag).toBe('"v1"');
    expect((await t.app.inject({ url: `/trials/${deleted}` })).statusCode).toBe(410);
    expect((await t.app.inject({ url: `/trials/${deleted}?asOf=2026-04-01T00:00:00Z` })).statusCode).toBe(
      410,
    );
    expect((await t.app.inject({ url: `/trials/${deleted}?asOf=2025-06-01T00:00:00Z` })).statusCode).toBe(
      404,
    );

    const before = (await t.app.inject({ url: `/trials/${revised}?asOf=2026-02-01T00:00:00Z` })).json();
    const after = (await t.app.inject({ url: `/trials/${revised}` })).json();
    expect(before.bmdResults[0].mean + 4).toBe(after.bmdResults[0].mean);
  });

  it('before the history of data versions, the records are empty and the version is unknown, with a warning', async () => {
    const body = (await t.app.inject({ url: `${QUERY}&asOf=2025-01-01T00:00:00Z` })).json();
    expect(body.studies).toEqual([]);
    expect(body.dataVersion).toBeNull();
    expect(body.warnings.map((w: { code: string }) => w.code)).toContain('DATA_VERSION_UNKNOWN');
  });

  it('refuses an instant in the future or one that is not a timestamp', async () => {
    for (const asOf of ['2999-01-01T00:00:00Z', 'yesterday']) {
      const res = await t.app.inject({ url: `${QUERY}&asOf=${asOf}` });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors[0].path).toBe('/query/asOf');
    }
  });
});
