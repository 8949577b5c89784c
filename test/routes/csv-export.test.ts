import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvStream } from '../../src/csv/write-csv';
import { exportRows, type ListPage } from '../../src/routes/list-endpoint';
import { TrialInput } from '../../src/schemas/trial-input';
import { insertTrial, inTransaction } from '../../src/store/trial-store';
import { buildTestApp, type TestApp } from '../helpers/build-test-app';
import { trialBody } from '../helpers/trial-fixtures';

// A made-up catalogue (test data) bigger than a default page (25) and than an export's own read
// page (500 rows): 260 trials, each a cell arm and a control arm with one result apiece.
const TRIALS = 260;
const RESULTS = 2 * TRIALS;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  inTransaction(t.db, () => {
    for (let i = 0; i < TRIALS; i++) {
      const body = trialBody({
        title: `Export trial ${String(i).padStart(3, '0')}`,
        // Some undated, so the walk crosses from dated to undated rows (nulls sort last).
        startDate: i % 5 === 0 ? null : `${2000 + (i % 20)}-0${1 + (i % 9)}`,
        phases: i % 3 === 0 ? ['NA'] : i % 3 === 1 ? ['PHASE1', 'PHASE2'] : [],
        allocation: i % 4 === 0 ? 'NA' : i % 4 === 1 ? 'RANDOMIZED' : null,
        arms: [
          { ...(trialBody().arms[0] as object), label: 'Cells' } as never,
          { label: 'Placebo', type: 'PLACEBO_COMPARATOR', participants: 49, comparator: 'PLACEBO' },
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
          // SD from SE: 0.05·√49 = 0.35 (0.35000000000000003 in floating point).
          {
            armLabel: 'Placebo',
            site: 'LUMBAR_SPINE',
            metric: 'PERCENT_CHANGE',
            method: 'DXA',
            timepointMonths: 12,
            n: 49,
            mean: 0.4,
            sd: null,
            se: 0.05,
          },
        ],
      });
      insertTrial(t.db, TrialInput.parse(body), { changedBy: 'test', channel: 'API' });
    }
  });
});
afterAll(() => t.close());

async function get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  const res = await t.app.inject({ url, headers });
  expect(res.statusCode, res.body).toBe(200);
  return res;
}

const rowsOf = (res: LightMyRequestResponse) =>
  parse(res.body, { columns: true }) as Record<string, string>[];
const nextOf = (res: LightMyRequestResponse) => {
  const link = res.headers.link;
  return typeof link === 'string' ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null) : null;
};

