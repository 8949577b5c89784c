import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import {
  assertRestorable,
  DatabaseFileError,
  type DatabaseReport,
  inspectDatabaseFile,
  openReadOnly,
} from './inspect';

/** Flushes a file (or a directory entry, so a rename survives power loss) to stable storage. */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A scratch path beside `target`, so the final rename stays on one file system. */
const scratchBeside = (target: string, purpose: string) =>
  join(dirname(target), `.${basename(target)}.${purpose}-${process.pid}-${Date.now()}`);

function removeWithSidecars(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Copies `source` into `target` with SQLite's online backup API in a single step, so the copy is
 * one consistent snapshot even while another process keeps writing (a multi-step backup would
 * restart on every such write). Readers and writers of `source` are not blocked in WAL mode.
 */
async function snapshot(source: string, target: string): Promise<void> {
  const { db, close } = openReadOnly(source);
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(target, { progress: () => Number.MAX_SAFE_INTEGER });
  } finally {
    close();
  }
  // A copy in rollback-journal mode is one self-contained file; the server turns WAL back on.
  const copy = new Database(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/**
 * Writes a consistent copy of the live database at `source` to `destination` and checks it; the
 * copy appears under its name only once it is complete and verified.
 */
export async function backupDatabase(source: string, destination: string): Promise<DatabaseReport> {
  if (!existsSync(source)) throw new DatabaseFileError(`There is no database at ${source}.`);
  mkdirSync(dirname(destination), { recursive: true });
  const scratch = scratchBeside(destination, 'backup');
  try {
    await snapshot(source, scratch);
    const report = inspectDatabaseFile(scratch);
    if (report.integrity !== 'ok')
      throw new DatabaseFileError(`The copy fails PRAGMA integrity_check: ${report.integrity.slice(0, 500)}`);
    fsyncPath(scratch);
    renameSync(scratch, destination);
    fsyncPath(dirname(destination));
    return report;
  } finally {
    removeWithSidecars(scratch);
  }
}

/**
 * Takes the database at `path` for the restore: refuses when any other connection (a running
 * server) has it open, else folds its WAL in and holds an exclusive lock until `release`, so no
 * server can open it half-way through the swap.
 */
function takeOver(path: string): { release: () => void } {
  if (!existsSync(path)) return { release: () => {} };
  const db = new Database(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    // Leaving WAL mode needs an exclusive lock, which fails while another connection holds the file.
    db.pragma('journal_mode = DELETE');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY')
      throw new DatabaseFileError(`${path} is in use: stop the server before restoring over it.`);
    throw error;
  }
  return {
    release: () => {
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

/**
 * Replaces the database at `target` with the backup at `backup`, after checking the backup's
 * integrity and that its schema is not newer than this code. The backup is copied beside the
 * target, flushed, and renamed over it, so a crash leaves either the old database or the new one.
 */
export async function restoreDatabase(backup: string, target: string): Promise<DatabaseReport> {
  const report = inspectDatabaseFile(backup);
  assertRestorable(backup, report);
  mkdirSync(dirname(target), { recursive: true });
  const scratch = scratchBeside(target, 'restore');
  const lock = takeOver(target);
  try {
    await snapshot(backup, scratch);
    fsyncPath(scratch);
    // A stale WAL or shared-memory file beside the new database would be replayed into it.
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
    renameSync(scratch, target);
    fsyncPath(dirname(target));
  } finally {
    lock.release();
    removeWithSidecars(scratch);
  }
  return report;
}
