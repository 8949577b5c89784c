import { LRUCache } from 'lru-cache';
import { type Db, openDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import { prepared } from '../db/statements';
import { dataVersionAsOf, trialsAsOf } from './history';
import { persistTrial } from './persist-trial';
import { dataVersion } from './trial-store';

/** The catalogue as it stood at one instant: a database to read, and the data version then. */
export interface CatalogueAt {
  db: Db;
  /** The data version in force then; null before the history of versions began. */
  dataVersion: number | null;
  at: string;
}

/**
 * The catalogue as of any past instant, rebuilt from the revision history (deletions included)
 * into a private in-memory database that every read and analysis then runs on unchanged, so an
 * answer `asOf` an instant is the answer that was given then. A rebuilt catalogue is kept for the
 * two most recent instants asked for. Rebuilding reads every revision up to the instant once.
 */
export class CatalogueHistory {
  private readonly rebuilt = new LRUCache<string, CatalogueAt>({
    max: 2,
    dispose: (entry) => entry.db.$client.close(),
  });

  constructor(private readonly live: Db) {}

  /** `at` is an ISO 8601 instant no later than now (the query schemas check both). */
  at(at: string): CatalogueAt {
    const instant = new Date(at).toISOString();
    // Keyed by the live data version too: a long import commits revisions stamped with its start, so
    // a recent instant's past can still gain records until that write lands.
    const key = `${instant}@${dataVersion(this.live)}`;
    const hit = this.rebuilt.get(key);
    if (hit) return hit;
    const entry = this.rebuild(instant);
    this.rebuilt.set(key, entry);
    return entry;
  }

  private rebuild(at: string): CatalogueAt {
    const db = openDatabase(':memory:');
    runMigrations(db);
    const dataVersion = dataVersionAsOf(this.live, at);
    // The live catalogue is read in one transaction, so the rebuilt one is a consistent cut.
    this.live.$client
      .transaction(() => {
        db.$client.transaction(() => {
          for (const trial of trialsAsOf(this.live, at)) persistTrial(db.$client, trial);
          prepared(db.$client, 'UPDATE catalogue_state SET data_version = ? WHERE id = 1').run(
            dataVersion ?? 0,
          );
        })();
      })
      .deferred();
    db.$client.pragma('query_only = ON');
    return { db, dataVersion, at };
  }

  close(): void {
    this.rebuilt.clear();
  }
}
