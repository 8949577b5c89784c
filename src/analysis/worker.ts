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

export default function run(task: AnalysisTask) {
  if (stall && Atomics.sub(stall.left, 0, 1) > 0)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stall.ms);
  return runAnalysisTask(db, task, limits);
}
