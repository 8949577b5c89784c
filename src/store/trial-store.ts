import { catalogueBusy, isLockHeld } from '../db/busy';
import type { Db } from '../db/client';
import { prepared } from '../db/statements';
import { newId } from '../domain/ids';
import { sameTrial } from '../domain/trial-comparison';
import { materializeTrial } from '../domain/trial-record';
import { conflict, gone, notFound, preconditionFailed } from '../errors';
import { registryIdKey } from '../schemas/registry-id';
import type { Trial } from '../schemas/trial';
import type { TrialInput } from '../schemas/trial-input';
import { persistTrial, removeTrial } from './persist-trial';
import { trialJson } from './trial-json';

type RevisionAction = 'CREATE' | 'UPDATE' | 'DELETE';
export type RevisionChannel = 'API' | 'IMPORT' | 'SYNC';

/** Who writes, through which channel, and why: every revision keeps all three. */
export interface WriteContext {
  changedBy: string;
  channel: RevisionChannel;
  /** The writer's reason (`X-Revision-Note`), kept on the revision. */
  note?: string;
  now?: Date;
}

/** What a revision records of its write, besides the trial itself. */
export interface RevisionStamp {
  changedBy: string;
  channel: RevisionChannel;
  note?: string;
  at: string;
}

/** Reads the stored document of a live trial, or null. */
export function loadTrial(db: Db, id: string): Trial | null {
  const row = prepared(db.$client, 'SELECT document FROM trial_documents WHERE trial_id = ?').get(id) as
    | { document: string }
    | undefined;
  return row ? (JSON.parse(row.document) as Trial) : null;
}

/** The stored JSON document and version of a live trial, without parsing it. */
export function loadTrialDocument(db: Db, id: string): { document: string; version: number } | null {
  const row = prepared(
    db.$client,
    'SELECT d.document, t.version FROM trials t JOIN trial_documents d ON d.trial_id = t.id WHERE t.id = ?',
  ).get(id) as { document: string; version: number } | undefined;
  return row ?? null;
}

/** True when the id was used by a trial that has since been deleted. */
export function wasDeleted(db: Db, id: string): boolean {
  const row = prepared(
    db.$client,
    'SELECT action FROM revisions WHERE trial_id = ? ORDER BY version DESC LIMIT 1',
  ).get(id) as { action: string } | undefined;
  return row?.action === 'DELETE';
}

/** Refuses registry ids that another trial already holds, naming that trial. */
function assertRegistryIdsFree(db: Db, input: TrialInput, ownId: string): void {
  const find = prepared(db.$client, 'SELECT trial_id FROM registry_ids WHERE registry_id = ?');
  const clashes = input.registryIds.flatMap((registryId, i) => {
    const row = find.get(registryIdKey(registryId)) as { trial_id: string } | undefined;
    return row && row.trial_id !== ownId
      ? [{ path: `/registryIds/${i}`, message: `${registryId} already belongs to trial ${row.trial_id}` }]
      : [];
  });
  if (clashes.length) throw conflict('A registry id of this trial is already in the catalogue.', clashes);
}

/** Arm ids are global; one a client sends must not belong to another trial. */
function assertArmIdsFree(db: Db, input: TrialInput, ownId: string | null): void {
  const owner = prepared(db.$client, 'SELECT trial_id AS trialId FROM arms WHERE id = ?');
  const clashes = input.arms.flatMap((arm, i) => {
    if (arm.id === undefined) return [];
    const row = owner.get(arm.id) as { trialId: string } | undefined;
    return row && row.trialId !== ownId
      ? [{ path: `/arms/${i}/id`, message: `arm id ${arm.id} belongs to trial ${row.trialId}` }]
      : [];
  });
  if (clashes.length) throw conflict('An arm id of this trial belongs to another trial.', clashes);
}

/**
 * Records a revision holding the trial as written. It leaves the data version alone, so that an
 * import creating thousands of trials can bump it once (bumpDataVersion) for all of them.
 */
export function recordRevision(db: Db, trial: Trial, action: RevisionAction, stamp: RevisionStamp): void {
  prepared(
    db.$client,
    'INSERT INTO revisions (trial_id, version, action, changed_by, changed_at, snapshot, channel, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    trial.id,
    trial.version,
    action,
    stamp.changedBy,
    stamp.at,
    trialJson(trial),
    stamp.channel,
    stamp.note ?? null,
  );
}

/** The revision stamp of a write made now (or at `ctx.now`). */
export function stampOf(ctx: WriteContext): RevisionStamp {
  return {
    changedBy: ctx.changedBy,
    channel: ctx.channel,
    ...(ctx.note === undefined ? {} : { note: ctx.note }),
    at: (ctx.now ?? new Date()).toISOString(),
  };
}

