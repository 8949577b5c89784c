import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { illustrativeTrials } from '../seed/illustrative/generate';
import { closeDatabase, openDatabase } from '../src/db/client';
import { createApiKey } from '../src/store/api-keys';
import { freePort, startProcess, stopProcess } from './processes';
import { sampleTrialIds } from './queries';

/**
 * `GET /trials/{id}` (rotating ids) while the service is at rest, while it applies a ~25 MB
 * import, and while 40 distinct uncached whole-catalogue meta-analyses wait for the analysis
 * thread: the p99 of each, as a ratio to the p99 at rest (goal ≤ 3×). The import writes, so the
 * service runs over a copy of the benchmark catalogue, with an editor key created on the copy.
 *
 *   npx tsx bench/under-load.ts [--db data/bench.db] [--out bench/results.json]
 *
 * Run alone or at the end of `npm run bench`; the figures go into `out` under `underLoad`.
 */
const GOAL_RATIO = 3;
const IMPORT_BYTES = 25_000_000;
const HEAVY_ANALYSES = 40;
/** Readers sending one request after another, each on its own keep-alive connection. */
const READERS = 4;
const AT_REST_MS = 10_000;
/** No phase runs longer, whatever the service does meanwhile. */
const PHASE_CAP_MS = 180_000;

export interface UnderLoadPhase {
  name: string;
  requests: number;
  /** Answers other than 200, and requests that failed. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  /** p99 / p99 at rest. */
  ratio: number;
  goalMet: boolean;
  /** How the load itself was answered: status → count. */
  load?: Record<string, number>;
  loadMs?: number;
}

export interface UnderLoadResult {
  catalogue: string;
  readers: number;
  goalRatio: number;
  importBytes: number;
  importTrials: number;
  phases: UnderLoadPhase[];
  at: string;
}

const quantile = (sorted: number[], q: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number);

/** Reads `paths` round-robin from READERS loops until `done` settles, timing each request. */
async function readWhile(base: string, paths: string[], done: Promise<unknown>) {
  const latencies: number[] = [];
  let errors = 0;
  let stop = false;
  void done.finally(() => {
    stop = true;
  });
  let next = 0;
  const reader = async () => {
    while (!stop) {
      const path = paths[next++ % paths.length] as string;
      const started = performance.now();
      try {
        const res = await fetch(base + path);
        await res.arrayBuffer();
        if (res.status !== 200) errors += 1;
      } catch {
        errors += 1;
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: READERS }, reader));
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

const elapse = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends the requests at once and resolves when each is answered, or at PHASE_CAP_MS, when those
 * still waiting are given up: with how each was answered (status → count; `unanswered` at the cap,
 * `failed` otherwise) and how long they took together.
 */
async function tally(requests: { url: string; init?: RequestInit }[]) {
  const started = performance.now();
  const cap = new AbortController();
  const timer = setTimeout(() => cap.abort(), PHASE_CAP_MS);
  const load: Record<string, number> = {};
  const count = (outcome: string) => {
    load[outcome] = (load[outcome] ?? 0) + 1;
  };
  await Promise.all(
    requests.map(async ({ url, init }) => {
      try {
        const res = await fetch(url, { ...init, signal: cap.signal });
        await res.arrayBuffer();
        count(String(res.status));
      } catch {
        count(cap.signal.aborted ? 'unanswered' : 'failed');
      }
    }),
  );
  clearTimeout(timer);
  return { load, loadMs: Math.round(performance.now() - started) };
}

/** A bundle of illustrative (made-up) trials of at least IMPORT_BYTES of JSON. */
function importBundle(): { text: string; trials: number } {
  const trials: unknown[] = [];
  let bytes = 20;
  for (const trial of illustrativeTrials(1_000_000, 20_261_201)) {
    trials.push(trial);
    bytes += JSON.stringify(trial).length + 1;
    if (bytes >= IMPORT_BYTES) break;
  }
  return { text: JSON.stringify({ trials }), trials: trials.length };
}

/** A consistent copy of the catalogue, in one step of SQLite's backup (the original is only read). */
async function copyCatalogue(file: string, dir: string): Promise<string> {
  const copy = join(dir, 'under-load.db');
  const source = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(copy, { progress: () => Number.MAX_SAFE_INTEGER });
  } finally {
    source.close();
  }
  return copy;
}

