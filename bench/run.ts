import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort, peakRssMb, startProcess, stopProcess } from './processes';
import {
  bmdChangeQueries,
  countsQueries,
  cursorsAt,
  evidenceQueries,
  filteredListQueries,
  metaAnalysisQueries,
  sampleTrialIds,
  unfilteredMetaAnalysisQueries,
} from './queries';

/**
 * Starts the service over a benchmark catalogue and, in the same run, a bare Fastify route as
 * the baseline; drives each endpoint with autocannon, rotating through many distinct queries so
 * no cache can stand in for the work; prints one table and writes bench/results.json.
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/bench.db' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench/results.json' },
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
  const base = await measure('baseline: bare Fastify route', `http://127.0.0.1:${basePort}`, ['/']);
  const firstPages = await cursorsAt(appUrl, 0, 100);
  const deepPages = await cursorsAt(appUrl, 50_000, 100);
  const runs: [string, string[], boolean?][] = [
    ['GET /health', ['/health']],
    ['GET /trials?cellSource&route (25 full trials)', filteredListQueries()],
    ['GET /trials/{id}', sampleTrialIds(file, 200)],
    ['GET /trials first pages (cursor)', firstPages],
    ['GET /trials 50,000 rows deep (cursor)', deepPages],
    ['GET /summaries/counts (3 facets)', countsQueries()],
    ['GET /summaries/bmd-change?groupBy=cellSource', bmdChangeQueries()],
    ['GET /meta-analyses/bmd (site, metric, cellSource×route)', metaAnalysisQueries()],
    ['GET /meta-analyses/bmd/{evidence analyses} (randomised, cellSource×route)', evidenceQueries()],
    ['GET /meta-analyses/bmd (whole catalogue, one at a time)', unfilteredMetaAnalysisQueries(), true],
  ];
  const measured: Measured[] = [];
  for (const [name, paths, alone] of runs) {
    const m = await measure(name, appUrl, paths, alone);
    measured.push({
      ...m,
      ratio: m.requestsPerSecond / base.requestsPerSecond,
      peakRssMb: peakRssMb(app.pid as number),
    });
  }
  const rss = peakRssMb(app.pid as number);
  const rows = [base, ...measured];
  const pad = (s: string, n: number) => s.padEnd(n);
  process.stdout.write(
    `\n${pad('endpoint', 58)} ${pad('queries', 8)} ${pad('req/s', 9)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('ratio', 7)} ${pad('errors', 7)} peak RSS MB\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${pad(r.name, 58)} ${pad(String(r.queries), 8)} ${pad(r.requestsPerSecond.toFixed(0), 9)} ${pad(String(r.p50), 7)} ${pad(String(r.p99), 7)} ${pad(r.ratio === undefined ? '1' : r.ratio.toFixed(3), 7)} ${pad(String(r.errors), 7)} ${r.peakRssMb ?? ''}\n`,
    );
  process.stdout.write(`\npeak RSS of the service: ${rss ?? '?'} MB\n`);
  const report = {
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    catalogue: file,
    duration,
    connections,
    baseline: base,
    endpoints: measured,
    peakRssMb: rss,
    at: new Date().toISOString(),
  };
  writeFileSync(values.out as string, `${JSON.stringify(report, null, 2)}\n`);
} finally {
  await stopProcess(app);
  await stopProcess(baseline);
}
