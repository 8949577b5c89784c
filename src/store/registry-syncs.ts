import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { registrySyncs } from '../db/schema';
import type { Vocab } from '../vocabularies';

export type SyncOutcome = Vocab<'syncOutcome'>;

/** What a finished sync run counted, kept as JSON on its row. */
export type SyncCounts = Record<string, number>;

/** Records a sync run as RUNNING before it asks the registry anything; returns its id. */
export function startSyncRun(
  db: Db,
  run: { query: string; since: string | null; startedAt: string },
): number {
  const row = db
    .insert(registrySyncs)
    .values({ ...run, outcome: 'RUNNING' })
    .returning({ id: registrySyncs.id })
    .get();
  return row.id;
}

/** Closes a run with its outcome. A run killed before this stays RUNNING and never counts as done. */
export function finishSyncRun(
  db: Db,
  id: number,
  finish: { outcome: Exclude<SyncOutcome, 'RUNNING'>; finishedAt: string; counts: SyncCounts },
): void {
  db.update(registrySyncs)
    .set({ outcome: finish.outcome, finishedAt: finish.finishedAt, counts: JSON.stringify(finish.counts) })
    .where(eq(registrySyncs.id, id))
    .run();
}

/** When the last COMPLETED run of this query started (an ISO timestamp), or null if none did. */
export function lastCompletedSyncStart(db: Db, query: string): string | null {
  const row = db
    .select({ startedAt: registrySyncs.startedAt })
    .from(registrySyncs)
    .where(and(eq(registrySyncs.query, query), eq(registrySyncs.outcome, 'COMPLETED')))
    .orderBy(desc(registrySyncs.startedAt))
    .limit(1)
    .get();
  return row?.startedAt ?? null;
}
