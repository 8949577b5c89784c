import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LRUCache } from 'lru-cache';
import { Piscina } from 'piscina';
import type { Db } from '../db/client';
import { badRequest } from '../errors';
import type { CatalogueAt, CatalogueHistory } from '../store/catalogue-history';
import { dataVersion } from '../store/trial-store';
import { AnalysisLane } from './lane';
import {
  type AnalysisLimits,
  type AnalysisOutcome,
  type AnalysisTask,
  type AnalysisWeight,
  runAnalysisTask,
  weightOf,
} from './tasks';

/** Seams for tests of the queue; a server never sets them. */
export interface AnalysisHooks {
  /** Called as each task takes its slot: not for an answer from the cache or a merged request. */
  onTaskStart?: (task: AnalysisTask) => void;
  /** Awaited in the task's slot before it runs, to hold it; it should reject when `signal` aborts. */
  beforeTask?: (task: AnalysisTask, signal: AbortSignal) => Promise<void>;
  /** The first `tasks` tasks the worker threads run each stall `ms`, uninterruptibly: a runaway computation. */
  workerStall?: { ms: number; tasks: number };
}

export interface AnalysisRunnerOptions {
  limits: AnalysisLimits;
  history: CatalogueHistory;
  /** ANALYSIS_QUEUE_MAX: the most analyses waiting in each lane. */
  queueMax: number;
  /** ANALYSIS_TIMEOUT_MS */
  timeoutMs: number;
  hooks?: AnalysisHooks;
}

/** The young generation of each analysis thread, in MB (see workers()). */
const ANALYSIS_YOUNG_GENERATION_MB = 64;

/** Threads per lane: summaries need one; the heavy lane may use a second core when there is one to spare. */
const THREADS: Record<AnalysisWeight, number> = {
  cheap: 1,
  heavy: Math.max(1, Math.min(2, availableParallelism() - 1)),
};

/**
 * Runs aggregates: from the cache when the data has not changed since, else in a lane of its weight
 * (summaries apart from meta-analyses, so they never wait behind one), on that lane's worker thread
 * (a file catalogue) or inline (an in-memory one, which a worker cannot open). Identical requests
 * in flight share one task and its answer or failure. The cache is keyed by task kind, normalised
 * query and data version; every write bumps the version, so an entry never outlives its data.
 */
