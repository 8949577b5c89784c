import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { closeDatabase, type Db, openDatabase } from '../db/client';
import { runMigrations } from '../db/migrate';
import {
  API_KEY_ROLES,
  ApiKeyError,
  createApiKey,
  isApiKeyRole,
  listApiKeys,
  revokeApiKey,
} from '../store/api-keys';

const USAGE = `Usage:
  npm run apikey -- create --name NAME --role editor|admin
  npm run apikey -- list
  npm run apikey -- revoke NAME`;

export interface CliOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

class UsageError extends Error {}

function create(db: Db, args: string[], io: CliOutput): void {
  const { values } = parseArgs({
    args,
    options: { name: { type: 'string' }, role: { type: 'string' } },
    strict: true,
  });
  if (!values.name || !values.role) throw new UsageError('create needs --name and --role.');
  if (!isApiKeyRole(values.role)) throw new UsageError(`--role is one of: ${API_KEY_ROLES.join(', ')}.`);
  const { key, secret } = createApiKey(db, values.name, values.role);
  io.out(`Created ${key.role} key "${key.name}". Its secret is shown once, below; store it now.`);
  io.out('Send it as `Authorization: Bearer <secret>`.');
  io.out(secret);
}

function list(db: Db, io: CliOutput): void {
  const keys = listApiKeys(db);
  if (!keys.length) {
    io.out('No API keys yet.');
    return;
  }
  const rows = [
    ['NAME', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'],
    ...keys.map((k) => [k.name, k.role, k.createdAt, k.lastUsedAt ?? '-', k.revokedAt ?? '-']),
  ];
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  for (const row of rows)
    io.out(
      row
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

function revoke(db: Db, args: string[], io: CliOutput): void {
  const [name, ...rest] = args;
  if (!name || rest.length) throw new UsageError('revoke needs exactly one key name.');
  if (!revokeApiKey(db, name)) throw new ApiKeyError(`No live key is named "${name}".`);
  io.out(`Revoked key "${name}": it no longer authenticates.`);
}

/** Runs one command over an open database; returns the process exit code. */
export function runApiKeyCommand(db: Db, argv: string[], io: CliOutput): number {
  const [command, ...args] = argv;
  try {
    if (command === 'create') create(db, args, io);
    else if (command === 'list') list(db, io);
    else if (command === 'revoke') revoke(db, args, io);
    else throw new UsageError(command ? `Unknown command "${command}".` : 'Give a command.');
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof ApiKeyError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err((error as Error).message);
      return 1;
    }
    throw error;
  }
}

function main(): number {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const db = openDatabase(config.DATABASE_PATH);
  try {
    runMigrations(db);
    return runApiKeyCommand(db, process.argv.slice(2), {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    closeDatabase(db);
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) process.exitCode = main();
