import type { Db } from '../db/client';
import { prepared } from '../db/statements';
import type { Trial } from '../schemas/trial';
import { loadTrialDocument, wasDeleted } from './trial-store';

/** A trial as it stood at an instant: its latest revision by then, or what became of it. */
export type TrialAsOf =
  | { state: 'live'; version: number; document: string }
  | { state: 'deleted' }
  | { state: 'absent' };

/** The trial as of `at` (ISO 8601 UTC), from its revisions alone. */
export function trialAsOf(db: Db, id: string, at: string): TrialAsOf {
  const row = prepared(
    db.$client,
    `SELECT version, action, snapshot FROM revisions
       WHERE trial_id = ? AND changed_at <= ? ORDER BY version DESC LIMIT 1`,
  ).get(id, at) as { version: number; action: string; snapshot: string } | undefined;
  if (!row) return { state: 'absent' };
  if (row.action === 'DELETE') return { state: 'deleted' };
  return { state: 'live', version: row.version, document: row.snapshot };
}

/** The trial now (`at` undefined) or as of an instant: the document to serve, or what became of it. */
export function trialState(db: Db, id: string, at: string | undefined): TrialAsOf {
  if (at !== undefined) return trialAsOf(db, id, new Date(at).toISOString());
  const stored = loadTrialDocument(db, id);
  if (stored) return { state: 'live', version: stored.version, document: stored.document };
  return wasDeleted(db, id) ? { state: 'deleted' } : { state: 'absent' };
}

/** Every trial live at `at`, each as its latest revision by then; deleted ones are left out. */
export function* trialsAsOf(db: Db, at: string): Generator<Trial> {
  const rows = prepared(
    db.$client,
    `SELECT r.snapshot AS snapshot FROM revisions r
       JOIN (SELECT trial_id, max(version) AS version FROM revisions WHERE changed_at <= ? GROUP BY trial_id) last
         ON last.trial_id = r.trial_id AND last.version = r.version
       WHERE r.action != 'DELETE' ORDER BY r.trial_id`,
  ).iterate(at) as IterableIterator<{ snapshot: string }>;
  for (const { snapshot } of rows) yield JSON.parse(snapshot) as Trial;
}

/** The data version in force at `at`; null before the history began (the migration that added it). */
export function dataVersionAsOf(db: Db, at: string): number | null {
  const row = prepared(
    db.$client,
    'SELECT version FROM data_versions WHERE at <= ? ORDER BY version DESC LIMIT 1',
  ).get(at) as { version: number } | undefined;
  return row?.version ?? null;
}
