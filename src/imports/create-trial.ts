import type { Db } from '../db/client';
import { newId } from '../domain/ids';
import { materializeTrial } from '../domain/trial-record';
import type { Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import { persistTrial } from '../store/persist-trial';
import { lastVersion, type RevisionStamp, recordRevision } from '../store/trial-store';

/**
 * Creates a trial the way the store's insertTrial does (materializeTrial, persistTrial, a CREATE
 * revision), for a record the import has already checked: its id is free and its registry and
 * arm ids belong to no other trial. Creating thousands of trials in one import, it skips those
 * repeated checks and the data version bump; the caller bumps the data version once
 * (`bumpDataVersion`) for the whole import.
 */
export function createCheckedTrial(db: Db, input: TrialInput, ctx: RevisionStamp, keepId?: string): Trial {
  const id = keepId ?? newId('tr');
  // A kept id may have belonged to a deleted trial: its versions continue, never reused.
  const previous = keepId === undefined ? 0 : lastVersion(db, id);
  const trial = materializeTrial(input, { id, version: previous + 1, createdAt: ctx.at, updatedAt: ctx.at });
  persistTrial(db.$client, trial);
  recordRevision(db, trial, 'CREATE', ctx);
  return trial;
}
