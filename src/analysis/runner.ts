import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { LRUCache } from 'lru-cache';
import { Piscina } from 'piscina';
import type { Db } from '../db/client';
import { badRequest } from '../errors';
import type { CatalogueAt, CatalogueHistory } from '../store/catalogue-history';
import { dataVersion } from '../store/trial-store';
import { type AnalysisLimits, type AnalysisOutcome, type AnalysisTask, runAnalysisTask } from './tasks';

/**
 * Runs aggregates: from the cache when the data has not changed since, else on a worker thread
 * (a file catalogue) or inline (an in-memory one, which a worker cannot open). The cache is keyed
 * by task kind, normalised query and data version; every write bumps the version, so an entry
 * never outlives the data it was computed from.
 */
export class AnalysisRunner {
  /** Bounded by size as well as count: one whole-catalogue meta-analysis can run to megabytes. */
  private readonly cache = new LRUCache<string, string>({
    max: 512,
    maxSize: 32_000_000,
    sizeCalculation: (json) => Math.max(1, json.length),
  });
  private pool: Piscina<AnalysisTask, AnalysisOutcome> | null = null;

  constructor(
    private readonly db: Db,
    private readonly limits: AnalysisLimits,
    private readonly history: CatalogueHistory,
  ) {}

  /** Started on first use, and only for a file: a worker cannot open another's in-memory database. */
  private workers(): Piscina<AnalysisTask, AnalysisOutcome> | null {
    if (this.db.$client.memory) return null;
    this.pool ??= new Piscina({
      filename: fileURLToPath(new URL('./worker.ts', import.meta.url)),
      workerData: { databasePath: this.db.$client.name, limits: this.limits },
      minThreads: 1,
      maxThreads: Math.max(1, Math.min(2, availableParallelism() - 1)),
      idleTimeout: 60_000,
    });
    return this.pool;
  }

  /** The answer as JSON text, ready to send. */
  async json(task: AnalysisTask): Promise<string> {
    const key = (version: number) => `${task.kind}\n${version}\n${stableKey(task.query)}`;
    const hit = this.cache.get(key(dataVersion(this.db)));
    if (hit !== undefined) return hit;
    const { asOf } = task.query as { asOf?: string };
    if (asOf !== undefined) {
      // The past is rebuilt in memory, which a worker cannot share; the answer carries the version then.
      const liveVersion = dataVersion(this.db);
      const past = this.history.at(asOf);
      const outcome = runAnalysisTask(past.db, task, this.limits);
      if (outcome.refusal !== undefined) throw badRequest(outcome.refusal);
      const json = answerAsOf(outcome.json, past);
      this.cache.set(key(liveVersion), json);
      return json;
    }
    const pool = this.workers();
    const outcome = pool ? await pool.run(task) : runAnalysisTask(this.db, task, this.limits);
    if (outcome.refusal !== undefined) throw badRequest(outcome.refusal);
    this.cache.set(key(outcome.version), outcome.json);
    return outcome.json;
  }

  /** The answer as an object, for the answers drawn from it (CSV, a forest plot). */
  async value<T extends object>(task: AnalysisTask): Promise<T> {
    return JSON.parse(await this.json(task)) as T;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
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
