import { databaseBusy } from '../errors';

/** Writes are short transactions, so a second later the other writer has usually let go. */
const BUSY_RETRY_AFTER_SECONDS = 1;

/** SQLite's answer when another connection holds the lock past the busy timeout. */
export function isLockHeld(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** The busy kind a held lock answers (503 with Retry-After): the same work will succeed shortly. */
export function catalogueBusy() {
  return databaseBusy(
    'The catalogue is busy with another write; try again shortly.',
    BUSY_RETRY_AFTER_SECONDS,
  );
}
