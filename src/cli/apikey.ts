import { parseArgs } from 'node:util';
import type { Db } from '../db/client';
import {
  API_KEY_ROLES,
  ApiKeyError,
  createApiKey,
  isApiKeyRole,
  listApiKeys,
  revokeApiKey,
} from '../store/api-keys';
import { type CommandOutput, isEntryPoint, runOverConfiguredDatabase, standardOutput } from './entry-point';

const USAGE = `Usage:
  npm run apikey -- create --name NAME --role editor|admin
  npm run apikey -- list
  npm run apikey -- revoke NAME`;

class UsageError extends Error {}

function create(db: Db, args: string[], io: CommandOutput): void {
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

function list(db: Db, io: CommandOutput): void {
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

function revoke(db: Db, args: string[], io: CommandOutput): void {
  const [name, ...rest] = args;
  if (!name || rest.length) throw new UsageError('revoke needs exactly one key name.');
  if (!revokeApiKey(db, name)) throw new ApiKeyError(`No live key is named "${name}".`);
  io.out(`Revoked key "${name}": it no longer authenticates.`);
}

/** Runs one command over an open database; returns the process exit code. */
export function runApiKeyCommand(db: Db, argv: string[], io: CommandOutput): number {
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

if (isEntryPoint(import.meta.url))
  process.exitCode = runOverConfiguredDatabase(
    (db) => runApiKeyCommand(db, process.argv.slice(2), standardOutput),
    1,
  );
