import { LRUCache } from 'lru-cache';
import type { Db } from './db/client';
import { dataVersion } from './store/trial-store';

/**
 * Aggregates (counts, summaries, meta-analyses) cached by endpoint, normalised query and the
 * catalogue's data version. Every write bumps the version, so an entry can never outlive the
 * data it was computed from; old versions simply age out of the LRU.
 */
export class AnalysisCache {
  private readonly entries: LRUCache<string, object>;

  constructor(
    private readonly db: Db,
    max = 512,
  ) {
    this.entries = new LRUCache({ max });
  }

  /** `compute` must read its data and the version in one transaction and return both. */
  get<T extends object>(endpoint: string, query: object, compute: () => { value: T; version: number }): T {
    const key = (version: number) => `${endpoint}\n${version}\n${stableKey(query)}`;
    const hit = this.entries.get(key(dataVersion(this.db)));
    if (hit) return hit as T;
    const { value, version } = compute();
    this.entries.set(key(version), value);
    return value;
  }
}

/** Query objects with the same meaning give the same key: keys sorted, list values sorted. */
export function stableKey(query: object): string {
  const entries = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, Array.isArray(v) ? [...v].map(String).sort() : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}
