import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { coldPass, lanesDrained } from './cold-pass';
import {
  BMD_CHANGE,
  COUNTS,
  DEEP_PAGES,
  EVIDENCE,
  evaluateGoals,
  FIRST_PAGES,
  goalLines,
  LIST_FILTERS,
  LIST_ROTATION,
  LOOKUP,
  META_ANALYSIS,
  WHOLE_CATALOGUE,
} from './goals';
import { readThrough } from './page-cache';
import { freePort, peakRssMb, rssMb, startProcess, stopProcess } from './processes';
import {
  bmdChangeQueries,
  cellRouteStatusQueries,
  countsQueries,
  cursorsAt,
  evidenceQueries,
  evidenceWarmUps,
  filteredListQueries,
  metaAnalysisQueries,
  sampleTrialIds,
  unfilteredMetaAnalysisQueries,
} from './queries';
import { recordUnderLoad } from './under-load';

/**
 * Starts the service over a benchmark catalogue and, in the same run, a bare Fastify route as
 * the baseline; drives each endpoint with autocannon, rotating through many distinct queries so
 * no cache can stand in for the work; prints one table and writes bench/results.json.
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/bench.db' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    out: { type: 'string', default: 'bench/results.json' },
    // The under-load phase copies the catalogue and queues 40 whole-catalogue analyses: at a
    // million trials that is 15 GB and most of an hour, so it can be left to a run of its own.
    'skip-under-load': { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const file = values.db as string;
if (!existsSync(file)) {
  process.stderr.write(
    `No benchmark catalogue at ${file}: run \`npm run bench:data -- --out ${file}\` first.\n`,
  );
  process.exit(1);
}

interface Measured {
  name: string;
  queries: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  ratio?: number;
  /** The service's peak RSS so far, read right after this endpoint's run. */
  peakRssMb?: number | null;
  /** The service's RSS right after this endpoint's run: what the phase left held, where the peak is the most ever. */
  rssMb?: number | null;
  /** Each distinct query once, one at a time, before the load: cold latency and the slowest query. */
  alone?: { p50: number; p99: number; max: number; worst: string };
}

