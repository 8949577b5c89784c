import Database from 'better-sqlite3';
import { isRecordRefusal } from '../errors';
import {
  type ImportIssue,
  type ImportRecord,
  type ImportWarning,
  type RecordOutcome,
  rejectionsFull,
} from './types';

/** A record's outcome as applied; `assignedId` when this import gave the trial its id (void if rolled back). */
export interface AppliedRecord extends ImportRecord {
  assignedId: boolean;
}

/** What an import has done and found so far; the service turns it into the report. */
export interface Tally {
  created: number;
  updated: number;
  unchanged: number;
  rowsAdded: number;
  rowsUnchanged: number;
  rejected: ImportIssue[];
  warnings: ImportWarning[];
  /** Each record's outcome, in the order handled. */
  records: AppliedRecord[];
  /** True when applying stopped at MAX_REPORTED_REJECTIONS with records left unexamined. */
  stopped: boolean;
  /** Called once per record or CSV row handled, for progress bars. */
  step: () => void;
}

/**
 * Which record of this run first named a trial id, registry id or arm id, so that two records
 * of one file (or one CLI run) cannot both write the same one.
 */
export class Claims {
  private readonly owners = new Map<string, string>();

  /** Claims `key` for `by`; returns who claimed it first when that was someone else. */
  take(key: string, by: string): string | undefined {
    const owner = this.owners.get(key);
    if (owner === undefined) this.owners.set(key, by);
    return owner === undefined || owner === by ? undefined : owner;
  }
}

/** True, and the tally marked as stopped, once it holds MAX_REPORTED_REJECTIONS rejections. */
export function tallyFull(tally: Tally): boolean {
  if (!rejectionsFull(tally.rejected)) return false;
  tally.stopped = true;
  return true;
}

/** Notes what happened to one record (CSV: to the trial of its rows), for the report's `records`. */
export function noteOutcome(
  tally: Tally,
  from: { index: number; source?: string | undefined },
  trial: { id: string; title: string; assignedId?: boolean },
  outcome: Exclude<RecordOutcome, 'SKIPPED'>,
): void {
  tally.records.push({
    index: from.index,
    id: trial.id,
    title: trial.title,
    outcome,
    assignedId: trial.assignedId ?? false,
    ...(from.source ? { source: from.source } : {}),
  });
}

/** How a record is named in messages: "record 3", or "file.json record 3" in a CLI run. */
export function describe(kind: 'record' | 'line', position: number, source?: string): string {
  return source ? `${source} ${kind} ${position}` : `${kind} ${position}`;
}

/**
 * Runs one record's write. A refusal from the store (a conflict it found) or a constraint the
 * database enforces becomes that record's rejection; anything else is a fault and propagates.
 */
export function attemptWrite(write: () => void, reject: (message: string) => void): boolean {
  try {
    write();
    return true;
  } catch (error) {
    if (isRecordRefusal(error)) {
      const details = error.fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; ');
      reject(details ? `${error.message} (${details})` : error.message);
      return false;
    }
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) {
      reject(`the database refused the record: ${error.message}`);
      return false;
    }
    throw error;
  }
}
