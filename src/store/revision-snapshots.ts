import type { Db } from '../db/client';
import { prepared } from '../db/statements';
import type { Trial } from '../schemas/trial';
import type { RevisionChannel } from './trial-store';

/** One revision of a trial with the document it recorded. */
export interface RevisionSnapshot {
  version: number;
  action: 'CREATE' | 'UPDATE';
  /** Null on revisions written before channels were recorded. */
  channel: RevisionChannel | null;
  /** The trial as this revision wrote it (parsed on first use). */
  trial: () => Trial;
}

interface Row {
  version: number;
  action: 'CREATE' | 'UPDATE';
  channel: RevisionChannel | null;
  snapshot: string;
}

/**
 * The revisions of a live trial since it was last created, newest first, read in one query. A
 * trial deleted and created again starts a new life: what the earlier one held says nothing about
 * who set today's values. Snapshots are parsed only when asked for, since a question about one
 * value is usually answered by the newest few.
 */
export function revisionsSinceCreated(db: Db, trialId: string): RevisionSnapshot[] {
  const rows = prepared(
    db.$client,
    `SELECT version, action, channel, snapshot FROM revisions
       WHERE trial_id = ? AND action != 'DELETE' AND version >= (
         SELECT coalesce(max(version), 0) FROM revisions WHERE trial_id = ? AND action = 'CREATE')
       ORDER BY version DESC`,
  ).all(trialId, trialId) as Row[];
  return rows.map(({ snapshot, ...meta }) => {
    let parsed: Trial | undefined;
    return {
      ...meta,
      trial: () => {
        parsed ??= JSON.parse(snapshot) as Trial;
        return parsed;
      },
    };
  });
}
