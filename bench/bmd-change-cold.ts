/**
 * `GET /summaries/bmd-change` in-process, cold: every query of the benchmark rotation
 * (`bmdChangeQueries()`) run once on a freshly opened connection, timed apart as SQL (choosing the
 * arm results) and JS (grouping, pooling, the JSON answer). Prints p50, p99 and max in ms and the
 * slowest query; `--repeat` passes the rotation again on the same connection (warm).
 *
 *   npx tsx bench/bmd-change-cold.ts --db /tmp/bench.db [--repeat 2]
 */
import { parseArgs } from 'node:util';
import { filtersFrom, splitMethod } from '../src/analysis/params';
import { loadArmChanges } from '../src/analysis/summaries/bmd-change';
import { BmdChangeQuery } from '../src/analysis/summaries/schemas';
import { closeDatabase, openDatabase } from '../src/db/client';
import { summariseBmdChange } from '../src/domain/bmd-change-summary';
import { bmdChangeQueries } from './queries';

const { values } = parseArgs({
  options: { db: { type: 'string' }, repeat: { type: 'string', default: '1' } },
});
if (!values.db) throw new Error('--db <catalogue file> is required');

const db = openDatabase(values.db);
const queries = bmdChangeQueries().map((path) => ({
  path,
  query: BmdChangeQuery.parse(Object.fromEntries(new URL(path, 'http://x').searchParams)),
}));

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const ms = (v: number) => v.toFixed(1);

for (let pass = 1; pass <= Number(values.repeat); pass++) {
  const timed = queries.map(({ path, query }) => {
    const { groupBy, test, ...rest } = query;
    const facets = [...new Set(groupBy ?? [])];
    const t0 = performance.now();
    const rows = loadArmChanges(db, filtersFrom(rest), facets);
    const t1 = performance.now();
    const summary = summariseBmdChange(rows, {
      groupBy: facets,
      method: splitMethod(rest.method).estimator,
      test,
    });
    JSON.stringify(summary);
    const t2 = performance.now();
    return { path, rows: rows.length, sql: t1 - t0, js: t2 - t1, total: t2 - t0 };
  });
  const totals = timed.map((t) => t.total).sort((a, b) => a - b);
  const worst = timed.reduce((a, b) => (b.total > a.total ? b : a));
  const sum = (key: 'sql' | 'js') => timed.reduce((s, t) => s + t[key], 0);
  console.log(
    `pass ${pass} (${pass === 1 ? 'cold' : 'warm'}), ${timed.length} queries: p50 ${ms(quantile(totals, 0.5))} ms, ` +
      `p90 ${ms(quantile(totals, 0.9))} ms, p95 ${ms(quantile(totals, 0.95))} ms, p99 ${ms(quantile(totals, 0.99))} ms, max ${ms(worst.total)} ms; ` +
      `SQL ${ms(sum('sql'))} ms + JS ${ms(sum('js'))} ms in all`,
  );
  const next = [...timed].sort((a, b) => b.total - a.total).slice(1, 4);
  console.log(
    `  next slowest: ${next.map((t) => `${ms(t.total)} ms (${t.rows} arm results; SQL ${ms(t.sql)}, JS ${ms(t.js)})`).join(', ')}`,
  );
  console.log(
    `  slowest: ${worst.path} (${worst.rows} arm results; SQL ${ms(worst.sql)} ms, JS ${ms(worst.js)} ms)`,
  );
}
closeDatabase(db);
