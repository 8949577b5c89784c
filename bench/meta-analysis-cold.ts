// The meta-analysis and evidence rotations of `npm run bench`, cold and in-process: each distinct
// query runs once through the same task function the analysis worker calls, so the SQL and the
// statistics are timed without HTTP or queueing in the way. Usage:
//   npx tsx bench/meta-analysis-cold.ts [catalogue.db]   (default data/bench.db, copied first)
import { copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegressionQuery, SummaryOfFindingsQuery } from '../src/analysis/evidence/schemas';
import { ForestPlotQuery, MetaAnalysisQuery } from '../src/analysis/meta-analysis/schemas';
import { type AnalysisTask, runAnalysisTask } from '../src/analysis/tasks';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/client';
import { evidenceQueries, metaAnalysisQueries, unfilteredMetaAnalysisQueries } from './queries';

const source = process.argv[2] ?? 'data/bench.db';
// Never open the benchmark catalogue itself: opening in WAL mode writes beside it.
const copy = join(tmpdir(), `meta-analysis-cold-${process.pid}.db`);
copyFileSync(source, copy);
const db = openDatabase(copy);
db.$client.pragma('query_only = ON');

const KINDS: Record<string, AnalysisTask['kind']> = {
  '/meta-analyses/bmd': 'meta-analysis',
  '/meta-analyses/bmd/leave-one-out': 'leave-one-out',
  '/meta-analyses/bmd/cumulative': 'cumulative',
  '/meta-analyses/bmd/small-study-effects': 'small-study-effects',
  '/meta-analyses/bmd/regression': 'regression',
  '/meta-analyses/bmd/summary-of-findings': 'summary-of-findings',
};

/** The task a request path asks for, its query parsed by the route's own schema. */
function taskOf(url: string): AnalysisTask {
  const [path = '', search = ''] = url.split('?');
  const kind = KINDS[path];
  if (!kind) throw new Error(`not an analysis path: ${path}`);
  const raw: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) raw[key] = value;
  if (kind === 'regression') return { kind, query: RegressionQuery.parse(raw) };
  if (kind === 'summary-of-findings') return { kind, query: SummaryOfFindingsQuery.parse(raw) };
  // The meta-analysis as its route asks for it: with the JSON answer's page of studies.
  if (kind === 'meta-analysis') return { kind, query: MetaAnalysisQuery.parse(raw) } as AnalysisTask;
  return { kind, query: ForestPlotQuery.parse(raw) } as AnalysisTask;
}

// The service's own bound (ANALYSIS_MAX_STUDIES, from the environment or its default): a query
// over it is refused, as the service refuses it, and that refusal is what is timed.
const limits = { maxStudies: loadConfig().ANALYSIS_MAX_STUDIES };

function timeOnce(url: string): { url: string; ms: number; bytes: number } {
  const task = taskOf(url);
  const start = process.hrtime.bigint();
  const outcome = runAnalysisTask(db, task, limits);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  return { url, ms, bytes: outcome.json.length };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

function report(name: string, urls: string[]): void {
  const runs = urls.map(timeOnce);
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const slowest = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
  console.log(
    `${name} (${urls.length}): p50 ${quantile(ms, 0.5).toFixed(1)} ms, p99 ${quantile(ms, 0.99).toFixed(1)} ms, ` +
      `max ${slowest.ms.toFixed(1)} ms (${slowest.url}, ${(slowest.bytes / 1024).toFixed(0)} KB)`,
  );
}

const rssMb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);
report('meta-analyses, cell source × route', metaAnalysisQueries());
report('evidence analyses, randomised, cell source × route', evidenceQueries());
console.log(`RSS ${rssMb()} MB`);
const whole = unfilteredMetaAnalysisQueries();
for (const url of whole.slice(0, Number(process.env.WHOLE ?? 2))) {
  const r = timeOnce(url);
  console.log(
    `whole catalogue ${url}: ${r.ms.toFixed(0)} ms, ${(r.bytes / 1024).toFixed(0)} KB, RSS ${rssMb()} MB`,
  );
}
db.$client.close();
// The copy is as large as the catalogue: leave nothing behind.
for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