/** Every id of a JSON list, in order, following nextCursor (bounded: at most 20 pages). */
async function jsonIds(path: string, query = ''): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = -1;
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const url = `${path}?limit=500&countTotal=true${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const body = (await get(url)).json() as {
      data: { id: string }[];
      page: { nextCursor: string | null; total: number };
    };
    ids.push(...body.data.map((r) => r.id));
    total = body.page.total;
    cursor = body.page.nextCursor;
    if (!cursor) break;
  }
  return { ids, total };
}

describe('a CSV export is the whole selection', () => {
  it('GET /bmd-results?format=csv: every row, in the JSON list’s order, with no Link header', async () => {
    const res = await get('/bmd-results?format=csv');
    const rows = rowsOf(res);
    const json = await jsonIds('/bmd-results');
    expect(json.total).toBe(RESULTS);
    expect(rows).toHaveLength(RESULTS);
    expect(rows.map((r) => r.id)).toEqual(json.ids);
    expect(res.headers.link).toBeUndefined();
    expect(res.headers['content-disposition']).toBe('attachment; filename="bmd-results.csv"');
  });

  it('GET /trials with Accept: text/csv: every trial, in the JSON list’s order', async () => {
    const rows = rowsOf(await get('/trials', { accept: 'text/csv' }));
    const json = await jsonIds('/trials');
    expect(json.total).toBe(TRIALS);
    expect(rows.map((r) => r.id)).toEqual(json.ids);
  });

  it('keeps the filters and the sort', async () => {
    const rows = rowsOf(await get('/bmd-results?format=csv&armType=PLACEBO_COMPARATOR&sort=title'));
    expect(rows).toHaveLength(TRIALS);
    expect(rows.every((r) => r.armLabel === 'Placebo')).toBe(true);
    const titles = rows.map((r) => r.trialTitle);
    expect(titles).toEqual([...titles].sort());
  });

  it('an empty selection is the header row alone', async () => {
    const res = await get('/trials?format=csv&enrollmentMin=999999');
    expect(res.body.split('\r\n')[0]).toMatch(/^id,registryIds,title,/);
    expect(rowsOf(res)).toEqual([]);
  });
});

describe('limit and cursor page a CSV export, only when sent', () => {
  it('limit gives that many rows and a Link to the next page; the pages add up to the export', async () => {
    const whole = rowsOf(await get('/bmd-results?format=csv')).map((r) => r.id as string);
    const paged: string[] = [];
    let url: string | null = '/bmd-results?format=csv&limit=150';
    let pages = 0;
    while (url && pages < 10) {
      const res = await get(url);
      const rows = rowsOf(res);
      expect(rows.length).toBe(pages < 3 ? 150 : RESULTS - 450);
      paged.push(...rows.map((r) => r.id as string));
      url = nextOf(res);
      pages += 1;
    }
    expect(pages).toBe(4);
    expect(paged).toEqual(whole);
  });

  it('a cursor without limit gives the default page of 25 after it, with its Link', async () => {
    const first = await get('/trials?format=csv&limit=10');
    const cursor = new URL(nextOf(first) as string, 'http://x').searchParams.get('cursor') as string;
    const res = await get(`/trials?format=csv&cursor=${encodeURIComponent(cursor)}`);
    const whole = rowsOf(await get('/trials?format=csv')).map((r) => r.id);
    expect(rowsOf(res).map((r) => r.id)).toEqual(whole.slice(10, 35));
    expect(nextOf(res)).toMatch(/cursor=/);
  });
});

describe('CSV cells as R reads them', () => {
  it('writes a missing value as NA and the vocabulary value NA as NOT_APPLICABLE', async () => {
    const rows = rowsOf(await get('/trials?format=csv&sort=title'));
    // Trials 0, 1, 2, 3: phases NA, PHASE1;PHASE2, none, NA; allocation NA, RANDOMIZED, null, null.
    expect(rows.slice(0, 4).map((r) => [r.phases, r.allocation, r.masking, r.enrollmentCount])).toEqual([
      ['NOT_APPLICABLE', 'NOT_APPLICABLE', 'NA', 'NA'],
      ['PHASE1;PHASE2', 'RANDOMIZED', 'NA', 'NA'],
      ['NA', 'NA', 'NA', 'NA'],
      ['NOT_APPLICABLE', 'NA', 'NA', 'NA'],
    ]);
  });

  it('writes derived numbers with at most 15 significant digits, reported ones as stored, none quoted', async () => {
    const placebo = '/bmd-results?sort=title&limit=1&armType=PLACEBO_COMPARATOR';
    expect((await get(placebo)).json().data[0]).toMatchObject({
      se: 0.05,
      sd: null,
      sdEffective: 0.35000000000000003,
    });
    const derived = await get(`${placebo}&format=csv`);
    const reported = await get('/bmd-results?sort=title&limit=1&armType=EXPERIMENTAL&format=csv');
    const cells = (res: LightMyRequestResponse) =>
      rowsOf(res).map((r) => [r.armLabel, r.n, r.mean, r.sd, r.se, r.sdEffective, r.sdSource]);
    expect(cells(derived)).toEqual([['Placebo', '49', '0.4', 'NA', '0.05', '0.35', 'FROM_SE']]);
    expect(cells(reported)).toEqual([['Cells', '20', '3.1', '1.2', 'NA', '1.2', 'REPORTED']]);
    // timepointMonths, n, mean, sd, se, ciLower, ciUpper, sdEffective, sdSource: numbers unquoted.
    expect(derived.body).toContain(',12,49,0.4,NA,0.05,NA,NA,0.35,FROM_SE,');
  });
});

describe('an export is read as it is sent', () => {
  /** A made-up source of `pages` pages of `size` rows, counting the pages read. */
  function countingSource(pages: number, size: number) {
    const reads: number[] = [];
    return {
      reads,
      page: (
        _db: unknown,
        _f: unknown,
        _s: unknown,
        limit: number,
        after?: { value: unknown; id: string },
      ): ListPage<number> => {
        const start = after ? Number(after.id) : 0;
        reads.push(start);
        const rows = Array.from({ length: Math.min(limit, pages * size - start) }, (_, i) => start + i);
        const end = start + rows.length;
        return { rows, next: end < pages * size ? { value: null, id: String(end) } : null };
      },
    };
  }

  it('reads the next page of rows only when the rows before it have been taken', () => {
    const source = countingSource(3, 4);
    const rows = exportRows(source, {} as never, {} as never, { key: 'title', descending: false }, 4)[
      Symbol.iterator
    ]();
    // The first page is read at once, so that an error in it is still answered as an error.
    expect(source.reads).toEqual([0]);
    const taken = [0, 1, 2, 3].map(() => rows.next().value);
    expect(taken).toEqual([0, 1, 2, 3]);
    expect(source.reads).toEqual([0]);
    expect(rows.next().value).toBe(4);
    expect(source.reads).toEqual([0, 4]);
    expect([...{ [Symbol.iterator]: () => rows }]).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(source.reads).toEqual([0, 4, 8]);
  });

  it('the CSV stream takes rows only as fast as its reader, and stops taking them when the reader goes away', async () => {
    let taken = 0;
    let finished = false;
    function* rows() {
      try {
        for (let i = 0; i < 1_000_000; i++) {
          taken += 1;
          yield { a: i, b: 'text' };
        }
      } finally {
        finished = true;
      }
    }
    const stream = csvStream(['a', 'b'], rows());
    // Nobody reads: the stream fills its buffers and then stops pulling rows.
    await new Promise((resolve) => stream.once('readable', resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const first = stream.read() as Buffer;
    expect(first.toString().startsWith('a,b\r\n0,text\r\n')).toBe(true);
    expect(taken).toBeGreaterThan(0);
    expect(taken).toBeLessThan(10_000);
    stream.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(true);
    expect(taken).toBeLessThan(10_000);
  });
});
