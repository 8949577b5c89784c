import { workerData } from 'piscina';
import { openDatabase } from '../db/client';
import { type AnalysisLimits, type AnalysisTask, runAnalysisTask } from './tasks';

interface AnalysisWorkerData {
  databasePath: string;
  limits: AnalysisLimits;
  /** Tests of the timeout only: while stalls are `left` (shared by all workers), a task first stalls `ms`. */
  stall?: { ms: number; left: Int32Array };
}

/** A worker's own read connection to the catalogue file (WAL lets it read while the server writes). */
const { databasePath, limits, stall } = workerData as AnalysisWorkerData;
const db = openDatabase(databasePath);
db.$client.pragma('query_only = ON');
// Reads through a memory map of the file (SQLite caps the map at 2 GB): an analysis reads thousands
// of scattered rows, each a page or two, which without the map are copied through a read() call
// apiece into a 16 MB page cache they mostly miss. A meta-analysis of 2,500 studies at 100,000
// trials reads its rows in about half the time. Safe for this read-only connection: nothing
// truncates the file (no VACUUM, no auto_vacuum), which is what a map cannot survive.
db.$client.pragma(`mmap_size = ${2 ** 31}`);

export default function run(task: AnalysisTask) {
  if (stall && Atomics.sub(stall.left, 0, 1) > 0)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stall.ms);
  return runAnalysisTask(db, task, limits);
}