/** `alone`: one request at a time, each path once, for an analysis too large to load-test. */
async function measure(name: string, base: string, paths: string[], alone = false): Promise<Measured> {
  let i = 0;
  const result = await autocannon({
    url: base,
    ...(alone ? { connections: 1, amount: paths.length, timeout: 60 } : { connections, duration }),
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] as string }) }],
  });
  return {
    name,
    queries: paths.length,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

const cached = await readThrough(file);
process.stdout.write(`read ${file} through (${cached.gb} GB) in ${cached.ms} ms\n`);

const appPort = await freePort();
const app = await startProcess(
  'src/server.ts',
  {
    DATABASE_PATH: file,
    PORT: String(appPort),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '100000000',
    RATE_LIMIT_WRITE_MAX: '100000000',
  },
  `http://127.0.0.1:${appPort}/health`,
);
const basePort = await freePort();
const baseline = await startProcess(
  'bench/baseline-server.ts',
  { PORT: String(basePort) },
  `http://127.0.0.1:${basePort}/`,
);
const appUrl = `http://127.0.0.1:${appPort}`;

try {
  const baseUrl = `http://127.0.0.1:${basePort}`;
  const base = await measure('baseline: bare Fastify route', baseUrl, ['/']);
  const firstPages = await cursorsAt(appUrl, 0, 100);
  const deepPages = await cursorsAt(appUrl, 50_000, 100);
  // Starts both analysis lanes' workers with a query outside every rotation: a worker's one-time
  // start-up is not the cold cost of a query, and would otherwise land on the first counts request
  // and the first meta-analysis measured.
  await (await fetch(`${appUrl}/summaries/counts?facets=studyType`)).arrayBuffer();
  await (await fetch(`${appUrl}/meta-analyses/bmd?site=TOTAL_BODY&metric=T_SCORE`)).arrayBuffer();
  // Likewise a freshly started process compiles each analysis's code on its first use: each
  // evidence analysis is asked once, on non-randomised trials (every rotation asks of randomised
  // ones), so the rotation's first questions are timed as a running service answers them.
  for (const path of evidenceWarmUps())
    await (await fetch(`${appUrl}/meta-analyses/bmd/${path}`)).arrayBuffer();
  const runs: [string, string[], boolean?][] = [
    ['GET /health', ['/health']],
    [LIST_ROTATION, cellRouteStatusQueries()],
    [LIST_FILTERS, filteredListQueries()],
    [LOOKUP, sampleTrialIds(file, 200)],
    [FIRST_PAGES, firstPages],
    [DEEP_PAGES, deepPages],
    [COUNTS, countsQueries()],
    [BMD_CHANGE, bmdChangeQueries()],
    [META_ANALYSIS, metaAnalysisQueries()],
    [EVIDENCE, evidenceQueries()],
    [WHOLE_CATALOGUE, unfilteredMetaAnalysisQueries(), true],
  ];
  const measured: Measured[] = [];
  for (const [name, paths, alone] of runs) {
    // The cold pass first: afterwards the analyses' answers are cached for this data version.
    await lanesDrained(appUrl);
    const cold = await coldPass(appUrl, paths);
    const m = await measure(name, appUrl, paths, alone);
    measured.push({
      ...m,
      ratio: m.requestsPerSecond / base.requestsPerSecond,
      peakRssMb: peakRssMb(app.pid as number),
      rssMb: rssMb(app.pid as number),
      alone: cold,
    });
  }
  // Measured again at the end: on a shared machine the baseline moves, and the ratios use the
  // faster of the two runs, so a slow moment of the baseline never flatters the service.
  const baseAgain = await measure('baseline: bare Fastify route (again, at the end)', baseUrl, ['/']);
  if (baseAgain.requestsPerSecond > base.requestsPerSecond)
    for (const m of measured) m.ratio = m.requestsPerSecond / baseAgain.requestsPerSecond;
  const rss = peakRssMb(app.pid as number);
  const rows = [base, baseAgain, ...measured];
  const pad = (s: string, n: number) => s.padEnd(n);
  process.stdout.write(
    `\n${pad('endpoint', 58)} ${pad('queries', 8)} ${pad('req/s', 9)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('ratio', 7)} ${pad('errors', 7)} ${pad('RSS MB', 7)} peak RSS MB\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${pad(r.name, 58)} ${pad(String(r.queries), 8)} ${pad(r.requestsPerSecond.toFixed(0), 9)} ${pad(String(r.p50), 7)} ${pad(String(r.p99), 7)} ${pad(r.ratio === undefined ? '1' : r.ratio.toFixed(3), 7)} ${pad(String(r.errors), 7)} ${pad(String(r.rssMb ?? ''), 7)} ${r.peakRssMb ?? ''}\n`,
    );
  process.stdout.write(
    `\npeak RSS of the service: ${rss ?? '?'} MB\n\nslowest query of each rotation, alone and cold:\n`,
  );
  for (const r of measured)
    if (r.alone)
      process.stdout.write(
        `${pad(r.name, 58)} p99 ${r.alone.p99} ms, max ${r.alone.max} ms: ${r.alone.worst}\n`,
      );
  const goals = evaluateGoals(measured, rss);
  process.stdout.write(`\ngoals:\n${goalLines(goals).join('\n')}\n`);
  const report = {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    catalogue: file,
    pageCache: cached,
    duration,
    connections,
    baseline: base,
    baselineAtEnd: baseAgain,
    endpoints: measured,
    peakRssMb: rss,
    goals,
    at: new Date().toISOString(),
  };
  writeFileSync(values.out as string, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await stopProcess(app);
  await stopProcess(baseline);
}

// GET /trials/{id} during an import and during queued analyses, over a copy of the catalogue.
if (!values['skip-under-load']) await recordUnderLoad(file, values.out as string);
