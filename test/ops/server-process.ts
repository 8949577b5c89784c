import { type ChildProcess, spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { closeDatabase, openDatabase } from '../../src/db/client';
import { runMigrations } from '../../src/db/migrate';
import { type ApiKeyRole, createApiKey } from '../../src/store/api-keys';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stdout and stderr so far. */
  output: () => string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Migrates a database file and creates a key on it, as an operator would before the first start. */
export function prepareDatabase(path: string, role: ApiKeyRole = 'admin'): string {
  const db = openDatabase(path);
  runMigrations(db);
  const { secret } = createApiKey(db, `${role}-ops-test`, role);
  closeDatabase(db);
  return secret;
}

/**
 * Starts the real server (`src/server.ts`) as a child process on 127.0.0.1, port 0, over the given
 * database file, and resolves once it says where it listens.
 */
export async function spawnServer(
  databasePath: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'info',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WRITE_MAX: '1000000',
      MAX_EVENT_LOOP_DELAY_MS: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  return { url, child, output: () => output, exited };
}

/** Ends a server that may still run; resolves once it has exited. */
export async function killServer(server: ServerProcess | undefined, signal: NodeJS.Signals = 'SIGKILL') {
  if (!server) return;
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  await server.exited;
}

/** `PRAGMA integrity_check` of a database file, read-only. */
export function integrityCheck(path: string): string {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
  } finally {
    db.close();
  }
}