export async function measureUnderLoad(file: string, log: (line: string) => void): Promise<UnderLoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-under-load-'));
  try {
    log(`copying ${file} …`);
    const copy = await copyCatalogue(file, dir);
    const keyDb = openDatabase(copy);
    const { secret } = createApiKey(keyDb, 'bench-importer', 'editor');
    closeDatabase(keyDb);
    const ids = sampleTrialIds(copy, 500);
    const bundle = importBundle();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = await startProcess(
      'src/server.ts',
      {
        DATABASE_PATH: copy,
        PORT: String(port),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_MAX: '100000000',
        RATE_LIMIT_WRITE_MAX: '100000000',
        // Room for all the heavy analyses to wait their turn, as the scenario asks.
        ANALYSIS_QUEUE_MAX: String(HEAVY_ANALYSES),
      },
      `${base}/health`,
    );
    try {
      const phases: Omit<UnderLoadPhase, 'ratio' | 'goalMet'>[] = [];
      log('at rest …');
      await readWhile(base, ids, elapse(2_000)); // warm-up: connections, statement caches
      phases.push({ name: 'at rest', ...(await readWhile(base, ids, elapse(AT_REST_MS))) });

      log(`during an import of ${bundle.trials} trials (${(bundle.text.length / 1e6).toFixed(1)} MB) …`);
      const importing = tally([
        {
          url: `${base}/imports?format=bundle`,
          init: {
            method: 'POST',
            headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
            body: bundle.text,
          },
        },
      ]);
      const duringImport = await readWhile(base, ids, importing);
      phases.push({
        name: `during a ${(bundle.text.length / 1e6).toFixed(0)} MB import`,
        ...duringImport,
        ...(await importing),
      });

      log(`during ${HEAVY_ANALYSES} queued whole-catalogue meta-analyses …`);
      // Distinct queries (each start year from 1900 on selects every dated trial), so none is cached.
      const analysing = tally(
        Array.from({ length: HEAVY_ANALYSES }, (_, i) => ({
          url: `${base}/meta-analyses/bmd?site=LUMBAR_SPINE&metric=PERCENT_CHANGE&startYearFrom=${1900 + i}`,
        })),
      );
      const duringAnalyses = await readWhile(base, ids, analysing);
      phases.push({
        name: `during ${HEAVY_ANALYSES} queued heavy analyses`,
        ...duringAnalyses,
        ...(await analysing),
      });

      // Once more at rest: how far the machine's own noise moves the figure.
      phases.push({ name: 'at rest, again', ...(await readWhile(base, ids, elapse(AT_REST_MS))) });

      const rest = phases[0]?.p99Ms as number;
      return {
        catalogue: file,
        readers: READERS,
        goalRatio: GOAL_RATIO,
        importBytes: bundle.text.length,
        importTrials: bundle.trials,
        phases: phases.map((phase) => ({
          ...phase,
          p50Ms: Number(phase.p50Ms.toFixed(2)),
          p99Ms: Number(phase.p99Ms.toFixed(2)),
          ratio: Number((phase.p99Ms / rest).toFixed(2)),
          goalMet: phase.p99Ms <= GOAL_RATIO * rest,
        })),
        at: new Date().toISOString(),
      };
    } finally {
      await stopProcess(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printResult(result: UnderLoadResult, write: (text: string) => void): void {
  const pad = (s: string, n: number) => s.padEnd(n);
  write(
    `\nGET /trials/{id} under load (${result.readers} readers; goal: p99 ≤ ${result.goalRatio}× at rest)\n`,
  );
  write(
    `${pad('phase', 36)} ${pad('requests', 9)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('ratio', 7)} ${pad('goal', 7)} errors  load\n`,
  );
  for (const p of result.phases) {
    const load = p.load ? `${JSON.stringify(p.load)} in ${p.loadMs} ms` : '';
    write(
      `${pad(p.name, 36)} ${pad(String(p.requests), 9)} ${pad(p.p50Ms.toFixed(2), 8)} ${pad(p.p99Ms.toFixed(2), 8)} ${pad(`${p.ratio.toFixed(2)}×`, 7)} ${pad(p.goalMet ? 'met' : 'MISSED', 7)} ${pad(String(p.errors), 7)} ${load}\n`,
    );
  }
}

/** Measures, prints, and stores the figures in `out` under `underLoad`, keeping what else it holds. */
export async function recordUnderLoad(file: string, out: string): Promise<void> {
  const result = await measureUnderLoad(file, (line) => process.stdout.write(`under load: ${line}\n`));
  printResult(result, (text) => process.stdout.write(text));
  const stored = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as object) : {};
  writeFileSync(out, `${JSON.stringify({ ...stored, underLoad: result }, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'data/bench.db' },
      out: { type: 'string', default: 'bench/results.json' },
    },
  });
  const file = values.db as string;
  if (!existsSync(file)) {
    process.stderr.write(
      `No benchmark catalogue at ${file}: run \`npm run bench:data -- --out ${file}\` first.\n`,
    );
    process.exit(1);
  }
  await recordUnderLoad(file, values.out as string);
}
