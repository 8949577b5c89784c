import { workerData } from 'piscina';
import { openDatabase } from '../db/client';
import { type ImportJob, runImportJob } from './import-job';

/**
 * The import thread's own connection to the catalogue file: its one long write transaction runs
 * here while the server's connection goes on reading (WAL). Waiting here for another writer's lock
 * holds up no request, so this connection keeps a busy timeout of its own.
 */
const { databasePath, busyTimeoutMs } = workerData as { databasePath: string; busyTimeoutMs: number };
const db = openDatabase(databasePath);
db.$client.pragma(`busy_timeout = ${busyTimeoutMs}`);

export default function run(job: ImportJob) {
  return runImportJob(db, job);
}

/** Run once when the service starts: by then this module, and all the import code, has loaded. */
export function loaded() {
  return true;
}
