import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Db } from '../db/client';
import { databaseBusy } from '../errors';
import { answerOf, type ImportJob, type ImportOutcome, runImportJob } from './import-job';
import type { ImportReport } from './types';

/** How long the import thread waits for another writer (the CLI, a sync) before answering busy. */
const IMPORT_BUSY_TIMEOUT_MS = 5_000;
/**
 * Imports waiting behind the one that runs. Each holds its body (up to IMPORT_BODY_LIMIT_BYTES),
 * so the queue is short; beyond it an import is answered busy, to be sent again later.
 */
const IMPORTS_WAITING_MAX = 4;
const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

/**
 * Runs imports: on a thread of their own when the catalogue is a file, so that parsing, validating
 * and the one long write transaction of a large import never hold up the reads the server answers
 * meanwhile; inline for an in-memory catalogue, which another thread cannot open. One thread is
 * enough: SQLite takes one writer at a time anyway. Every read on the main connection asks the
 * database for the data version, so whatever an import commits is seen by the next read.
 */
export class ImportRunner {
  /** The import thread, for a catalogue file; null for an in-memory one. */
  private readonly pool: Piscina<ImportJob, ImportOutcome> | null;
  /** Set when the thread could not load: imports then run inline rather than fail. */
  private threadUnavailable = false;

  /** `onThreadError`: told when the thread fails outside any import (it could not even load). */
  constructor(
    private readonly db: Db,
    private readonly onThreadError: (error: unknown) => void,
  ) {
    // Started with the service and kept: loading the import code on a thread takes a second or
    // more, which no import should wait for.
    this.pool = db.$client.memory
      ? null
      : new Piscina({
          filename: fileURLToPath(new URL('./import-worker.ts', import.meta.url)),
          workerData: { databasePath: db.$client.name, busyTimeoutMs: IMPORT_BUSY_TIMEOUT_MS },
          minThreads: 1,
          maxThreads: 1,
          // Waiting on its event loop rather than blocked in Atomics.wait, the idle thread can
          // collect the garbage of its last import.
          atomics: 'disabled',
        });
    this.pool?.on('error', onThreadError);
  }

  /**
   * Resolves once the import thread has loaded. A thread that cannot load is reported, not
   * thrown, and imports run inline instead: slower for readers meanwhile, but never refused.
   */
  async started(): Promise<void> {
    await (this.pool as Piscina | null)?.run(null, { name: 'loaded' }).catch((error: unknown) => {
      this.threadUnavailable = true;
      this.onThreadError(error);
    });
  }

  /** The import's report; a refusal or failure is thrown as the error it answers. */
  async run(job: ImportJob): Promise<ImportReport> {
    const pool = this.pool;
    if (!pool || this.threadUnavailable) return answerOf(runImportJob(this.db, job));
    if (pool.queueSize >= IMPORTS_WAITING_MAX)
      throw databaseBusy(
        `The catalogue is busy with ${IMPORTS_WAITING_MAX + 1} imports; send this one again later.`,
        QUEUE_FULL_RETRY_AFTER_SECONDS,
      );
    return answerOf(await pool.run(job));
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
