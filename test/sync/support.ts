import { afterEach } from 'vitest';
import { runSyncCommand } from '../../src/cli/sync';
import { closeDatabase, type Db, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import type { Clock } from '../../src/imports/sync/clock';
import { RegistryStandIn, realStudies, syntheticStudies } from './registry-stand-in';

/** A clock whose sleeps return at once and move time on, so backoffs and pacing cost no real time. */
export interface FakeClock extends Clock {
  sleeps: number[];
  set: (iso: string) => void;
}

export function fakeClock(startIso: string): FakeClock {
  let now = Date.parse(startIso);
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
    set: (iso) => {
      now = Date.parse(iso);
    },
  };
}

const opened: { db: Db | null; standIn: RegistryStandIn }[] = [];
afterEach(async () => {
  for (const { db, standIn } of opened.splice(0)) {
    if (db) closeDatabase(db);
    await standIn.close();
  }
});

export interface SyncSetup {
  db: Db;
  standIn: RegistryStandIn;
  clock: FakeClock;
  /** Runs `npm run sync -- ...args` as a function; the output lines and the exit code. */
  sync: (...args: string[]) => Promise<{ code: number; out: string[]; err: string[]; text: string }>;
}

export interface SyncSetupOptions {
  /** What the registry holds; the real and synthetic fixture records by default. */
  studies?: object[];
  timeoutMs?: number;
  /** A test app's database to sync into (the app closes it); an empty catalogue by default. */
  db?: Db;
}

/**
 * An empty catalogue and a stand-in registry holding the real fixture records (off topic) and the
 * synthetic ones (on topic), three to a page.
 */
export async function syncSetup(options: SyncSetupOptions = {}) {
  const db = options.db ?? openDatabase(':memory:');
  if (!options.db) runMigrations(db);
  const standIn = await new RegistryStandIn(
    options.studies ?? [...realStudies(), ...syntheticStudies()],
    3,
  ).start();
  opened.push({ db: options.db ? null : db, standIn });
  const clock = fakeClock('2025-03-10T12:00:00.000Z');
  const config = {
    CTGOV_API_URL: standIn.url,
    CTGOV_MAX_REQUESTS_PER_MINUTE: 50,
    CTGOV_REQUEST_TIMEOUT_MS: options.timeoutMs ?? 5_000,
  };
  const sync = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const code = await runSyncCommand(db, args, io, { config, clock, random: () => 0.5 });
    return { code, out, err, text: out.join('\n') };
  };
  return { db, standIn, clock, sync } satisfies SyncSetup;
}

export const count = (db: Db, sql: string, ...params: unknown[]): number =>
  db.$client
    .prepare(sql)
    .pluck()
    .get(...params) as number;

export const dataVersionOf = (db: Db) => count(db, 'SELECT data_version FROM catalogue_state WHERE id = 1');

export const syncRuns = (db: Db) =>
  db.$client
    .prepare(
      'SELECT query, since, outcome, counts, finished_at AS finishedAt FROM registry_syncs ORDER BY id',
    )
    .all() as {
    query: string;
    since: string | null;
    outcome: string;
    counts: string | null;
    finishedAt: string | null;
  }[];

/** The on-topic synthetic records the stand-in serves. */
export const SYNTHETIC_IDS = ['NCT99999901', 'NCT99999902', 'NCT99999903'];