export class AnalysisRunner {
  /** Bounded by size as well as count: one whole-catalogue meta-analysis can run to megabytes. */
  private readonly cache = new LRUCache<string, string>({
    max: 512,
    maxSize: 32_000_000,
    sizeCalculation: (json) => Math.max(1, json.length),
  });
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly lanes: Record<AnalysisWeight, AnalysisLane>;
  private readonly pools: Partial<Record<AnalysisWeight, Piscina<AnalysisTask, AnalysisOutcome>>> = {};
  private readonly hooks: AnalysisHooks;
  /** Shared by every worker thread: how long to stall, and how many stalls are left. */
  private readonly workerStall: { ms: number; left: Int32Array } | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: AnalysisRunnerOptions,
  ) {
    this.hooks = options.hooks ?? {};
    const stall = this.hooks.workerStall;
    if (stall) {
      const left = new Int32Array(new SharedArrayBuffer(4));
      left[0] = stall.tasks;
      this.workerStall = { ms: stall.ms, left };
    }
    const lane = (weight: AnalysisWeight) =>
      new AnalysisLane({
        concurrency: db.$client.memory ? 1 : THREADS[weight],
        queueMax: options.queueMax,
        timeoutMs: options.timeoutMs,
      });
    this.lanes = { cheap: lane('cheap'), heavy: lane('heavy') };
  }

  /** Started on first use, and only for a file: a worker cannot open another's in-memory database. */
  private workers(weight: AnalysisWeight): Piscina<AnalysisTask, AnalysisOutcome> | null {
    if (this.db.$client.memory) return null;
    this.pools[weight] ??= new Piscina({
      filename: fileURLToPath(new URL('./worker.ts', import.meta.url)),
      workerData: {
        databasePath: this.db.$client.name,
        limits: this.options.limits,
        stall: this.workerStall,
      },
      minThreads: 1,
      maxThreads: THREADS[weight],
      idleTimeout: 60_000,
      // An idle thread then waits on its event loop rather than blocked in Atomics.wait, so V8 can
      // collect and hand back the garbage of its last task (a summary leaves 100 MB or more); the
      // message costs a fraction of a millisecond, next to analyses of tens of milliseconds at least.
      atomics: 'disabled',
      // An analysis parses thousands of stored rows that live until it ends: in V8's default young
      // generation they are copied by several scavenges before being promoted, which cost a large
      // meta-analysis a fifth of its time. A larger one holds a task's rows between fewer scavenges
      // (2,500 studies over HTTP: median 91 → 58 ms at 64 MB, no faster at 192 MB, which kept about
      // 80 MB more resident); it is committed only as a task allocates.
      resourceLimits: { maxYoungGenerationSizeMb: ANALYSIS_YOUNG_GENERATION_MB },
    });
    return this.pools[weight];
  }

  /** The answer as JSON text, ready to send. */
  json(task: AnalysisTask): Promise<string> {
    const liveVersion = dataVersion(this.db);
    const key = cacheKey(task, liveVersion);
    const hit = this.cache.get(key);
    if (hit !== undefined) return Promise.resolve(hit);
    const running = this.inFlight.get(key);
    if (running) return running;
    const computing = this.compute(task, liveVersion).finally(() => {
      if (this.inFlight.get(key) === computing) this.inFlight.delete(key);
    });
    this.inFlight.set(key, computing);
    return computing;
  }

  private async compute(task: AnalysisTask, liveVersion: number): Promise<string> {
    const { asOf } = task.query as { asOf?: string };
    // Rebuilding the past is heavy whatever the aggregate; it runs in memory, which a worker cannot share.
    const weight = asOf === undefined ? weightOf(task) : 'heavy';
    return this.lanes[weight].run(async (signal) => {
      this.hooks.onTaskStart?.(task);
      await this.hooks.beforeTask?.(task, signal);
      if (asOf !== undefined) {
        const past = this.options.history.at(asOf);
        const json = answerAsOf(answerOf(runAnalysisTask(past.db, task, this.options.limits)), past);
        this.cache.set(cacheKey(task, liveVersion), json);
        return json;
      }
      const pool = this.workers(weight);
      const outcome = pool
        ? await pool.run(task, { signal })
        : runAnalysisTask(this.db, task, this.options.limits);
      const json = answerOf(outcome);
      this.cache.set(cacheKey(task, outcome.version), json);
      return json;
    });
  }

  /** How many analyses wait for a slot in each lane now. */
  waiting(): Record<AnalysisWeight, number> {
    return { cheap: this.lanes.cheap.waitingCount, heavy: this.lanes.heavy.waitingCount };
  }

  /** The answer as an object, for the answers drawn from it (CSV, a forest plot). */
  async value<T extends object>(task: AnalysisTask): Promise<T> {
    return JSON.parse(await this.json(task)) as T;
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.pools).map((pool) => pool.destroy()));
  }
}

const cacheKey = (task: AnalysisTask, version: number) =>
  `${task.kind}\n${version}\n${stableKey(task.query)}`;

/** The outcome's JSON, or the 400 its refusal stands for. */
function answerOf(outcome: AnalysisOutcome): string {
  if (outcome.refusal !== undefined) throw badRequest(outcome.refusal);
  return outcome.json;
}

/**
 * An answer computed on the catalogue as it stood at an instant: it names the instant and the data
 * version then in force, or says that version is unknown (an instant before the history began).
 */
function answerAsOf(json: string, past: CatalogueAt): string {
  const answer = JSON.parse(json) as {
    dataVersion: number | null;
    warnings?: { code: string; message: string }[];
  };
  answer.dataVersion = past.dataVersion;
  if (past.dataVersion === null)
    answer.warnings = [
      ...(answer.warnings ?? []),
      {
        code: 'DATA_VERSION_UNKNOWN',
        message:
          `The catalogue is answered as of ${past.at}, before the history of data versions began: ` +
          'the records are as they stood then, but the data version in force is not known.',
      },
    ];
  return JSON.stringify({ asOf: past.at, ...answer });
}

/** Queries with the same meaning give the same key: keys sorted, list values sorted. */
export function stableKey(query: object): string {
  const entries = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, Array.isArray(v) ? [...v].map(String).sort() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}
