import type { Db } from '../db/client';
import { bumpDataVersion, inTransaction, type WriteContext } from '../store/trial-store';
import { applyCsvRows } from './apply-csv';
import { applyTrialRecords } from './apply-trials';
import { type AppliedRecord, Claims, type Tally } from './tally';
import {
  type ImportRecord,
  type ImportReport,
  MAX_REPORTED_RECORDS,
  MAX_REPORTED_REJECTIONS,
  MAX_REPORTED_WARNINGS,
  type ParsedImport,
  rejectionsFull,
} from './types';

export interface ImportOptions {
  dryRun: boolean;
  /** Called as records are handled (done of total), for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

/** Thrown inside the transaction to undo it: a dry run, or an import with any rejection. */
class Rollback extends Error {}

/** The page cache of an import's transaction: 64 MiB (a negative cache_size is in KiB). */
const IMPORT_CACHE_KIB = -65_536;

/**
 * Runs an import in one transaction: every record is matched, compared and written, then the
 * transaction commits only when nothing was rejected and this is not a dry run. A dry run thus
 * reports exactly what the import would do, and a refused import leaves nothing behind. The
 * report lists the problems, including those found only against the stored catalogue; validation
 * stops after MAX_REPORTED_REJECTIONS of them (`complete: false`).
 */
export function runImport(
  db: Db,
  parsed: ParsedImport,
  ctx: WriteContext,
  options: ImportOptions,
): ImportReport {
  const total = parsed.trials.length + parsed.rows.length;
  let done = 0;
  const tally: Tally = {
    created: 0,
    updated: 0,
    unchanged: 0,
    rowsAdded: 0,
    rowsUnchanged: 0,
    rejected: [...parsed.rejected],
    warnings: [...parsed.warnings],
    records: [],
    stopped: false,
    step: () => {
      done += 1;
      if (options.onProgress && (done % 250 === 0 || done === total)) options.onProgress(done, total);
    },
  };
  const claims = new Claims();
  // One timestamp for the whole import: every record it writes belongs to the same change.
  const now = ctx.now ?? new Date();
  const context: WriteContext = { ...ctx, now };
  // An import writes into a dozen indexes at once, which outgrow SQLite's default 2 MB page cache
  // within a few thousand trials; a larger cache for the import's own transaction keeps them in
  // memory, and the connection gets its own setting back afterwards.
  const cacheSize = db.$client.pragma('cache_size', { simple: true }) as number;
  db.$client.pragma(`cache_size = ${IMPORT_CACHE_KIB}`);
  try {
    inTransaction(db, () => {
      // Validation stops at MAX_REPORTED_REJECTIONS: with that many already, nothing is matched.
      if (rejectionsFull(tally.rejected)) {
        tally.stopped = true;
        throw new Rollback();
      }
      applyTrialRecords(db, parsed.trials, context, tally, claims);
      applyCsvRows(db, parsed.rows, context, tally, claims);
      // Updates bump the data version themselves; creates count once for the whole import.
      if (tally.created > 0) bumpDataVersion(db, now.toISOString());
      if (options.dryRun || tally.rejected.length > 0) throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  } finally {
    db.$client.pragma(`cache_size = ${cacheSize}`);
  }
  // Nothing is kept when the transaction is undone, so an id this import assigned names no trial.
  const rolledBack = options.dryRun || tally.rejected.length > 0;
  return {
    created: tally.created,
    updated: tally.updated,
    unchanged: tally.unchanged,
    skipped: parsed.skipped.length,
    records: reportedRecords(parsed, tally.records, rolledBack),
    rejected: tally.rejected.slice(0, MAX_REPORTED_REJECTIONS),
    rejectedTotal: tally.rejected.length,
    rejectedByCode: countByCode(tally.rejected),
    complete: !(parsed.stopped || tally.stopped),
    warnings: tally.warnings.slice(0, MAX_REPORTED_WARNINGS),
    warningsTotal: tally.warnings.length,
    warningsByCode: countByCode(tally.warnings),
    dryRun: options.dryRun,
    ...(parsed.csv ? { rows: { added: tally.rowsAdded, unchanged: tally.rowsUnchanged } } : {}),
  };
}

function countByCode<Code extends string>(items: readonly { code: Code }[]): Partial<Record<Code, number>> {
  const counts: Partial<Record<Code, number>> = {};
  for (const { code } of items) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}

/**
 * Each record's outcome in the order of the body (file by file on the command line), skipped
 * records among them, the first MAX_REPORTED_RECORDS only.
 */
function reportedRecords(parsed: ParsedImport, applied: readonly AppliedRecord[], rolledBack: boolean) {
  const records: ImportRecord[] = [
    ...applied.map(({ assignedId, ...record }) => ({
      ...record,
      id: rolledBack && assignedId ? null : record.id,
    })),
    ...parsed.skipped,
  ];
  const files = parsed.files ?? [];
  const fileOf = (record: ImportRecord) => (record.source === undefined ? -1 : files.indexOf(record.source));
  return records.sort((a, b) => fileOf(a) - fileOf(b) || a.index - b.index).slice(0, MAX_REPORTED_RECORDS);
}
