/** What the command-line entry points share: configuration, the database they run over, exit codes. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError, loadConfig } from '../config';
import { closeDatabase, type Db, openDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';

/** Where a command writes its lines: stdout and stderr in a terminal, arrays in a test. */
export interface CommandOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const standardOutput: CommandOutput = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The configuration from the environment, or null once what is wrong with it is on stderr. */
export function loadConfigOrReport(): Config | null {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return null;
    }
    throw error;
  }
}

/**
 * Runs a command over the configured database, migrated first so a command never meets an old
 * schema, and closes it afterwards whatever happens. Returns the command's exit code, or
 * `configErrorCode` when the configuration is refused (a one-line message, not a stack trace).
 */
export function runOverConfiguredDatabase(
  command: (db: Db, config: Config) => number,
  configErrorCode: number,
): number {
  const config = loadConfigOrReport();
  if (!config) return configErrorCode;
  const db = openDatabase(config.DATABASE_PATH);
  try {
    runMigrations(db);
    return command(db, config);
  } finally {
    closeDatabase(db);
  }
}

/** True when the module at `moduleUrl` is the script node was started with, not one a test imports. */
export function isEntryPoint(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(moduleUrl);
}
