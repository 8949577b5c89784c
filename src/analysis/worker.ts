import { workerData } from 'piscina';
import { openDatabase } from '../db/client';
import { type AnalysisLimits, type AnalysisTask, runAnalysisTask } from './tasks';

/** A worker's own read connection to the catalogue file (WAL lets it read while the server writes). */
const { databasePath, limits } = workerData as { databasePath: string; limits: AnalysisLimits };
const db = openDatabase(databasePath);
db.$client.pragma('query_only = ON');

export default function run(task: AnalysisTask) {
  return runAnalysisTask(db, task, limits);
}
