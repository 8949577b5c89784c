import type { FastifyInstance } from 'fastify';
import type { AnalysisHooks } from '../../src/analysis/runner';
import { buildApp } from '../../src/app';
import { type Config, defaultConfig } from '../../src/config';
import { type Db, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { captureLogs, type LogLevel } from './log-capture';
import { forgetClosed, trackOpen } from './open-test-apps';

/** A fresh, migrated in-memory database: every test starts from nothing. */
export function freshDb(): Db {
  const db = openDatabase(':memory:');
  runMigrations(db);
  return db;
}

/**
 * The settings the tests' environment would set: rate limits high and load shedding off, so that
 * many requests in a row, or a long synchronous test step, never read as abuse or overload. The
 * tests of those guards override them.
 */
export const TEST_ENVIRONMENT: Partial<Config> = {
  DATABASE_PATH: ':memory:',
  RATE_LIMIT_MAX: 1_000_000,
  RATE_LIMIT_WRITE_MAX: 1_000_000,
  MAX_EVENT_LOOP_DELAY_MS: 0,
};

export interface TestAppOptions {
  /** Settings over the test environment's. */
  config?: Partial<Config>;
  /** The database served, closed with the app; a fresh one by default. */
  db?: Db;
  /** Keeps every log line in memory for `logs()`: at trace level, or at the level given. */
  captureLogs?: boolean | { level: LogLevel };
  /** Seams of the analysis runner: hold or stall tasks, count their runs. */
  analysisHooks?: AnalysisHooks;
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** Closes the app, then its database. Safe to call again; the end of the test file calls it anyway. */
  close: () => Promise<void>;
}

export interface LoggedTestApp extends TestApp {
  /** Every log line the app wrote so far, as text. */
  logs: () => string;
}

/**
 * The real app over a database, ready for `inject`. It is closed at the end of its test file if the
 * test has not closed it (see close-test-apps.ts).
 */
export function openTestApp(options?: TestAppOptions & { captureLogs?: false }): Promise<TestApp>;
export function openTestApp(
  options: TestAppOptions & { captureLogs: true | { level: LogLevel } },
): Promise<LoggedTestApp>;
export async function openTestApp(options: TestAppOptions = {}): Promise<TestApp | LoggedTestApp> {
  const db = options.db ?? freshDb();
  const { captureLogs: capture = false } = options;
  const logs = capture === false ? undefined : captureLogs(capture === true ? 'trace' : capture.level);
  const config = defaultConfig({ ...TEST_ENVIRONMENT, ...options.config });
  let app: FastifyInstance;
  try {
    app = await buildApp({ config, db, logger: logs?.logger ?? false, analysisHooks: options.analysisHooks });
  } catch (error) {
    closeDatabase(db);
    throw error;
  }
  const close = closeOnce(app, db);
  await app.ready();
  return logs ? { app, db, close, logs: logs.text } : { app, db, close };
}

/** The test app with these settings over the test environment's, over `db` (fresh by default). */
export function buildTestApp(overrides: Partial<Config> = {}, db?: Db): Promise<TestApp> {
  return openTestApp({ config: overrides, db });
}

function closeOnce(app: FastifyInstance, db: Db): () => Promise<void> {
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      forgetClosed(close);
      try {
        await app.close();
      } finally {
        closeDatabase(db);
      }
    })();
    return closing;
  };
  trackOpen(close);
  return close;
}

function closeDatabase(db: Db): void {
  if (db.$client.open) db.$client.close();
}
