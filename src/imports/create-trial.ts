import type { Database } from 'better-sqlite3';
import type { Db } from '../db/client';
import { newId } from '../domain/ids';
import { materializeTrial } from '../domain/trial-record';
import type { Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import { persistTrial } from '../store/persist-trial';

const cache = new WeakMap<Database, ReturnType<typeof prepare>>();

function prepare(sqlite: Database) {
  return {
    lastVersion: sqlite.prepare('SELECT max(version) FROM revisions WHERE trial_id = ?').pluck(),
    insertRevision: sqlite.prepare(
      "INSERT INTO revisions (trial_id, version, action, changed_by, changed_at, snapshot) VALUES (?, ?, 'CREATE', ?, ?, ?)",
    ),
    bumpDataVersion: sqlite.prepare(
      'UPDATE catalogue_state SET data_version = data_version + 1 WHERE id = 1',
    ),
  };
}

function statements(sqlite: Database) {
  let s = cache.get(sqlite);
  if (!s) {
    s = prepare(sqlite);
    cache.set(sqlite, s);
  }
  return s;
}

/**
 * Creates a trial the way the store's insertTrial does (materializeTrial, persistTrial, a CREATE
 * revision), for a record the import has already checked: its id is free and its registry and
 * arm ids belong to no other trial. Creating thousands of trials in one import, it skips those
 * repeated checks and keeps its statements prepared; the caller bumps the data version once
 * (`bumpDataVersion`) for the whole import.
 */
export function createCheckedTrial(
  db: Db,
  input: TrialInput,
  ctx: { changedBy: string; at: string },
  keepId?: string,
): Trial {
  const s = statements(db.$client);
  const id = keepId ?? newId('tr');
  // A kept id may have belonged to a deleted trial: its versions continue, never reused.
  const previous = keepId === undefined ? 0 : ((s.lastVersion.get(id) as number | null) ?? 0);
  const trial = materializeTrial(input, { id, version: previous + 1, createdAt: ctx.at, updatedAt: ctx.at });
  persistTrial(db.$client, trial);
  s.insertRevision.run(trial.id, trial.version, ctx.changedBy, ctx.at, JSON.stringify(trial));
  return trial;
}

export function bumpDataVersion(db: Db): void {
  statements(db.$client).bumpDataVersion.run();
}
