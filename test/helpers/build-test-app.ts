import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { type Config, defaultConfig } from '../../src/config';
import { type Db, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';

/** A fresh, migrated in-memory database: every test starts from nothing. */
export function freshDb(): Db {
  const db = openDatabase(':memory:');
  runMigrations(db);
  return db;
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  close: () => Promise<void>;
}

/**
 * The real app over a fresh database, with rate limits set high and load shedding off, as the
 * tests' environment would set them: a long synchronous test step must not read as overload.
 */
export async function buildTestApp(overrides: Partial<Config> = {}, db: Db = freshDb()): Promise<TestApp> {
  const config = defaultConfig({
    DATABASE_PATH: ':memory:',
    RATE_LIMIT_MAX: 1_000_000,
    RATE_LIMIT_WRITE_MAX: 1_000_000,
    MAX_EVENT_LOOP_DELAY_MS: 0,
    ...overrides,
  });
  const app = await buildApp({ config, db });
  await app.ready();
  return {
    app,
    db,
    close: async () => {
      await app.close();
      db.$client.close();
    },
  };
}