/** A new data version, in force from `at` on (kept in the history that answers `asOf`). */
export function bumpDataVersion(db: Db, at: string): void {
  prepared(db.$client, 'UPDATE catalogue_state SET data_version = data_version + 1 WHERE id = 1').run();
  prepared(
    db.$client,
    'INSERT OR REPLACE INTO data_versions (version, at) SELECT data_version, ? FROM catalogue_state WHERE id = 1',
  ).run(at);
}

function appendRevision(db: Db, trial: Trial, action: RevisionAction, ctx: WriteContext, at: string): void {
  recordRevision(db, trial, action, { ...stampOf(ctx), at });
  bumpDataVersion(db, at);
}

/** The highest version an id ever had, deleted or not, so a re-created id never reuses a version. */
export function lastVersion(db: Db, id: string): number {
  const row = prepared(db.$client, 'SELECT max(version) AS v FROM revisions WHERE trial_id = ?').get(id) as {
    v: number | null;
  };
  return row.v ?? 0;
}

/**
 * The current version of a live trial, for a write that replaces or deletes it: gone or not found
 * otherwise, and stale when `expectedVersion` (from If-Match) is not the current one.
 */
function currentForWrite(db: Db, id: string, expectedVersion: number | undefined, advice = ''): Trial {
  const current = loadTrial(db, id);
  if (!current)
    throw wasDeleted(db, id) ? gone(`Trial ${id} was deleted.`) : notFound(`No trial has id ${id}.`);
  if (expectedVersion !== undefined && expectedVersion !== current.version)
    throw preconditionFailed(
      `Trial ${id} is at version ${current.version}, not ${expectedVersion}${advice}.`,
    );
  return current;
}

/** Stores a created or replaced trial and its revision, once its ids are known to be its own. */
function storeVersion(
  db: Db,
  input: TrialInput,
  ctx: WriteContext,
  meta: { id: string; version: number; createdAt?: string },
  current?: Trial,
): Trial {
  assertRegistryIdsFree(db, input, meta.id);
  assertArmIdsFree(db, input, meta.id);
  const at = (ctx.now ?? new Date()).toISOString();
  const trial = materializeTrial(
    input,
    { id: meta.id, version: meta.version, createdAt: meta.createdAt ?? at, updatedAt: at },
    current,
  );
  persistTrial(db.$client, trial);
  appendRevision(db, trial, current ? 'UPDATE' : 'CREATE', ctx, at);
  return trial;
}

/**
 * Creates a trial. Not wrapped in a transaction itself: callers (one HTTP write, or a whole
 * import) own the transaction, so many records can commit or fail together.
 */
export function insertTrial(db: Db, input: TrialInput, ctx: WriteContext, keepId?: string): Trial {
  const id = keepId ?? newId('tr');
  if (loadTrial(db, id)) throw conflict(`A trial with id ${id} already exists.`);
  return storeVersion(db, input, ctx, { id, version: lastVersion(db, id) + 1 });
}

/**
 * Replaces a live trial; `expectedVersion` (from If-Match) guards against lost updates. A write
 * that changes nothing a client sent answers the current version and writes nothing: no revision,
 * no new data version, so caches and citations stay valid.
 */
export function updateTrial(
  db: Db,
  id: string,
  input: TrialInput,
  ctx: WriteContext,
  expectedVersion?: number,
): Trial {
  const current = currentForWrite(db, id, expectedVersion, ': fetch it again and reapply your change');
  if (sameTrial(input, current)) return current;
  return storeVersion(
    db,
    input,
    ctx,
    { id, version: current.version + 1, createdAt: current.createdAt },
    current,
  );
}

export function deleteTrial(db: Db, id: string, ctx: WriteContext, expectedVersion?: number): void {
  const current = currentForWrite(db, id, expectedVersion);
  const at = (ctx.now ?? new Date()).toISOString();
  removeTrial(db.$client, id);
  appendRevision(db, { ...current, version: current.version + 1, updatedAt: at }, 'DELETE', ctx, at);
}

/**
 * Runs `work` in one synchronous transaction: all of it commits, or none of it. A database held
 * by another writer is the busy kind, not a fault: the same work will succeed shortly.
 */
export function inTransaction<T>(db: Db, work: () => T): T {
  try {
    return db.$client.transaction(work).immediate();
  } catch (error) {
    throw isLockHeld(error) ? catalogueBusy() : error;
  }
}

export function dataVersion(db: Db): number {
  const row = prepared(db.$client, 'SELECT data_version AS v FROM catalogue_state WHERE id = 1').get() as {
    v: number;
  };
  return row.v;
}
