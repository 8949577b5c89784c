import closeWithGrace from 'close-with-grace';
import { isCatalogueEmpty, loadSeed } from '../seed/load-seed';
import { buildApp } from './app';
import { ConfigError, loadConfig } from './config';
import { closeDatabase, openDatabase } from './db/client';
import { runMigrations } from './db/migrate';

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const db = openDatabase(config.DATABASE_PATH);
  runMigrations(db);
  const logger = process.stdout.isTTY
    ? { level: config.LOG_LEVEL, transport: { target: 'pino-pretty' } }
    : { level: config.LOG_LEVEL };
  const app = await buildApp({ config, db, logger });
  if (isCatalogueEmpty(db)) {
    const report = loadSeed(db);
    app.log.info(report, 'empty catalogue: loaded the seed set');
  }
  app.server.headersTimeout = 30_000;
  app.server.requestTimeout = 120_000;
  app.server.keepAliveTimeout = 5_000;

  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal }, 'closing');
    await app.close();
    closeDatabase(db);
  });

  await app.listen({ port: config.PORT, host: config.HOST });
  app.log.info(`API docs at http://${config.HOST}:${config.PORT}/docs`);
}

main().catch((error) => {
  process.stderr.write(`Failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
