import { ConfigError, loadConfig } from '../config';
import { backupDatabase, restoreDatabase } from '../db/backup';
import { DatabaseFileError, type DatabaseReport } from '../db/inspect';

const USAGE = {
  backup: 'Usage: npm run db:backup -- FILE   (copies DATABASE_PATH to FILE; safe while the server runs)',
  restore: 'Usage: npm run db:restore -- FILE  (replaces DATABASE_PATH with FILE; stop the server first)',
};

const describe = (r: DatabaseReport) =>
  `integrity ${r.integrity}, ${r.appliedMigrations} of ${r.knownMigrations} migrations applied, ${r.trials} trials`;

/**
 * `db:backup FILE` and `db:restore FILE` over the configured DATABASE_PATH. Returns the exit
 * code; a refused file or a database in use is a one-line message, not a stack trace.
 */
export async function runDatabaseFileCommand(
  command: 'backup' | 'restore',
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0 || file.startsWith('-')) {
    process.stderr.write(`${USAGE[command]}\n`);
    return 2;
  }
  try {
    const { DATABASE_PATH: database } = loadConfig(env);
    if (database === ':memory:') throw new DatabaseFileError('DATABASE_PATH is :memory:; there is no file.');
    if (command === 'backup') {
      const report = await backupDatabase(database, file);
      process.stdout.write(`Backed up ${database} to ${file}: ${describe(report)}\n`);
    } else {
      const report = await restoreDatabase(file, database);
      process.stdout.write(`Restored ${file} to ${database}: ${describe(report)}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof DatabaseFileError || error instanceof ConfigError) {
      process.stderr.write(`${command} refused: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
