import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { isCatalogueEmpty, loadSeed } from '../seed/load-seed';
import { buildApp } from './app';
import { loadConfigOrReport } from './cli/entry-point';
import { closeDatabase, type Db, openDatabase, SERVER_BUSY_TIMEOUT_MS, setBusyTimeout } from './db/client';
import { runMigrations } from './db/migrate';

/**
 * Stops accepting connections, lets in-flight requests finish for up to `timeoutMs` (then cuts
 * their connections), and closes the database with a WAL checkpoint, so the file is whole on its own.
 */
async function shutDown(app: FastifyInstance, db: Db, timeoutMs: number): Promise<void> {
  // A keep-alive connection whose request has just finished must not hold the close open.
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  const cut = setTimeout(() => {
    app.log.warn({ timeoutMs }, 'requests still running at the shutdown timeout: closing their connections');
    app.server.closeAllConnections();
  }, timeoutMs);
  try {
    await app.close();
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
    closeDatabase(db);
  }
  app.log.info('closed: no request in flight, database checkpointed');
}

async function main() {
  const config = loadConfigOrReport();
  if (!config) process.exit(1);
  const db = openDatabase(config.DATABASE_PATH);
  runMigrations(db);
  // JSON lines, pretty only for a person at a terminal; credentials are redacted should any be logged.
  const redact = ['req.headers.authorization', 'headers.authorization'];
  const logger = process.stdout.isTTY
    ? { level: config.LOG_LEVEL, redact, transport: { target: 'pino-pretty' } }
    : { level: config.LOG_LEVEL, redact };
  // Seed before the app exists: load shedding samples the event loop from then on, and a long
  // synchronous seed must not read as overload and refuse the first requests.
  const seeded = isCatalogueEmpty(db) ? loadSeed(db) : null;
  // Migrations and the seed may wait for another process's write, as the tools do; serving never does.
  setBusyTimeout(db.$client, SERVER_BUSY_TIMEOUT_MS);
  const app = await buildApp({ config, db, logger });
  if (seeded) app.log.info(seeded, 'empty catalogue: loaded the seed set');
  app.server.headersTimeout = 30_000;
  app.server.requestTimeout = 120_000;
  app.server.keepAliveTimeout = 5_000;

  // The grace delay is a last resort: shutDown itself ends within SHUTDOWN_TIMEOUT_MS.
  closeWithGrace({ delay: config.SHUTDOWN_TIMEOUT_MS + 5_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing: no new connections, waiting for requests in flight');
    await shutDown(app, db, config.SHUTDOWN_TIMEOUT_MS);
  });

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(`API docs at http://${config.HOST}:${config.PORT}/docs`);
}

main().catch((error) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
