import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TrialInput } from '../../src/schemas/trial-input';
import { insertTrial, inTransaction } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

let t: TestApp;

/**
 * 37 trials with many ties and nulls: start dates from 5 values (one null), enrollments from 4
 * (one null), titles from 6, so every sort has to break ties by id to keep its place.
 */
const STARTS = ['2015', '2015-01', '2015-01-01', '2019-06-30', null];
const ENROLLMENTS = [10, 10, 55, null];
const TITLES = ['Aa', 'Bb', 'Aa', 'Cc', 'bb', 'Dd'];

beforeAll(async () => {
  t = await buildTestApp();
  inTransaction(t.db, () => {
    for (let i = 0; i < 37; i++) {
      const enrollment = ENROLLMENTS[i % 4];
      const input = TrialInput.parse(
        trialBody({
          title: TITLES[i % 6] as string,
          startDate: STARTS[i % 5] ?? null,
          enrollment:
            enrollment === null || enrollment === undefined ? null : { count: enrollment, type: 'ACTUAL' },
        }),
      );
      insertTrial(t.db, input, {
        changedBy: 'test',
        channel: 'API',
        now: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 3)),
      });
    }
  });
});
afterAll(() => t.close());

interface Row {
  id: string;
  title: string;
  startDate: string | null;
  enrollment: { count: number } | null;
  updatedAt: string;
}

async function walk(query: string, limit: number): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const url: string = `/trials?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await t.app.inject({ url });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { data: Row[]; page: { nextCursor: string | null } };
    rows.push(...body.data);
    cursor = body.page.nextCursor;
    if (cursor === null) {
      expect(res.headers.link).toBeUndefined();
      return rows;
    }
    expect(res.headers.link).toContain('rel="next"');
  }
  throw new Error('pagination did not end');
}

const firstDay = (d: string | null) =>
  d === null ? null : d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d;

/** The order SPEC defines, written independently of the service: nulls last, ties by id in the same direction. */
function referenceOrder(rows: Row[], key: (r: Row) => string | number | null, descending: boolean): string[] {
  const sign = descending ? -1 : 1;
  return [...rows]
    .sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === null && kb !== null) return 1;
      if (kb === null && ka !== null) return -1;
      if (ka !== null && kb !== null && ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return (a.id < b.id ? -1 : 1) * sign;
    })
    .map((r) => r.id);
}

const KEYS: Record<string, (r: Row) => string | number | null> = {
  startDate: (r) => firstDay(r.startDate),
  enrollment: (r) => r.enrollment?.count ?? null,
  updatedAt: (r) => r.updatedAt,
  title: (r) => r.title,
};

describe('keyset pagination walks every row once under every sort', () => {
  for (const [key, extract] of Object.entries(KEYS)) {
    for (const descending of [false, true]) {
      for (const limit of [1, 4, 25]) {
        const sort = `${descending ? '-' : ''}${key}`;
        it(`sort=${sort} limit=${limit}`, async () => {
          const rows = await walk(`sort=${sort}`, limit);
          expect(rows).toHaveLength(37);
          expect(new Set(rows.map((r) => r.id)).size).toBe(37);
          expect(rows.map((r) => r.id)).toEqual(referenceOrder(rows, extract, descending));
        });
      }
    }
  }

  it('defaults to -startDate with nulls last', async () => {
    const rows = await walk('countTotal=false', 10);
    expect(rows.map((r) => r.id)).toEqual(
      referenceOrder(rows, KEYS.startDate as (r: Row) => string | null, true),
    );
    expect(rows.at(-1)?.startDate).toBeNull();
  });

  it('works together with a filter and reports the total on request', async () => {
    const res = await t.app.inject({ url: '/trials?enrollmentMin=10&countTotal=true&limit=2' });
    // ENROLLMENTS cycles 10, 10, 55, null over 37 trials: 28 have a count.
    expect(res.json().page.total).toBe(28);
    const rows = await walk('enrollmentMin=10', 3);
    expect(rows).toHaveLength(28);
  });
});

describe('cursors', () => {
  async function firstCursor(query: string): Promise<string> {
    const res = await t.app.inject({ url: `/trials?${query}&limit=2` });
    return res.json().page.nextCursor as string;
  }

  it('reused with other filters is a 400', async () => {
    const cursor = await firstCursor('sort=title');
    const res = await t.app.inject({ url: `/trials?sort=title&status=COMPLETED&cursor=${cursor}` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors[0].path).toBe('/query/cursor');
  });

  it('reused with another sort is a 400, but another limit is fine', async () => {
    const cursor = await firstCursor('sort=title');
    expect((await t.app.inject({ url: `/trials?sort=-title&cursor=${cursor}` })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `/trials?sort=title&limit=7&cursor=${cursor}` })).statusCode).toBe(200);
  });

  it('reused on another endpoint is a 400', async () => {
    const cursor = await firstCursor('sort=title');
    const res = await t.app.inject({ url: `/bmd-results?sort=title&cursor=${cursor}` });
    expect(res.statusCode).toBe(400);
  });

  it('tampered or malformed is a 400, never a 500', async () => {
    const cursor = await firstCursor('sort=title');
    const [payload, sum] = cursor.split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
    decoded[2] = 'tr_other';
    const forged = `${Buffer.from(JSON.stringify(decoded)).toString('base64url')}.${sum}`;
    for (const bad of [forged, 'abc', 'abc.def', `${payload}.`, '%%%', `${payload}x.${sum}`, 'e30.e30']) {
      const res = await t.app.inject({ url: `/trials?sort=title&cursor=${encodeURIComponent(bad)}` });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().status).toBe(400);
    }
  });
});
